/**
 * The service behind `window.custos`: every API method implemented on the core services. Each
 * call's input is parsed with the method's schema from shared/ before any work, and every outcome
 * is returned as an `ApiResult` value, so a transport (Electron IPC, the loopback harness) only
 * carries messages and never decides anything.
 */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import {
  type ApiFailure,
  type ApiMethod,
  type ApiOutputs,
  type ApiProgress,
  type ApiResult,
  apiInputSchemas,
  cancelledResult,
  isApiMethod,
} from '../../../shared/api.js';
import { describeSchemaError } from '../../../shared/schemas.js';
import type { PdfPrinter } from '../bundle/pdf-printer.js';
import type { BrowserProvider } from '../capture/capture-service.js';
import { WINDOW_AGAIN } from '../errors.js';
import { answerReplayRequest, type StoredWarc } from '../replay/replay-request.js';
import type { ReplayOrigin } from '../replay/replay-view.js';
import * as q from '../store/queries.js';
import type { KeyProtector } from '../store/signing-key.js';
import { describeSystemError } from '../system-errors.js';
import { bundleHandlers } from './handlers/bundle-handlers.js';
import { caseHandlers } from './handlers/case-handlers.js';
import { entityHandlers } from './handlers/entity-handlers.js';
import type { Handler, LiveViewSource, ServiceEnvironment } from './handlers/handlers.js';
import { itemHandlers } from './handlers/item-handlers.js';
import { mediaHandlers } from './handlers/media-handlers.js';
import { pictureTextHandlers } from './handlers/picture-text-handlers.js';
import { remoteHandlers } from './handlers/remote-handlers.js';
import { replayHandlers } from './handlers/replay-handlers.js';
import { selectorHandlers } from './handlers/selector-handlers.js';
import { settingsHandlers } from './handlers/settings-handlers.js';
import { watchHandlers } from './handlers/watch-handlers.js';
import { workHandlers } from './handlers/work-handlers.js';
import { type CallContext, isCancel } from './services/cancellation.js';
import { StoreAccess, type StoreUpgradeProbe } from './services/store-access.js';
import { WatchScheduler } from './services/watch-scheduler.js';

/** Where the service keeps its evidence and suggests saving bundles. */
export interface ApiServiceOptions {
  readonly storeDir: string;
  readonly exportDir?: string;
  /** Prints report.pdf (the app passes Electron's printToPDF; else the system Chromium). */
  readonly printer?: PdfPrinter;
  /** Captures pages (the app passes its own Electron views; else the system Chromium). */
  readonly browser?: BrowserProvider;
  /** How often the watch scheduler looks for due watches; `false` leaves it stopped (tests). */
  readonly watchTickMs?: number | false;
  /** The app's live view, for `captureLive`. */
  readonly live?: LiveViewSource;
  /** The app's OS keychain, for key protection. */
  readonly keyProtector?: KeyProtector;
  /** Where replays of captured pages are served; without it the Replay tab says replay is unavailable. */
  readonly replay?: ReplayOrigin;
  /** What tests follow of the upgrade of a store an older Custos wrote. */
  readonly storeUpgradeProbe?: StoreUpgradeProbe;
  /** How long a write waits for another Custos process's writer lock (5 s; tests shorten it). */
  readonly writerLockWaitMs?: number;
}

/** How a transport follows a call. */
export interface CallControls {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ApiProgress) => void;
}

/** The API service a transport calls. */
export interface ApiService {
  /** Runs `method` with the input as it came off the wire (validated here). */
  call(method: string, input: unknown, controls?: CallControls): Promise<ApiResult<unknown>>;
  /**
   * Answers a request on the replay origin (the replay engine's files, the items' WARCs); 404 for
   * everything when the service has no replay origin.
   */
  serveReplay(request: Request): Promise<Response>;
  /** Releases the store. */
  close(): void;
}

