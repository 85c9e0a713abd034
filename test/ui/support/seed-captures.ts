import { expect } from 'vitest';
import { captureUrls } from '../../../electron/core/capture/capture-service.js';
import type { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import type { UiSession } from './ui-session.js';

/** The investigator and case the seeded stores of the UI tests belong to. */
export const SEEDED_CASE = { number: 'BE-2026-0142', title: 'Boat crossings advertised on Facebook' };

/**
 * A store with one case holding real page captures (WARC, screenshot, MHTML) of `urls`, made by
 * the capture service in real Chromium as `custos capture` does, then what `more` adds; the app
 * reloads to show them.
 */
export async function seedPageCaptures(
  ui: UiSession,
  urls: readonly string[],
  more?: (store: EvidenceStore) => Promise<void>,
): Promise<void> {
  await ui.seedStore({ name: 'Ana Ruiz', agency: 'Border Police' }, async (store) => {
    store.createCase(SEEDED_CASE);
    const outcome = await captureUrls(store, {
      urls: urls.map((url) => new URL(url)),
      caseRef: SEEDED_CASE.number,
    });
    expect(outcome.failures.map((f) => f.error.message)).toEqual([]);
    await more?.(store);
  });
}
