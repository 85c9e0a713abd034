import { describe, expect, it } from 'vitest';
import { APP_ENTRY } from '../../electron/main/app-address.js';
import { shellChannel } from '../../electron/main/ipc-channels.js';
import { registerShellIpc, type ShellHandlers } from '../../electron/main/shell-ipc.js';
import { TrustedSenders } from '../../electron/main/trusted-sender.js';
import { CLOSED_LIVE_VIEW, SHELL_METHODS } from '../../shared/shell-api.js';
import { childFrame, FakeIpcMain, FakeWebContents, topFrame } from './fake-electron.js';

/** Handlers that record what reached them (the real ones drive Electron's views). */
function recordingHandlers(): { handlers: ShellHandlers; received: { method: string; input: unknown }[] } {
  const received: { method: string; input: unknown }[] = [];
  const state = (method: string) => (input: unknown) => {
    received.push({ method, input });
    if (method === 'liveBack')
      throw new Error('the live browser is not open: open it in the capture bar first');
    return CLOSED_LIVE_VIEW;
  };
  const handlers = Object.fromEntries(
    SHELL_METHODS.map((method) => [
      method,
      method === 'liveFreeze'
        ? (input: unknown) => {
            received.push({ method, input });
            return { dataUri: 'data:image/png;base64,', width: 1, height: 1 };
          }
        : state(method),
    ]),
  ) as unknown as ShellHandlers;
  return { handlers, received };
}

function setup() {
  const ipc = new FakeIpcMain();
  const appFrame = topFrame(APP_ENTRY.href);
  const appWindow = new FakeWebContents(appFrame);
  const trusted = new TrustedSenders(new URL(APP_ENTRY.href));
  trusted.add(appWindow);
  const { handlers, received } = recordingHandlers();
  const unregister = registerShellIpc(ipc, handlers, trusted);
  const fromApp = (method: string, input: unknown) =>
    ipc.invoke(appWindow, appFrame, shellChannel(method), input);
  return { ipc, appFrame, appWindow, received, unregister, fromApp };
}

const BOUNDS = { x: 216, y: 152, width: 1140, height: 520 };

describe('the live browser’s methods over IPC (Electron replaced by test/electron/fake-electron.ts)', () => {
  it('registers exactly one channel per method of the shell declaration, and removes them all', () => {
    const { ipc, unregister } = setup();
    expect(ipc.channels().sort()).toEqual(SHELL_METHODS.map(shellChannel).sort());
    unregister();
    expect(ipc.channels()).toEqual([]);
  });

  it('answers the app window with the handler’s value, its input parsed', async () => {
    const { fromApp, received } = setup();
    expect(await fromApp('liveOpen', { persona: ' fb-undercover-1 ', bounds: BOUNDS })).toEqual({
      ok: true,
      value: CLOSED_LIVE_VIEW,
    });
    expect(received).toEqual([{ method: 'liveOpen', input: { persona: 'fb-undercover-1', bounds: BOUNDS } }]);
  });

  it('refuses a channel that is not a shell method', async () => {
    const { ipc, appWindow, appFrame } = setup();
    for (const channel of [shellChannel('exec'), shellChannel('openExternal'), 'custos:shell:']) {
      await expect(ipc.invoke(appWindow, appFrame, channel, {})).rejects.toThrow(/No handler registered/);
    }
  });

  it('refuses the live view’s own page, an iframe of the app and a page of another origin; nothing reaches the handlers', async () => {
    const { ipc, appWindow, appFrame, received } = setup();
    const liveView = new FakeWebContents(topFrame('https://market.test/ad/1'));
    const refused = {
      ok: false,
      error: {
        kind: 'bad-input',
        message: 'the shell answers only the Custos window; liveNavigate was refused',
      },
    };
    expect(
      await ipc.invoke(liveView, liveView.mainFrame, shellChannel('liveNavigate'), {
        url: 'file:///etc/passwd',
      }),
    ).toEqual(refused);
    expect(
      await ipc.invoke(appWindow, childFrame(appFrame, APP_ENTRY.href), shellChannel('liveNavigate'), {
        url: 'https://x.test/',
      }),
    ).toEqual(refused);
    expect(
      await ipc.invoke(appWindow, topFrame('https://attacker.test/'), shellChannel('liveFreeze'), {}),
    ).toMatchObject({ ok: false, error: { kind: 'bad-input' } });
    expect(received).toEqual([]);
  });

  it('refuses malformed input with a message, before any handler runs', async () => {
    const { fromApp, received } = setup();
    const cases: [string, unknown][] = [
      ['liveNavigate', {}],
      ['liveNavigate', { url: '   ' }],
      ['liveNavigate', { url: 'x'.repeat(9000) }],
      ['liveNavigate', 'https://market.test/'],
      ['liveBounds', { bounds: { ...BOUNDS, width: -1 } }],
      ['liveBounds', { bounds: { ...BOUNDS, x: Number.NaN } }],
      ['liveBounds', { bounds: { ...BOUNDS, height: '520' } }],
      ['liveOpen', { persona: 'p'.repeat(65), bounds: BOUNDS }],
      ['liveOpen', { persona: null }],
    ];
    for (const [method, input] of cases) {
      expect(await fromApp(method, input), `${method} ${JSON.stringify(input)}`).toMatchObject({
        ok: false,
        error: { kind: 'bad-input', message: expect.stringMatching(new RegExp(`^${method}: .+`)) },
      });
    }
    expect(received).toEqual([]);
    expect(await fromApp('liveNavigate', {})).toMatchObject({
      error: { message: 'liveNavigate: enter an address' },
    });
  });

  it('turns a handler’s error into a value naming what to do', async () => {
    const { fromApp } = setup();
    expect(await fromApp('liveBack', {})).toEqual({
      ok: false,
      error: { kind: 'failure', message: 'the live browser is not open: open it in the capture bar first' },
    });
  });
});