const handlers: { readonly [M in ApiMethod]: Handler<M> } = {
  ...caseHandlers,
  ...itemHandlers,
  ...workHandlers,
  ...bundleHandlers,
  ...remoteHandlers,
  ...settingsHandlers,
  ...mediaHandlers,
  ...entityHandlers,
  ...watchHandlers,
  ...replayHandlers,
  ...selectorHandlers,
  ...pictureTextHandlers,
};

/** Makes the API service over the store in `options.storeDir`. */
export function createApiService(options: ApiServiceOptions): ApiService {
  const store = new StoreAccess(path.resolve(options.storeDir), {
    keyProtector: options.keyProtector,
    upgradeProbe: options.storeUpgradeProbe,
    lockWaitMs: options.writerLockWaitMs,
  });
  const tickMs = options.watchTickMs;
  const watches = new WatchScheduler({
    store,
    browser: options.browser,
    ...(typeof tickMs === 'number' ? { tickMs } : {}),
  });
  if (tickMs !== false) watches.start();
  const env: ServiceEnvironment = {
    store,
    exportDir: path.resolve(options.exportDir ?? path.join(os.homedir(), 'Custos exports')),
    printer: options.printer,
    browser: options.browser,
    watches,
    live: options.live,
    keyProtector: options.keyProtector,
    replay: options.replay,
  };
  return {
    call: (method, input, controls = {}) => callMethod(env, method, input, controls),
    serveReplay: (request) => serveReplay(env, request),
    close: () => {
      watches.stop();
      env.store.close();
    },
  };
}

async function serveReplay(env: ServiceEnvironment, request: Request): Promise<Response> {
  const replay = env.replay;
  if (!replay) return new Response('this program serves no replays', { status: 404 });
  return answerReplayRequest(request, {
    engineDir: replay.engineDir,
    appOrigin: replay.appOrigin,
    // Only a WARC artifact of the item named by its whole id is served: a hash alone reaches no other blob.
    warc: (itemId, sha256) =>
      env.store.exists()
        ? env.store.read((s): StoredWarc | null => {
            const item = q.findItem(s.db, itemId);
            const warc =
              item?.id === itemId &&
              q.listArtifacts(s.db, item.id).find((a) => a.role === 'warc' && a.sha256 === sha256);
            return warc ? { file: s.blobs.pathOf(warc.sha256), size: warc.size } : null;
          })
        : Promise.resolve(null),
  });
}

async function callMethod(
  env: ServiceEnvironment,
  method: string,
  input: unknown,
  controls: CallControls,
): Promise<ApiResult<unknown>> {
  if (!isApiMethod(method)) {
    return failure('bad-input', `there is no API method named ${JSON.stringify(method)}`);
  }
  const parsed = (apiInputSchemas[method] as z.ZodType).safeParse(input ?? {});
  if (!parsed.success) return failure('bad-input', describeSchemaError(parsed.error));
  const context: CallContext = {
    signal: controls.signal ?? new AbortController().signal,
    progress: controls.onProgress ?? (() => undefined),
  };
  try {
    const handler = handlers[method] as Handler<ApiMethod>;
    const value: ApiOutputs[ApiMethod] = await handler(parsed.data as never, context, env);
    return { ok: true, value };
  } catch (error) {
    return asFailure(error);
  }
}

function asFailure(error: unknown): ApiResult<never> {
  if (isCancel(error)) return cancelledResult();
  const known = describeSystemError(error);
  if (known)
    return failure(known.kind, known.messageSaying(WINDOW_AGAIN), {
      found: known.found,
      finding: known.finding,
    });
  if (error instanceof z.ZodError) return failure('bad-input', describeSchemaError(error));
  // Not an expected failure: say so plainly, and keep the detail for the developer's console.
  console.error(error);
  const message = error instanceof Error ? error.message : String(error);
  return failure('failure', `unexpected error: ${message}`);
}

function failure(
  kind: string,
  message: string,
  extra: Pick<ApiFailure, 'found' | 'finding'> = {},
): ApiResult<never> {
  const { found, finding } = extra;
  return {
    ok: false,
    error: { kind, message, ...(found ? { found } : {}), ...(finding ? { finding } : {}) },
  };
}
