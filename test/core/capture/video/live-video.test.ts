import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ALL_FORMATS, BufferSource, EncodedPacketSink, Input } from 'mediabunny';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiService } from '../../../../electron/core/api/api-service.js';
import { exportBundle } from '../../../../electron/core/bundle/export-bundle.js';
import { verifyBundle } from '../../../../electron/core/bundle/verify-bundle.js';
import {
  extraChromiumArgs,
  findChromium,
} from '../../../../electron/core/capture/browser/browser-discovery.js';
import { launchChromium } from '../../../../electron/core/capture/browser/playwright-browser.js';
import { recordLiveVideo, type WithStore } from '../../../../electron/core/capture/capture-service.js';
import type { CaptureBrowser, CaptureTab } from '../../../../electron/core/capture/engine/capture-browser.js';
import type { CdpSession } from '../../../../electron/core/capture/engine/cdp-session.js';
import type { LiveCapture } from '../../../../electron/core/capture/live/live-capture.js';
import type { VideoCaptureRecord } from '../../../../electron/core/capture/video/video-capture.js';
import {
  cdpEncoderPage,
  type VideoEncoderPage,
} from '../../../../electron/core/capture/video/video-encoder.js';
import type { EvidenceStore } from '../../../../electron/core/store/evidence-store.js';
import { APP_CSP } from '../../../../electron/main/app-address.js';
import type { ApiProgress } from '../../../../shared/api.js';
import type { ItemSummary } from '../../../../shared/domain.js';
import { type FixtureServer, startFixtureServer } from '../../../support/fixture-server.js';
import { REPO_ROOT } from '../../../support/run-custos.js';
import { makeTempStore, type TempStore } from '../../../support/temp-store.js';
import { readZip } from '../../bundle/bundle-fixtures.js';
import { artifactBytes } from '../artifact-readers.js';
import { browse, startLiveCapture } from '../live/live-view.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const CASE = 'VIDEO-2026-7';

let server: FixtureServer;
/** Serves the app's encoder page with the app's own strict CSP, as the app's scheme does. */
let appServer: http.Server;
let temp: TempStore;
let store: EvidenceStore;
let browser: CaptureBrowser;
let tab: CaptureTab;
let encoderTab: CaptureTab;
/** Where the test plays the videos back (the encoder page's CSP allows no media). */
let playerTab: CaptureTab;
let encoder: VideoEncoderPage;
let live: LiveCapture;
/** The video of the scrolled page, for the export test. */
let scrolled: ItemSummary | undefined;
const withStore: WithStore = async (work) => work(store);

async function evaluate<T>(session: CdpSession, expression: string): Promise<T> {
  const { result, exceptionDetails } = await session.send('Runtime.evaluate', {
    expression,
    awaitPromise: true,
    returnByValue: true,
  });
  if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
  return result.value as T;
}

/** What the investigator does: scrolls down the page, a step at each repaint. */
async function scroll(steps: number, by = 120): Promise<void> {
  for (let i = 0; i < steps; i++) {
    await evaluate(
      tab.session,
      `window.scrollBy(0, ${by}); new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 60))))`,
    );
  }
}

/**
 * Waits until the video has taken every frame the scrolling painted (its frame count holds
 * still for a moment), so that a stop keeps the last scroll position even on a busy machine.
 */
