import type { ApiMethod, ApiOutputs, ApiParsedInput } from '../../../../shared/api.js';
import type { PdfPrinter } from '../../bundle/pdf-printer.js';
import type { BrowserProvider } from '../../capture/capture-service.js';
import type { LiveCapture } from '../../capture/live/live-capture.js';
import type { VideoEncoderPage } from '../../capture/video/video-encoder.js';
import type { ReplayOrigin } from '../../replay/replay-view.js';
import type { KeyProtector } from '../../store/signing-key.js';
import type { CallContext } from '../services/cancellation.js';
import type { StoreAccess } from '../services/store-access.js';
import type { WatchScheduler } from '../services/watch-scheduler.js';

/** What every handler can reach: the store and the service's settings. */
export interface ServiceEnvironment {
  readonly store: StoreAccess;
  /** Where export suggests saving bundles. */
  readonly exportDir: string;
  /** Prints report.pdf; unset means the system Chromium. */
  readonly printer?: PdfPrinter;
  /** Captures with this browser; unset means the system Chromium. */
  readonly browser?: BrowserProvider;
  /** Runs watches: due ones on its timer, others when asked. */
  readonly watches: WatchScheduler;
  /** Seals the signing key (the app's OS keychain); unset where there is none. */
  readonly keyProtector?: KeyProtector;
  /** The desktop app's live view; unset where there is none (the browser harness, tests). */
  readonly live?: LiveViewSource;
  /** Where replays are served (the app's replay scheme, the harness's replay port); unset: none. */
  readonly replay?: ReplayOrigin;
}

/** Where the API finds the live view's recording, when the app has one open. */
export interface LiveViewSource {
  current(): LiveCapture | null;
  /**
   * A page where a video of the view is encoded (never the view's own page), closed when the
   * recording ends; absent where the shell has none.
   */
  openVideoEncoder?(): Promise<{ readonly page: VideoEncoderPage; close(): Promise<void> }>;
}

/** One handler: the parsed input in, the method's output (or a thrown CustosError) out. */
export type Handler<M extends ApiMethod> = (
  input: ApiParsedInput<M>,
  context: CallContext,
  env: ServiceEnvironment,
) => Promise<ApiOutputs[M]> | ApiOutputs[M];

/** A group of handlers, keyed by method. */
export type HandlerGroup<K extends ApiMethod> = { readonly [M in K]: Handler<M> };
