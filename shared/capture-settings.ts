/**
 * The store's capture defaults, as the investigator sets them in Settings: the browser window a
 * page is captured in (a desktop window or a phone's, with a phone's user agent), how long to wait,
 * and where a video of the live view stops. Every capture by the CLI and the app uses them, and
 * its record says what it used. Plain data and schemas: runs in Node, in Electron and in the browser.
 */
import { z } from 'zod';

/** Window presets: a desktop browser, and a phone (the platforms' mobile pages, as an app user sees them). */
export const CAPTURE_PRESETS = {
  desktop: { viewport: { width: 1280, height: 800 }, mobile: false },
  mobile: { viewport: { width: 390, height: 844 }, mobile: true },
} as const;

/** A preset's name, or `custom` for a window size of the investigator's own. */
export type CapturePreset = keyof typeof CAPTURE_PRESETS | 'custom';

const whole = (what: string, min: number, max: number, unit: string) =>
  z
    .number({ message: `${what} must be a number` })
    .int(`${what} must be a whole number of ${unit}`)
    .min(min, `${what} must be at least ${min} ${unit}`)
    .max(max, `${what} must be at most ${max} ${unit}`);

/** Capture defaults as Settings edits them (in the units a person thinks in). */
export const captureSettingsSchema = z.object({
  preset: z.enum(['desktop', 'mobile', 'custom']),
  viewport: z.object({
    width: whole('the window width', 320, 3840, 'pixels'),
    height: whole('the window height', 480, 4320, 'pixels'),
  }),
  /** Emulate a phone: touch, a mobile layout and a phone browser's user agent. */
  mobile: z.boolean(),
  navigationTimeoutSeconds: whole('the time to wait for the server', 5, 300, 'seconds'),
  loadTimeoutSeconds: whole('the time to wait for the page to load', 5, 300, 'seconds'),
  videoMaxMegabytes: whole('the video size limit', 1, 100_000, 'MB'),
  videoMaxMinutes: whole('the video length limit', 1, 24 * 60, 'minutes'),
});

/** The store's capture defaults. */
export type CaptureSettings = z.infer<typeof captureSettingsSchema>;

/** The defaults of a store where nobody changed them. */
export const DEFAULT_CAPTURE_SETTINGS: CaptureSettings = {
  preset: 'desktop',
  viewport: { ...CAPTURE_PRESETS.desktop.viewport },
  mobile: false,
  navigationTimeoutSeconds: 30,
  loadTimeoutSeconds: 20,
  videoMaxMegabytes: 200,
  videoMaxMinutes: 30,
};

/** The settings with a preset applied (its window size and mobile emulation). */
export function withPreset(settings: CaptureSettings, preset: CapturePreset): CaptureSettings {
  if (preset === 'custom') return { ...settings, preset };
  const { viewport, mobile } = CAPTURE_PRESETS[preset];
  return { ...settings, preset, viewport: { ...viewport }, mobile };
}
