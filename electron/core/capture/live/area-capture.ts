import fs from 'node:fs/promises';
import path from 'node:path';
import { badInput, operationFailure } from '../../errors.js';
import type { BrowserSetup, CapturedFile } from '../engine/capture-page.js';
import {
  type CaptureSubject,
  type LiveRecordParties,
  liveRecordParties,
  workstationFacts,
} from '../engine/capture-record.js';
import type { CdpSession } from '../engine/cdp-session.js';
import { IsolatedWorld } from '../engine/isolated-world.js';
import { seconds, withTimeout } from '../engine/timing.js';

/** A rectangle in CSS pixels of the view, from its top-left corner (what the investigator dragged). */
export interface ViewRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** What to take: the whole visible area, or a region of it. */
export type AreaRequest = { readonly area: 'visible' } | { readonly area: 'region'; readonly rect: ViewRect };

/** The record of a visible-area or region capture (its `metadata` artifact). */
export interface AreaCaptureRecord extends LiveRecordParties {
  readonly recordType: 'custos.area-capture';
  readonly recordVersion: 1;
  readonly area: 'visible' | 'region';
  readonly pageUrl: string;
  readonly title: string;
  /** Where the page was scrolled to (CSS px). */
  readonly scroll: { readonly x: number; readonly y: number };
  /** The view's visible area, CSS px. */
  readonly viewport: { readonly width: number; readonly height: number };
  readonly deviceScaleFactor: number;
  readonly region: {
    /** In CSS px of the view (from its top-left corner), as taken after clipping to the view. */
    readonly css: ViewRect;
    /** The same rectangle in the page's own coordinates (CSS px from the document's top-left). */
    readonly page: ViewRect;
    /** In device pixels: the PNG's own pixels. */
    readonly device: ViewRect;
    /** The rectangle asked for, when it had to be clipped to the view. */
    readonly requested: ViewRect | null;
  };
  readonly image: { readonly width: number; readonly height: number; readonly mediaType: 'image/png' };
  readonly capture: {
    readonly takenAt: string;
    readonly timeZone: string;
    readonly utcOffset: string;
  };
}

/** The files of an area capture and its record. */
export interface AreaCapture {
  readonly record: AreaCaptureRecord;
  readonly files: readonly CapturedFile[];
}

const TIMEOUT_MS = 30_000;

/**
 * Takes a PNG of what the page shows now: the whole visible area, or a rectangle of it (in CSS
 * pixels of the view). DevTools' `Page.captureScreenshot` with a clip in the page's coordinates,
 * at the view's own device scale, so the PNG holds exactly the device pixels the investigator
 * saw. The record says which region, in CSS and device pixels, the page's address and its scroll
 * position. Writes the PNG and the record into `workDir`.
 */
