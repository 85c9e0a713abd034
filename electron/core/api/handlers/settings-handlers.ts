import type { KeyProtectionView, TimestampRequestOutcome } from '../../../../shared/api.js';
import { DEFAULT_CAPTURE_SETTINGS } from '../../../../shared/capture-settings.js';
import { createPersona, listPersonas } from '../../capture/browser/personas.js';
import { readCaptureSettings, saveCaptureSettings } from '../../capture/capture-settings.js';
import { badInput, RUN_AGAIN, WINDOW_AGAIN } from '../../errors.js';
import type { StampResult } from '../../timestamp/stamp-queue.js';
import { configuredAuthorities, setAuthorities } from '../../timestamp/timestamp-settings.js';
import { storeRootAdviceIn } from '../../timestamp/trust-advice.js';
import type { HandlerGroup, ServiceEnvironment } from './handlers.js';

/** The tallest page captured whole (capture-page.ts DEFAULT_CAPTURE_OPTIONS; the engine is not loaded here). */
const MAX_PAGE_HEIGHT = 100_000;

/** The settings screen: store location, time-stamping authorities, personas, capture defaults. */
export const settingsHandlers: HandlerGroup<
  | 'getSettings'
  | 'setAuthorities'
  | 'requestTimestamps'
  | 'setCaptureSettings'
  | 'listPersonas'
  | 'createPersona'
  | 'getKeyProtection'
  | 'setKeyProtection'
> = {
  getSettings: async (_input, _context, { store, exportDir }) => ({
    storeDir: store.dir,
    exportDir,
    authorities: store.exists() ? await store.read((s) => configuredAuthorities(s.db)) : [],
    personas: listPersonas(store.dir).map((p) => p.name),
    capture: {
      ...(store.exists() ? await store.read((s) => readCaptureSettings(s.db)) : DEFAULT_CAPTURE_SETTINGS),
      maxPageHeight: MAX_PAGE_HEIGHT,
    },
  }),
  setAuthorities: (input, _context, { store }) => store.write((s) => setAuthorities(s, input.urls)),
  // `custos timestamp` for the window: the same core run, through the writer, once at a time
  // (the item screen's and Settings' buttons share a run that is out: StoreAccess.resendPendingStamps).
  requestTimestamps: async (_input, _context, { store }) => {
    if (!store.exists()) throw badInput('set up this workstation first (the first-run screen)');
    const results = await store.resendPendingStamps((s) => {
      if (configuredAuthorities(s.db).length === 0) throw badInput(NO_AUTHORITY_HERE);
    });
    return requestOutcome(results);
  },
  setCaptureSettings: (input, _context, { store }) => {
    if (!store.exists()) throw badInput('set up this workstation first (the first-run screen)');
    return store.write((s) => saveCaptureSettings(s, input));
  },
  listPersonas: (_input, _context, { store }) => listPersonas(store.dir).map((p) => p.name),
  // A persona is a browser profile, not evidence: making one writes no custody entry.
  createPersona: (input, _context, { store }) => {
    if (!store.exists()) throw badInput('set up this workstation first (the first-run screen)');
    createPersona(store.dir, input.name);
    return listPersonas(store.dir).map((p) => p.name);
  },
  getKeyProtection: (_input, _context, env) => keyProtectionView(env),
  // The key changes form, not identity: every entry stays signed by the same key; no custody entry.
  setKeyProtection: async (input, _context, env) => {
    if (!env.store.exists()) throw badInput('set up this workstation first (the first-run screen)');
    await env.store.write((s) => s.setKeyProtection(input.protect ? 'keychain' : 'file'));
    return keyProtectionView(env);
  },
};

const NO_AUTHORITY_HERE =
  'no time-stamping authority is configured: enter one under Trusted timestamps in Settings and save it';

/** A run's results as the window says them: counts, and each reason once in the window's words. */
function requestOutcome(results: readonly StampResult[]): TimestampRequestOutcome {
  const pending = results.filter((r) => r.status === 'pending');
  const reasons = pending.flatMap((r) =>
    r.failures.map((f) => storeRootAdviceIn(f.message, WINDOW_AGAIN, RUN_AGAIN)),
  );
  return {
    granted: results.length - pending.length,
    pending: pending.length,
    reasons: [...new Set(reasons)],
  };
}

async function keyProtectionView(env: ServiceEnvironment): Promise<KeyProtectionView> {
  const reason = env.keyProtector
    ? env.keyProtector.unavailable()
    : 'key protection uses the OS keychain, which only the Custos desktop app reaches';
  const state = env.store.exists() ? await env.store.read((s) => s.keyProtection()) : 'uninitialised';
  return { state, available: reason === null, reason };
}