async function framesSettled(): Promise<void> {
  let last = -1;
  for (let i = 0; i < 60; i++) {
    const frames = live.videoProgress?.frames ?? 0;
    if (frames === last) return;
    last = frames;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Starts recording; resolves with the started recording's stored item once it ends. */
async function startRecording(
  limits: { maxBytes?: number; maxSeconds?: number } = {},
  signal?: AbortSignal,
): Promise<{ stored: Promise<ItemSummary> }> {
  let started!: () => void;
  const running = new Promise<void>((resolve) => {
    started = resolve;
  });
  const stored = recordLiveVideo(withStore, live, {
    caseRef: CASE,
    encoder,
    limits,
    signal,
    onStarted: () => started(),
  });
  await Promise.race([running, stored]);
  return { stored };
}

function json<T>(item: ItemSummary): T {
  return JSON.parse(artifactBytes(store, item, 'metadata').toString('utf8')) as T;
}

/** The WebM read back with mediabunny's demuxer: format, track, duration and every packet. */
async function demux(bytes: Buffer) {
  const input = new Input({ source: new BufferSource(bytes), formats: ALL_FORMATS });
  const format = await input.getFormat();
  const track = await input.getPrimaryVideoTrack();
  if (!track) throw new Error('no video track');
  let packets = 0;
  let keys = 0;
  for await (const packet of new EncodedPacketSink(track).packets()) {
    packets++;
    if (packet.type === 'key') keys++;
  }
  return {
    format: format.name,
    mimeType: await input.getMimeType(),
    codec: track.codec,
    width: track.codedWidth,
    height: track.codedHeight,
    duration: await input.computeDuration(),
    packets,
    keys,
  };
}

/** Plays the WebM in Chromium's own <video> and reads the colour at a point of the frame at `time`. */
async function colourAt(webm: Buffer, time: number, x: number, y: number): Promise<[number, number, number]> {
  return evaluate(
    playerTab.session,
    `(async () => {
      const bytes = Uint8Array.from(atob(${JSON.stringify(webm.toString('base64'))}), (c) => c.charCodeAt(0));
      const video = document.createElement('video');
      video.muted = true;
      video.src = URL.createObjectURL(new Blob([bytes], { type: 'video/webm' }));
      await new Promise((resolve, reject) => { video.onloadeddata = resolve; video.onerror = () => reject(new Error('the video does not play')); });
      video.currentTime = ${time};
      await new Promise((resolve) => { video.onseeked = resolve; });
      const canvas = new OffscreenCanvas(video.videoWidth, video.videoHeight);
      const context = canvas.getContext('2d');
      // Under load the seeked frame can still be on its way to the compositor: drawn then, the
      // canvas stays transparent (alpha 0, read as black). Drawn again until the frame is there.
      let pixel = [0, 0, 0, 0];
      for (let tries = 0; tries < 50 && pixel[3] === 0; tries++) {
        if (tries > 0) await new Promise((resolve) => setTimeout(resolve, 50));
        context.drawImage(video, 0, 0);
        pixel = context.getImageData(${x}, ${y}, 1, 1).data;
      }
      URL.revokeObjectURL(video.src);
      return [pixel[0], pixel[1], pixel[2]];
    })()`,
  );
}

const near = (colour: [number, number, number], want: [number, number, number]) =>
  colour.every((c, i) => Math.abs(c - want[i]!) <= 40);

beforeAll(async () => {
  server = await startFixtureServer();
  const encoderHtml = fs.readFileSync(path.join(REPO_ROOT, 'renderer', 'public', 'video-encoder.html'));
  appServer = http.createServer((_request, response) => {
    response.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': APP_CSP,
    });
    response.end(encoderHtml);
  });
  await new Promise<void>((resolve) => appServer.listen(0, '127.0.0.1', resolve));
  temp = makeTempStore({ caseNumber: CASE });
  store = temp.open();
  browser = await launchChromium({ executablePath: findChromium(), extraArgs: extraChromiumArgs() });
  tab = await browser.openTab();
  encoderTab = await browser.openTab();
  await encoderTab.session.send('Page.enable');
  await browse(
    encoderTab.session,
    `http://127.0.0.1:${(appServer.address() as AddressInfo).port}/video-encoder.html`,
  );
  encoder = cdpEncoderPage(encoderTab.session);
  playerTab = await browser.openTab();
  await playerTab.session.send('Page.enable');
  await browse(playerTab.session, server.url('/elsewhere.html'));
  live = await startLiveCapture(tab.session);
}, 120_000);

afterAll(async () => {
  await live?.close();
  await tab?.close();
  await encoderTab?.close();
  await playerTab?.close();
  await browser?.close();
  store?.close();
  temp?.remove();
  await server?.close();
  await new Promise((resolve) => appServer?.close(resolve));
});