export async function captureArea(
  session: CdpSession,
  mainFrameId: string,
  request: AreaRequest,
  workDir: string,
  subject: CaptureSubject,
  browser: BrowserSetup & { readonly product: string; readonly userAgent: string },
): Promise<AreaCapture> {
  const takenAt = new Date();
  const world = new IsolatedWorld(session, mainFrameId, TIMEOUT_MS);
  const facts = await world.evaluate<{
    url: string;
    title: string;
    x: number;
    y: number;
    width: number;
    height: number;
    scale: number;
  }>(
    '({ url: location.href, title: document.title, x: scrollX, y: scrollY, width: document.documentElement.clientWidth, height: document.documentElement.clientHeight, scale: devicePixelRatio })',
  );
  if (!/^https?:/i.test(facts.url)) {
    throw badInput('the live view shows no web page yet: enter an address and let it load, then capture');
  }
  const metrics = await session.send('Page.getLayoutMetrics');
  const visual = metrics.cssVisualViewport;
  const viewport = { width: Math.floor(visual.clientWidth), height: Math.floor(visual.clientHeight) };
  const asked = request.area === 'region' ? request.rect : null;
  const css = asked ? clipToView(asked, viewport) : { x: 0, y: 0, ...viewport };
  if (!css) {
    throw badInput(
      `the region ${describe(asked!)} lies outside the visible page (${viewport.width}x${viewport.height}); drag a rectangle over the page`,
    );
  }
  const page = { x: visual.pageX + css.x, y: visual.pageY + css.y, width: css.width, height: css.height };
  const scale = facts.scale;
  const device = {
    x: Math.round(css.x * scale),
    y: Math.round(css.y * scale),
    width: Math.round(css.width * scale),
    height: Math.round(css.height * scale),
  };
  const { data } = await withTimeout(
    session.send('Page.captureScreenshot', {
      format: 'png',
      clip: { ...page, scale: 1 },
      fromSurface: true,
      captureBeyondViewport: false,
    }),
    TIMEOUT_MS,
    `the browser did not take the screenshot within ${seconds(TIMEOUT_MS)}`,
  ).catch((error: Error) => {
    throw operationFailure(
      `could not capture the ${request.area === 'region' ? 'region' : 'visible area'}: ${error.message}`,
      {
        cause: error,
      },
    );
  });
  const png = Buffer.from(data, 'base64');
  const image = pngDimensions(png);
  const workstation = workstationFacts(takenAt);
  const record: AreaCaptureRecord = {
    recordType: 'custos.area-capture',
    recordVersion: 1,
    area: request.area,
    pageUrl: facts.url,
    title: facts.title,
    scroll: { x: facts.x, y: facts.y },
    viewport,
    deviceScaleFactor: scale,
    region: { css, page, device, requested: asked && !sameRect(asked, css) ? asked : null },
    image: { ...image, mediaType: 'image/png' },
    capture: {
      takenAt: takenAt.toISOString(),
      timeZone: workstation.timeZone,
      utcOffset: workstation.utcOffset,
    },
    ...liveRecordParties(subject, browser, workstation),
  };
  const name = request.area === 'region' ? 'region.png' : 'visible.png';
  await fs.writeFile(path.join(workDir, name), png);
  await fs.writeFile(path.join(workDir, 'metadata.json'), `${JSON.stringify(record, null, 2)}\n`, 'utf8');
  return {
    record,
    files: [
      // A region is a screenshot of part of the page; the visible area is the viewport.
      {
        role: request.area === 'region' ? 'screenshot' : 'viewport',
        name,
        mediaType: 'image/png',
        path: path.join(workDir, name),
      },
      {
        role: 'metadata',
        name: 'metadata.json',
        mediaType: 'application/json',
        path: path.join(workDir, 'metadata.json'),
      },
    ],
  };
}

/** The part of `rect` inside the view, in whole CSS pixels; null when none of it is. */
export function clipToView(
  rect: ViewRect,
  view: { readonly width: number; readonly height: number },
): ViewRect | null {
  if (![rect.x, rect.y, rect.width, rect.height].every(Number.isFinite)) return null;
  const left = Math.max(0, Math.floor(rect.x));
  const top = Math.max(0, Math.floor(rect.y));
  const right = Math.min(view.width, Math.ceil(rect.x + rect.width));
  const bottom = Math.min(view.height, Math.ceil(rect.y + rect.height));
  if (right - left < 1 || bottom - top < 1) return null;
  return { x: left, y: top, width: right - left, height: bottom - top };
}

function sameRect(a: ViewRect, b: ViewRect): boolean {
  return a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
}

function describe(rect: ViewRect): string {
  return `${rect.width}x${rect.height} at ${rect.x},${rect.y}`;
}

/** Width and height from a PNG's IHDR chunk. */
function pngDimensions(png: Buffer): { width: number; height: number } {
  if (png.length < 24 || png.toString('latin1', 12, 16) !== 'IHDR') {
    throw operationFailure('the browser returned a screenshot that is not a PNG');
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
