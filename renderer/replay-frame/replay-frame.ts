/**
 * The replay frame page's script (runs on the replay origin, never in the app's page): registers
 * wabac.js's service worker, loads the item's stored WARC into a collection of its own, and opens
 * the captured page from the archive in a frame. It reports its state to the app's window only.
 * Bundled into out/replay by scripts/build-replay.ts.
 */
import { REPLAY_FRAME_PARAMS, REPLAYED_PAGE_CSP, type ReplayFrameMessage } from '../../shared/replay.js';

/** The name wabac's rewritten pages look for in the frame that holds them. */
const REPLAY_TOP_FRAME_NAME = '___wb_replay_top_frame';

/** A message of the engine's service worker about a collection being loaded. */
interface EngineMessage {
  readonly msg_type?: string;
  readonly name?: string;
  readonly error?: string;
}

/** A message of a replayed page (wombat tells its frame what it shows). */
interface PageMessage {
  readonly wb_type?: string;
  readonly url?: string;
  readonly ts?: string;
  readonly title?: string;
}

const params = new URLSearchParams(location.search);
const parentOrigin = params.get(REPLAY_FRAME_PARAMS.parent);

function report(message: ReplayFrameMessage): void {
  if (!parentOrigin || window.parent === window) return;
  try {
    window.parent.postMessage(message, parentOrigin);
  } catch (error) {
    // A parent origin the browser cannot parse: the replay goes on, only unreported.
    console.warn('the replay frame cannot report to its window', error);
  }
}

function required(name: string): string {
  const value = params.get(name);
  if (!value) throw new Error(`the replay was opened without its ${name}`);
  return value;
}

/** The engine's worker once it is active (a new one installs and claims the page first). */
async function activeEngine(): Promise<ServiceWorker> {
  if (!('serviceWorker' in navigator))
    throw new Error('this window cannot run the replay engine (no service workers)');
  await navigator.serviceWorker.register('./sw.js', { scope: './' });
  const ready = await navigator.serviceWorker.ready;
  if (!ready.active) throw new Error('the replay engine did not start');
  return ready.active;
}

/** Loads the WARC into the collection (kept when it is already loaded: a stored WARC never changes). */
function loadCollection(engine: ServiceWorker, collection: string, warcPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const listener = (event: MessageEvent<EngineMessage>) => {
      const data = event.data;
      if (data.name !== collection) return;
      if (data.msg_type === 'collAdded') {
        navigator.serviceWorker.removeEventListener('message', listener);
        resolve();
      } else if (data.msg_type === 'collProgress' && data.error) {
        navigator.serviceWorker.removeEventListener('message', listener);
        reject(new Error(`the WARC could not be read: ${data.error}`));
      }
    };
    navigator.serviceWorker.addEventListener('message', listener);
    engine.postMessage({
      msg_type: 'addColl',
      name: collection,
      skipExisting: true,
      file: { sourceUrl: `custos:${collection}`, loadUrl: warcPath, name: 'capture.warc.gz' },
      extraConfig: { csp: REPLAYED_PAGE_CSP },
    });
  });
}

/** Opens the archived page and relays what it shows to the app. */
function showPage(collection: string, ts: string, url: string): void {
  const frame = document.createElement('iframe');
  frame.name = REPLAY_TOP_FRAME_NAME;
  frame.title = 'Archived page';
  window.addEventListener('message', (event: MessageEvent<PageMessage>) => {
    if (event.source !== frame.contentWindow) return;
    const data = event.data;
    if (data.wb_type === 'load' || data.wb_type === 'replace-url') {
      report({
        type: 'custos-replay',
        state: 'page',
        url: data.url ?? url,
        ts: data.ts ?? ts,
        title: data.title ?? '',
      });
    }
  });
  // `mp_`: the page itself, rewritten to read every resource from the archive.
  frame.src = `./w/${encodeURIComponent(collection)}/${ts}mp_/${url}`;
  document.body.append(frame);
}

async function start(): Promise<void> {
  report({ type: 'custos-replay', state: 'loading' });
  const itemId = required(REPLAY_FRAME_PARAMS.item);
  const warcPath = required(REPLAY_FRAME_PARAMS.warc);
  const url = required(REPLAY_FRAME_PARAMS.url);
  const ts = required(REPLAY_FRAME_PARAMS.ts);
  const collection = `item-${itemId}`;
  await loadCollection(await activeEngine(), collection, warcPath);
  showPage(collection, ts, url);
}

start().catch((error: unknown) => {
  report({
    type: 'custos-replay',
    state: 'error',
    message: error instanceof Error ? error.message : String(error),
  });
});
