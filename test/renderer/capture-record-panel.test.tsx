// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { CaptureRecordPanel } from '../../renderer/src/screens/capture-record-panel.js';
import type { ItemDetailView } from '../../shared/api.js';
import { type Mounted, render } from './support/render.js';

let mounted: Mounted | undefined;
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
});

/** A video item as getItem answers it: its record is the `custos.video-capture` JSON. */
const VIDEO_ITEM = {
  id: 'item-v',
  capturedAt: '2026-12-02T06:40:00.000Z',
  record: { timeZone: 'UTC', investigator: { name: 'Ana Ruiz' }, metadata: {} },
  webRecord: {
    recordType: 'custos.video-capture',
    pageUrl: 'https://market.test/feed',
    title: 'Boat trips',
    video: { frames: 52, durationSeconds: 5.09, width: 1280, height: 800, codec: 'vp8' },
    frames: { dropped: 3 },
    stoppedBy: 'size-limit',
    recording: { stoppedAt: '2026-12-02T06:40:06.000Z' },
    browser: { product: 'Chrome/141', persona: 'sea-trips' },
  },
} as unknown as ItemDetailView;

describe('the capture record of a video', () => {
  it('says what was recorded, how long, how large, how many frames were dropped and why it stopped', async () => {
    mounted = await render(<CaptureRecordPanel item={VIDEO_ITEM} />);
    const text = mounted.container.textContent ?? '';
    expect(text).toContain('Page recordedhttps://market.test/feed');
    expect(text).toContain('52 frames, 5.09 s, 1280×800 vp8 (WebM)');
    expect(text).toContain('Frames dropped (encoder busy)3');
    expect(text).toContain('Stoppedat its size limit');
    expect(text).toContain('Personasea-trips');
    // Not a page load: no TLS or HTTP status rows.
    expect(text).not.toContain('TLS');
    expect(text).not.toContain('HTTP status');
  });
});