describe('recording a video of the live view', () => {
  it('refuses to record before any web page is shown, and stores nothing', async () => {
    await expect(recordLiveVideo(withStore, live, { caseRef: CASE, encoder })).rejects.toMatchObject({
      kind: 'bad-input',
      message: expect.stringMatching(/no web page yet/),
    });
    expect(store.listItems(CASE)).toEqual([]);
  });

  it('stores a WebM of the view while the investigator scrolls: a VP8 track with its frames and duration, hashed, with the record and one custody entry', async () => {
    await browse(tab.session, server.url('/regions.html'));
    // The load event can come before the page's first paint on a busy machine; the investigator
    // presses Record on a page they can see, so wait for two frames of it to be painted.
    await evaluate(tab.session, 'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    const { stored } = await startRecording();
    await scroll(9); // down to 1080: the blue block (1200-1290) is then near the top of the view
    await framesSettled();
    const progress = live.stopVideo();
    expect(progress.frames).toBeGreaterThan(1);
    const item = await stored;
    scrolled = item;

    expect(item.artifacts.map((a) => [a.role, a.name, a.mediaType])).toEqual([
      ['video', 'recording.webm', 'video/webm'],
      ['viewport', 'first-frame.jpg', 'image/jpeg'],
      ['viewport', 'last-frame.jpg', 'image/jpeg'],
      ['metadata', 'metadata.json', 'application/json'],
    ]);
    for (const artifact of item.artifacts) {
      const bytes = fs.readFileSync(store.blobs.pathOf(artifact.sha256));
      expect(bytes.byteLength).toBe(artifact.size);
      expect(sha256(bytes)).toBe(artifact.sha256);
    }
    const webm = artifactBytes(store, item, 'video');
    // The EBML magic, then the DocType "webm".
    expect(webm.subarray(0, 4).toString('hex')).toBe('1a45dfa3');
    expect(webm.subarray(0, 64).includes(Buffer.from('webm'))).toBe(true);

    const record = json<VideoCaptureRecord>(item);
    const read = await demux(webm);
    expect(read).toMatchObject({
      format: 'WebM',
      codec: 'vp8',
      mimeType: expect.stringMatching(/^video\/webm/),
    });
    expect(read.packets).toBe(record.video.frames);
    expect(read.packets).toBeGreaterThan(1);
    expect(read.keys).toBe(record.video.keyFrames);
    expect(read.duration).toBeGreaterThan(0);
    expect(read.duration).toBeCloseTo(record.video.durationSeconds, 1);
    expect({ width: read.width, height: read.height }).toEqual({
      width: record.video.width,
      height: record.video.height,
    });

    expect(record).toMatchObject({
      recordType: 'custos.video-capture',
      recordVersion: 1,
      pageUrl: server.url('/regions.html'),
      title: 'Coloured blocks',
      stoppedBy: 'investigator',
      video: { mediaType: 'video/webm', codec: 'vp8', timestamps: 'screencast-frame-metadata' },
      case: { number: CASE },
      investigator: { name: expect.any(String) },
    });
    expect(record.frames.inVideo).toBe(record.video.frames);
    expect(record.frames.received).toBe(
      record.frames.inVideo + record.frames.dropped + record.frames.afterLimit,
    );
    // The frames' own times, in order, inside the recording's wall-clock span.
    expect(Date.parse(record.video.firstFrameAt)).toBeLessThan(Date.parse(record.video.lastFrameAt));
    expect(record.scroll.first.y).toBe(0);
    expect(store.getItem(item.id).custody.map((e) => e.action)).toEqual(['item.capture']);

    // Chromium's own player decodes it: the first frame shows the red block, the last the blue one.
    const first = await colourAt(webm, 0, 150, 150);
    expect({ first, red: near(first, [255, 0, 0]) }).toMatchObject({ red: true });
    expect(record.scroll.last.y).toBe(1080);
    const last = await colourAt(webm, record.video.durationSeconds - 0.01, 450, 1200 - 1080 + 40);
    expect({ last, blue: near(last, [0, 0, 255]) }).toMatchObject({ blue: true });
  }, 120_000);

  it('exports into a signed bundle that verifies, with the WebM byte for byte', async () => {
    if (!scrolled) throw new Error('the scrolling test stores the video this test exports');
    const out = path.join(temp.base, 'video.zip');
    await exportBundle(store, { caseRef: CASE, out, itemRefs: [scrolled.id] });
    const report = await verifyBundle(out);
    expect(report).toMatchObject({ valid: true, problems: [] });
    expect(report.items).toMatchObject([{ id: scrolled.id, artifacts: 4, valid: true }]);
    const files = await readZip(out);
    expect(
      files.get(`items/${scrolled.id}/recording.webm`)?.equals(artifactBytes(store, scrolled, 'video')),
    ).toBe(true);
  }, 180_000);

  it('stops by itself at the size limit, says so in the record, and the file stays within the limit', async () => {
    await browse(tab.session, server.url('/noise.html'));
    const maxBytes = 512 * 1024;
    const { stored } = await startRecording({ maxBytes });
    const item = await stored; // nobody pressed stop
    const rec = json<VideoCaptureRecord>(item);
    expect(rec.stoppedBy).toBe('size-limit');
    expect(rec.limits.maxBytes).toBe(maxBytes);
    const webm = artifactBytes(store, item, 'video');
    expect(webm.byteLength).toBeLessThanOrEqual(maxBytes);
    expect(rec.notes).toEqual([]);
    expect((await demux(webm)).packets).toBe(rec.video.frames);
    // Once stopped there is nothing to stop.
    expect(() => live.stopVideo()).toThrow(/no video of the live view is being recorded/);
  }, 120_000);

  it('stops by itself at the duration limit, by the frames own timestamps', async () => {
    const { stored } = await startRecording({ maxSeconds: 1 });
    const item = await stored;
    const rec = json<VideoCaptureRecord>(item);
    expect(rec.stoppedBy).toBe('duration-limit');
    const last = (Date.parse(rec.video.lastFrameAt) - Date.parse(rec.video.firstFrameAt)) / 1000;
    expect(last).toBeLessThanOrEqual(1);
    expect(rec.video.durationSeconds).toBeLessThanOrEqual(1);
  }, 120_000);

  it('refuses to stop when nothing is recorded, and a second stop, with a clear message, storing one item only', async () => {
    await browse(tab.session, server.url('/regions.html'));
    const before = store.listItems(CASE).length;
    expect(() => live.stopVideo()).toThrow(
      expect.objectContaining({
        kind: 'bad-input',
        message: expect.stringMatching(/no video of the live view is being recorded: start one/),
      }),
    );
    const { stored } = await startRecording();
    await scroll(3);
    live.stopVideo();
    expect(() => live.stopVideo()).toThrow(
      expect.objectContaining({ kind: 'bad-input', message: expect.stringMatching(/no longer recording/) }),
    );
    await stored;
    expect(() => live.stopVideo()).toThrow(/no video of the live view is being recorded/);
    expect(store.listItems(CASE).length).toBe(before + 1);
  }, 120_000);

  it('refuses an unknown case, a size limit of 0 and a second recording, with clear messages, storing nothing', async () => {
    const before = store.listItems(CASE).length;
    await expect(
      recordLiveVideo(withStore, live, { caseRef: 'NO-SUCH-CASE', encoder }),
    ).rejects.toMatchObject({ kind: 'bad-input', message: expect.stringMatching(/NO-SUCH-CASE/) });
    await expect(
      recordLiveVideo(withStore, live, { caseRef: CASE, encoder, limits: { maxBytes: 0 } }),
    ).rejects.toMatchObject({ kind: 'bad-input', message: expect.stringMatching(/size limit must be/) });
    await expect(
      recordLiveVideo(withStore, live, { caseRef: CASE, encoder, limits: { maxSeconds: 0 } }),
    ).rejects.toMatchObject({ kind: 'bad-input', message: expect.stringMatching(/duration limit must be/) });
    const { stored } = await startRecording();
    await expect(recordLiveVideo(withStore, live, { caseRef: CASE, encoder })).rejects.toMatchObject({
      kind: 'bad-input',
      message: expect.stringMatching(/already being recorded/),
    });
    live.stopVideo();
    await stored;
    expect(store.listItems(CASE).length).toBe(before + 1);
  }, 120_000);

  it('a cancel discards the recording and stores nothing', async () => {
    const before = store.listItems(CASE).length;
    const controller = new AbortController();
    const { stored } = await startRecording({}, controller.signal);
    await scroll(2);
    controller.abort();
    await expect(stored).rejects.toThrow(/cancel/i);
    expect(store.listItems(CASE).length).toBe(before);
    expect(() => live.stopVideo()).toThrow(/no video of the live view is being recorded/);
  }, 120_000);

  it('letterboxes frames of a view resized while recording into the first frame size, and says so', async () => {
    await browse(tab.session, server.url('/regions.html'));
    const { stored } = await startRecording();
    await scroll(2);
    const size = await evaluate<{ width: number; height: number }>(
      tab.session,
      '({ width: innerWidth, height: innerHeight })',
    );
    await tab.session.send('Emulation.setDeviceMetricsOverride', {
      width: Math.round(size.width / 2),
      height: size.height,
      deviceScaleFactor: 1,
      mobile: false,
    });
    try {
      await scroll(3);
      await framesSettled();
      live.stopVideo();
      const rec = json<VideoCaptureRecord>(await stored);
      expect(rec.frames.resized).toBeGreaterThan(0);
      expect(rec.notes.join(' ')).toMatch(/letterboxed into \d+x\d+/);
      expect({ width: rec.video.width, height: rec.video.height }).toEqual(size);
    } finally {
      await tab.session.send('Emulation.clearDeviceMetricsOverride');
    }
  }, 120_000);

  it('closing the live view stops the video, which is still stored', async () => {
    const closing = await startLiveCapture(tab.session);
    await browse(tab.session, server.url('/regions.html'));
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const stored = recordLiveVideo(withStore, closing, {
      caseRef: CASE,
      encoder,
      onStarted: () => started(),
    });
    await running;
    await scroll(2);
    await closing.close();
    const rec = json<VideoCaptureRecord>(await stored);
    expect(rec.stoppedBy).toBe('investigator');
    expect(rec.video.frames).toBeGreaterThan(0);
  }, 120_000);

  it('the page cannot tell it is recorded nor stop it: no trace in its globals, and its own navigation goes into the same video', async () => {
    await browse(tab.session, server.url('/regions.html'));
    const globals = () =>
      evaluate<string[]>(
        tab.session,
        'Object.getOwnPropertyNames(window).concat(Object.getOwnPropertyNames(document)).sort()',
      );
    const state = () =>
      evaluate<unknown>(
        tab.session,
        '({ hidden: document.hidden, visibility: document.visibilityState, focus: document.hasFocus()})',
      );
    const beforeGlobals = await globals();
    const beforeState = await state();
    const { stored } = await startRecording();
    await scroll(2);
    expect(await globals()).toEqual(beforeGlobals);
    expect(await state()).toEqual(beforeState);
    // The page tries to get away: it stops loading, and navigates itself elsewhere.
    await evaluate(tab.session, 'window.stop(); true');
    const loaded = new Promise<void>((resolve) => {
      const off = tab.session.on('Page.loadEventFired', () => {
        off();
        resolve();
      });
    });
    await evaluate(tab.session, `location.href = ${JSON.stringify(server.url('/tall.html'))}; true`);
    await loaded;
    await scroll(3);
    // Then the investigator opens another address: the same video goes on.
    await browse(tab.session, server.url('/elsewhere.html'));
    await framesSettled();
    live.stopVideo();
    const item = await stored;
    const rec = json<VideoCaptureRecord>(item);
    expect(rec.stoppedBy).toBe('investigator');
    expect(rec.pageUrl).toBe(server.url('/regions.html'));
    expect(rec.pageLoads.map((p) => p.url)).toEqual([
      server.url('/tall.html'),
      server.url('/elsewhere.html'),
    ]);
    expect(rec.video.frames).toBeGreaterThan(2);
  }, 120_000);
});

describe('recording through the API, as the app window does', () => {
  it('captureLive with what "video" answers with the stored item once stopLiveVideo is called, with progress while recording', async () => {
    const apiTemp = makeTempStore({ caseNumber: 'API-VIDEO-1' });
    let encodersClosed = 0;
    const service = createApiService({
      storeDir: apiTemp.dir,
      watchTickMs: false,
      live: {
        current: () => live,
        openVideoEncoder: async () => ({
          page: encoder,
          close: async () => {
            encodersClosed++;
          },
        }),
      },
    });
    try {
      await browse(tab.session, server.url('/regions.html'));
      const progress: ApiProgress[] = [];
      let reported!: () => void;
      const firstReport = new Promise<void>((resolve) => {
        reported = resolve;
      });
      const recording = service.call(
        'captureLive',
        { caseRef: 'API-VIDEO-1', what: 'video' },
        {
          onProgress: (p) => {
            progress.push(p);
            reported();
          },
        },
      );
      // The call reports once frames are being recorded (a call that answers first fails here).
      await Promise.race([firstReport, recording]);
      expect(progress[0]).toMatchObject({ stage: 'recording', done: 0, total: 200_000_000 });
      await scroll(3);
      expect(await service.call('stopLiveVideo', {})).toMatchObject({
        ok: true,
        value: { frames: expect.any(Number), bytes: expect.any(Number) },
      });
      const answer = await recording;
      expect(answer).toMatchObject({ ok: true });
      const item = (answer as { value: ItemSummary }).value;
      expect(item.artifacts.map((a) => a.role)).toEqual(['video', 'viewport', 'viewport', 'metadata']);
      expect(encodersClosed).toBe(1);
      expect(await service.call('stopLiveVideo', {})).toMatchObject({
        ok: false,
        error: {
          kind: 'bad-input',
          message: expect.stringMatching(/no video of the live view is being recorded/),
        },
      });
      expect(await service.call('listItems', { caseRef: 'API-VIDEO-1' })).toMatchObject({
        ok: true,
        value: [{ id: item.id }],
      });
    } finally {
      service.close();
      apiTemp.remove();
    }
  }, 120_000);
});
