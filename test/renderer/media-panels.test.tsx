// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { CaptureRecordPanel } from '../../renderer/src/screens/capture-record-panel.js';
import { MediaMetadataPanel, readableExifTime } from '../../renderer/src/screens/media-panels.js';
import type { ItemDetailView } from '../../shared/api.js';
import { type Mounted, render } from './support/render.js';

let mounted: Mounted | undefined;
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
});

/** An imported phone photo as getItem answers it: its EXIF as the import read it. */
const PHOTO = {
  id: 'item-p',
  kind: 'import',
  capturedAt: '2026-12-02T06:40:00.000Z',
  record: {
    timeZone: 'UTC',
    investigator: { name: 'Ana Ruiz' },
    metadata: {
      originalName: 'IMG_2231.jpg',
      media: {
        camera: { make: 'Apple', model: 'iPhone 12' },
        dateTimeOriginal: '2024:05:01 14:32:10',
        offsetTimeOriginal: '+03:00',
        modifyDate: '2024:05:02 09:00:00',
        gps: { latitude: 32.891667, longitude: 13.179167, time: '2024:05:01 11:32:10 UTC' },
      },
    },
  },
  webRecord: null,
} as unknown as ItemDetailView;

describe('an imported photo', () => {
  it('shows its EXIF dates readably, exactly as the camera wrote them (never converted)', async () => {
    mounted = await render(<MediaMetadataPanel item={PHOTO} />);
    const text = mounted.container.textContent ?? '';
    expect(text).toContain('2024-05-01 14:32:10 (offset +03:00)');
    expect(text).toContain('2024-05-02 09:00:00');
    expect(text).toContain('2024-05-01 11:32:10 UTC');
    expect(text).not.toContain('2024:05:01');
  });

  it('keeps an EXIF date of any other shape as written', () => {
    expect(readableExifTime('2024:05:01 14:32:10')).toBe('2024-05-01 14:32:10');
    expect(readableExifTime('2024:05:01')).toBe('2024-05-01');
    expect(readableExifTime('    :  :     :  :  ')).toBe('    :  :     :  :  ');
    expect(readableExifTime('2024-05-01T14:32:10+03:00')).toBe('2024-05-01T14:32:10+03:00');
    expect(readableExifTime(undefined)).toBeUndefined();
  });

  it('its record says when it was imported, not captured', async () => {
    mounted = await render(<CaptureRecordPanel item={PHOTO} />);
    const text = mounted.container.textContent ?? '';
    expect(text).toContain('Imported');
    expect(text).not.toMatch(/Captured\d/);
  });
});
