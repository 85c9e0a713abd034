import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiService, createApiService } from '../../electron/core/api/api-service.js';
import { APP_ENTRY } from '../../electron/main/app-address.js';
import { registerApiIpc } from '../../electron/main/ipc-api.js';
import { apiChannel, CANCEL_CHANNEL, PROGRESS_CHANNEL } from '../../electron/main/ipc-channels.js';
import { TrustedSenders } from '../../electron/main/trusted-sender.js';
import { API_METHODS } from '../../shared/api.js';
import { makeTempDir, removeTempDir } from '../support/temp-store.js';
import { childFrame, type FakeFrame, FakeIpcMain, FakeWebContents, topFrame } from './fake-electron.js';

const PROFILE = { name: 'Ana Ruiz', agency: 'Test Unit', badge: '4411' };

describe('the API over IPC (Electron replaced by test/electron/fake-electron.ts)', () => {
  let base: string;
  let storeDir: string;
  let service: ApiService;
  let ipc: FakeIpcMain;
  let appWindow: FakeWebContents;
  let appFrame: FakeFrame;
  let unregister: () => void;

  beforeEach(() => {
    base = makeTempDir('custos-ipc-');
    storeDir = path.join(base, 'store');
    service = createApiService({ storeDir, exportDir: path.join(base, 'exports') });
    ipc = new FakeIpcMain();
    appFrame = topFrame(APP_ENTRY.href);
    appWindow = new FakeWebContents(appFrame);
    const trusted = new TrustedSenders(new URL(APP_ENTRY.href));
    trusted.add(appWindow);
    unregister = registerApiIpc(ipc, service, trusted);
  });

  afterEach(() => {
    unregister();
    service.close();
    removeTempDir(base);
  });

  const callFromApp = (method: string, input: unknown, callId = 'call-1') =>
    ipc.invoke(appWindow, appFrame, apiChannel(method), callId, input);

  it('registers exactly one channel per method of the shared API', () => {
    expect(ipc.channels().sort()).toEqual(API_METHODS.map(apiChannel).sort());
  });

  it('answers the app window with values from the real store', async () => {
    expect(await callFromApp('initProfile', PROFILE)).toMatchObject({
      ok: true,
      value: { name: 'Ana Ruiz' },
    });
    const created = await callFromApp('createCase', { number: 'BE-1', title: 'Boat ads' });
    expect(created).toMatchObject({ ok: true, value: { number: 'BE-1' } });
    const cases = await callFromApp('listCases', {});
    expect(cases).toMatchObject({ ok: true, value: [{ number: 'BE-1', itemCount: 0 }] });
  });

  it('refuses a channel that is not an API method, as Electron does for an unregistered channel', async () => {
    await expect(ipc.invoke(appWindow, appFrame, apiChannel('deleteEverything'), 'c', {})).rejects.toThrow(
      /No handler registered/,
    );
    await expect(ipc.invoke(appWindow, appFrame, 'custos:shell:exec', 'c', {})).rejects.toThrow(
      /No handler registered/,
    );
  });

  it('refuses a web contents that is not the app window (a capture view) and writes nothing', async () => {
    const captureView = new FakeWebContents(topFrame('https://example.test/profile'));
    const answer = await ipc.invoke(
      captureView,
      captureView.mainFrame,
      apiChannel('initProfile'),
      'c',
      PROFILE,
    );
    expect(answer).toEqual({
      ok: false,
      error: {
        kind: 'bad-input',
        message: 'the API answers only the Custos window; initProfile was refused',
      },
    });
    expect(fs.existsSync(storeDir)).toBe(false);
  });

  it('refuses the app window when the message comes from an iframe or from a page of another origin', async () => {
    const iframe = childFrame(appFrame, APP_ENTRY.href);
    const fromIframe = await ipc.invoke(appWindow, iframe, apiChannel('initProfile'), 'c', PROFILE);
    expect(fromIframe).toMatchObject({ ok: false, error: { kind: 'bad-input' } });
    const navigatedAway = topFrame('https://attacker.test/index.html');
    const fromOther = await ipc.invoke(appWindow, navigatedAway, apiChannel('initProfile'), 'c', PROFILE);
    expect(fromOther).toMatchObject({ ok: false, error: { kind: 'bad-input' } });
    const fileFrame = topFrame('file:///etc/passwd');
    expect(await ipc.invoke(appWindow, fileFrame, apiChannel('listCases'), 'c', {})).toMatchObject({
      ok: false,
    });
    expect(fs.existsSync(storeDir)).toBe(false);
  });

  it('refuses every call once the app window is destroyed', async () => {
    appWindow.destroy();
    expect(await callFromApp('getProfile', {})).toMatchObject({ ok: false, error: { kind: 'bad-input' } });
  });

  it('parses input with the shared schema and answers malformed input with an actionable message, writing nothing', async () => {
    const noName = await callFromApp('initProfile', { name: '   ', agency: 'X' });
    expect(noName).toMatchObject({ ok: false, error: { kind: 'bad-input' } });
    expect((noName as { error: { message: string } }).error.message).toMatch(/investigator name/);
    expect(fs.existsSync(storeDir)).toBe(false);
    await callFromApp('initProfile', PROFILE);
    const spaced = await callFromApp('createCase', { number: 'BE 1', title: 'x' });
    expect(spaced).toMatchObject({
      ok: false,
      error: { kind: 'bad-input', message: expect.stringMatching(/must not contain spaces/) },
    });
    expect(await callFromApp('createCase', 'not an object')).toMatchObject({
      ok: false,
      error: { kind: 'bad-input' },
    });
    expect(await callFromApp('listCases', {})).toMatchObject({ ok: true, value: [] });
  });

  it('captureLive: refuses a region without its rectangle, and says where the live browser is when there is none', async () => {
    await callFromApp('initProfile', PROFILE);
    await callFromApp('createCase', { number: 'BE-3', title: 'Live' });
    for (const input of [
      { caseRef: 'BE-3', what: 'region' },
      { caseRef: 'BE-3', what: 'region', region: { x: 0, y: 0, width: 0, height: 10 } },
      { caseRef: 'BE-3', what: 'everything' },
    ]) {
      expect(await callFromApp('captureLive', input)).toMatchObject({
        ok: false,
        error: { kind: 'bad-input' },
      });
    }
    expect(await callFromApp('captureLive', { caseRef: 'BE-3', what: 'page' })).toEqual({
      ok: false,
      error: {
        kind: 'bad-input',
        message: 'the live browser exists only in the desktop app; here, enter the address and press Capture',
      },
    });
  });

  it('captureLive video: refuses a size limit of 0 or a duration of 0 with a clear message, and a stop without a live browser', async () => {
    await callFromApp('initProfile', PROFILE);
    await callFromApp('createCase', { number: 'BE-4', title: 'Video' });
    expect(await callFromApp('captureLive', { caseRef: 'BE-4', what: 'video', maxBytes: 0 })).toMatchObject({
      ok: false,
      error: {
        kind: 'bad-input',
        message: expect.stringMatching(/video size limit must be at least 65536 bytes/),
      },
    });
    expect(await callFromApp('captureLive', { caseRef: 'BE-4', what: 'video', maxSeconds: 0 })).toMatchObject(
      {
        ok: false,
        error: {
          kind: 'bad-input',
          message: expect.stringMatching(/video duration limit must be more than 0/),
        },
      },
    );
    expect(await callFromApp('stopLiveVideo', {})).toEqual({
      ok: false,
      error: {
        kind: 'bad-input',
        message: 'no video of the live view is being recorded: the live browser is not open',
      },
    });
    expect(await callFromApp('listItems', { caseRef: 'BE-4' })).toEqual({ ok: true, value: [] });
  });

  it('refuses a call without a valid call id', async () => {
    for (const callId of [undefined, 42, '', 'x'.repeat(65), '../id']) {
      const answer = await ipc.invoke(appWindow, appFrame, apiChannel('getProfile'), callId, {});
      expect(answer).toMatchObject({ ok: false, error: { kind: 'bad-input' } });
    }
  });

  it('turns an error of the service into a value naming what to do', async () => {
    await callFromApp('initProfile', PROFILE);
    const answer = await callFromApp('getCase', { caseRef: 'NOPE-1' });
    expect(answer).toMatchObject({ ok: false, error: { kind: 'bad-input' } });
    expect((answer as { error: { message: string } }).error.message).toMatch(/NOPE-1/);
  });

  it('sends progress to the calling window and stops the call on its cancel, not on a stranger’s', async () => {
    await callFromApp('initProfile', PROFILE);
    await callFromApp('createCase', { number: 'BE-2', title: 'Files' });
    const files = Array.from({ length: 40 }, (_, i) => {
      const file = path.join(base, `photo-${i}.txt`);
      fs.writeFileSync(file, `evidence ${i}\n`.repeat(1000));
      return file;
    });
    const stranger = new FakeWebContents(topFrame('https://example.test/'));
    const pending = callFromApp('importFiles', { caseRef: 'BE-2', paths: files }, 'import-1');
    ipc.send(stranger, stranger.mainFrame, CANCEL_CHANNEL, 'import-1');
    ipc.send(appWindow, appFrame, CANCEL_CHANNEL, 'import-1');
    const answer = (await pending) as { ok: true; value: { items: unknown[]; cancelled: boolean } };
    expect(answer.ok).toBe(true);
    expect(answer.value.cancelled).toBe(true);
    expect(answer.value.items.length).toBeLessThan(files.length);

    const finished = (await callFromApp(
      'importFiles',
      { caseRef: 'BE-2', paths: files.slice(0, 3) },
      'import-2',
    )) as {
      value: { items: unknown[]; cancelled: boolean };
    };
    expect(finished.value).toMatchObject({ cancelled: false });
    expect(finished.value.items).toHaveLength(3);
    const progress = appWindow.sent.filter((m) => m.channel === PROGRESS_CHANNEL && m.args[0] === 'import-2');
    expect(progress.map((m) => m.args[1])).toContainEqual(expect.objectContaining({ done: 2, total: 3 }));
    expect(stranger.sent).toEqual([]);
  });

  it('removes every channel when unregistered', () => {
    unregister();
    expect(ipc.channels()).toEqual([]);
    unregister = () => undefined;
  });
});
