/**
 * The store's capture defaults (shared/capture-settings.ts), kept in the `settings` table. Each
 * change is a custody entry (`settings.capture`, with what changed): the window a page is seen in
 * decides what a court is shown. `captureUrls` reads them for every capture, by the CLI and the app.
 */
import {
  type CaptureSettings,
  captureSettingsSchema,
  DEFAULT_CAPTURE_SETTINGS,
} from '../../../shared/capture-settings.js';
import { describeSchemaError } from '../../../shared/schemas.js';
import { badInput } from '../errors.js';
import type { ReadableDB } from '../store/database.js';
import type { EvidenceStore } from '../store/evidence-store.js';
import { getSetting, putSetting } from '../store/queries.js';
import type { CaptureOptions } from './engine/capture-page.js';
import type { VideoLimits } from './video/video-capture.js';

const KEY = 'capture.defaults';

/** The store's capture defaults (the built-in ones where nobody changed them). */
export function readCaptureSettings(db: ReadableDB): CaptureSettings {
  const stored = getSetting(db, KEY);
  if (stored === undefined) return DEFAULT_CAPTURE_SETTINGS;
  const parsed = captureSettingsSchema.safeParse({ ...DEFAULT_CAPTURE_SETTINGS, ...JSON.parse(stored) });
  return parsed.success ? parsed.data : DEFAULT_CAPTURE_SETTINGS;
}

/**
 * Replaces the store's capture defaults, with one custody entry naming each value that changed
 * (none when nothing did). Bad values are refused with the reason, and nothing is written.
 */
export function saveCaptureSettings(store: EvidenceStore, input: unknown): CaptureSettings {
  const parsed = captureSettingsSchema.safeParse(input);
  if (!parsed.success) throw badInput(describeSchemaError(parsed.error));
  const next = parsed.data;
  const before = readCaptureSettings(store.db);
  const changes = changedValues(before, next);
  if (Object.keys(changes).length === 0) return before;
  store.transaction((db) => {
    putSetting(db, KEY, JSON.stringify(next));
    store.appendInTransaction(db, {
      action: 'settings.capture',
      caseId: null,
      subject: 'settings',
      details: { changes, settings: next },
    });
  });
  return next;
}

/** Each setting that differs, as `{ from, to }` (the window size as one `1280×800` value). */
function changedValues(
  before: CaptureSettings,
  after: CaptureSettings,
): Record<string, { from: unknown; to: unknown }> {
  const flat = (s: CaptureSettings) => ({
    ...s,
    viewport: `${s.viewport.width}×${s.viewport.height}`,
  });
  const a = flat(before);
  const b = flat(after);
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(b) as (keyof typeof b)[]) {
    if (a[key] !== b[key]) changes[key] = { from: a[key], to: b[key] };
  }
  return changes;
}

/**
 * The engine's options for a capture with these defaults, over the engine's own `base` (passed
 * in: the engine is loaded only once a browser starts).
 */
export function captureOptionsFrom(settings: CaptureSettings, base: CaptureOptions): CaptureOptions {
  return {
    ...base,
    viewport: { ...settings.viewport },
    mobile: settings.mobile,
    navigationTimeoutMs: settings.navigationTimeoutSeconds * 1000,
    settle: { ...base.settle, loadTimeoutMs: settings.loadTimeoutSeconds * 1000 },
  };
}

/** Where a video of the live view stops by itself, with these defaults. */
export function videoLimitsFrom(settings: CaptureSettings): VideoLimits {
  return { maxBytes: settings.videoMaxMegabytes * 1_000_000, maxSeconds: settings.videoMaxMinutes * 60 };
}
