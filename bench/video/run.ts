/**
 * Video benchmark. Serves the fixture site on 127.0.0.1, opens the endless feed in a live view of
 * 1280x800 and records it while the mouse wheel scrolls it for SECONDS, then a page of noise
 * redrawn at every frame (the encoder's worst case), and prints for each what the recording kept: frames the browser sent, frames in the video, frames dropped while the encoder
 * was busy, frames per second of video, the WebM's size and bitrate, and how long storing took
 * after the stop. Keeps the WebM at OUT when given (to look at it with a player).
 *
 *   node --import tsx bench/video/run.ts [SECONDS] [OUT.webm]
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { extraChromiumArgs, findChromium } from '../../electron/core/capture/browser/browser-discovery.js';
import { launchChromium } from '../../electron/core/capture/browser/playwright-browser.js';
import { recordLiveVideo } from '../../electron/core/capture/capture-service.js';
import { DEFAULT_CAPTURE_OPTIONS } from '../../electron/core/capture/engine/capture-page.js';
import type { CdpSession } from '../../electron/core/capture/engine/cdp-session.js';
import { LiveCapture } from '../../electron/core/capture/live/live-capture.js';
import type { VideoCaptureRecord } from '../../electron/core/capture/video/video-capture.js';
import { cdpEncoderPage } from '../../electron/core/capture/video/video-encoder.js';
import { EvidenceStore } from '../../electron/core/store/evidence-store.js';
import { startFixtureServer } from '../../test/support/fixture-server.js';
import {
  makeBenchDir,
  mb,
  printFigures,
  REPO_ROOT,
  removeBenchDir,
  secs,
  timed,
} from '../support/bench-kit.js';

const SECONDS = Number(process.argv[2] ?? 6);
const OUT = process.argv[3];
const CASE = 'BENCH-VIDEO';

async function loaded(session: CdpSession, url: string): Promise<void> {
  const done = new Promise<void>((resolve) => {
    const off = session.on('Page.loadEventFired', () => {
      off();
      resolve();
    });
  });
  await session.send('Page.navigate', { url });
  await done;
}

const dir = makeBenchDir('video');
const server = await startFixtureServer();
const encoderHtml = fs.readFileSync(path.join(REPO_ROOT, 'renderer', 'public', 'video-encoder.html'));
const appServer = http.createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  response.end(encoderHtml);
});
await new Promise<void>((resolve) => appServer.listen(0, '127.0.0.1', resolve));
const store = EvidenceStore.openForWriting(path.join(dir, 'store'), { create: true });
store.init({ name: 'Bench Investigator', agency: null, badge: null });
store.createCase({ number: CASE, title: 'Video benchmark' });
const browser = await launchChromium({ executablePath: findChromium(), extraArgs: extraChromiumArgs() });
try {
  const tab = await browser.openTab();
  const encoderTab = await browser.openTab();
  await encoderTab.session.send('Page.enable');
  await loaded(encoderTab.session, `http://127.0.0.1:${(appServer.address() as AddressInfo).port}/`);
  await tab.session.send('Emulation.setDeviceMetricsOverride', {
    width: 1280,
    height: 800,
    deviceScaleFactor: 1,
    mobile: false,
  });
  const live = await LiveCapture.start(tab.session, {
    persona: null,
    browser: { executable: findChromium(), headless: true, extraArgs: [] },
    options: DEFAULT_CAPTURE_OPTIONS,
  });
  /** Records `page` for SECONDS (scrolling it with the wheel when asked) and prints the figures. */
  const measure = async (page: string, title: string, scrolling: boolean, out?: string) => {
    await loaded(tab.session, server.url(page));
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const stored = recordLiveVideo(async (work) => work(store), live, {
      caseRef: CASE,
      encoder: cdpEncoderPage(encoderTab.session),
      onStarted: () => started(),
    });
    await running;
    const until = Date.now() + SECONDS * 1000;
    while (Date.now() < until) {
      if (scrolling) {
        await tab.session.send('Input.dispatchMouseEvent', {
          type: 'mouseWheel',
          x: 640,
          y: 400,
          deltaX: 0,
          deltaY: 120,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const { value: item, seconds: storing } = await timed(async () => {
      live.stopVideo();
      return stored;
    });
    const artifact = (role: string) => item.artifacts.find((a) => a.role === role)!;
    const record = JSON.parse(
      fs.readFileSync(store.blobs.pathOf(artifact('metadata').sha256), 'utf8'),
    ) as VideoCaptureRecord;
    const webm = artifact('video');
    if (out) fs.copyFileSync(store.blobs.pathOf(webm.sha256), out);
    printFigures(title, [
      ['frames the browser sent', String(record.frames.received)],
      ['frames in the video', String(record.video.frames)],
      ['dropped (encoder busy)', String(record.frames.dropped)],
      ['video duration', secs(record.video.durationSeconds)],
      ['frames per second of video', (record.video.frames / record.video.durationSeconds).toFixed(1)],
      ['video size', `${record.video.width}x${record.video.height} ${record.video.codec}`],
      ['WebM file', mb(webm.size)],
      ['bitrate', `${((webm.size * 8) / record.video.durationSeconds / 1e6).toFixed(2)} Mbit/s`],
      ['stop to stored item', secs(storing)],
      ['scrolled to (last frame)', `${record.scroll.last.y} px`],
    ]);
  };
  await measure(
    '/feed.html',
    `the endless feed, 1280x800, scrolled by the mouse wheel (a step every 100 ms) for ${SECONDS} s`,
    true,
    OUT,
  );
  // The worst case: every pixel changes at every frame, so the encoder sets the pace.
  await measure('/noise.html', `a page of noise redrawn at every frame, 1280x800, for ${SECONDS} s`, false);
  await live.close();
} finally {
  await browser.close();
  store.close();
  await server.close();
  appServer.close();
  removeBenchDir(dir);
}
