import type { CdpSession } from './cdp-session.js';
import { type IsolatedWorld, NEXT_FRAMES } from './isolated-world.js';
import type { NetworkRecorder } from './network-recorder.js';
import { seconds, sleep } from './timing.js';

/** Bounds of every wait before the page is captured. */
export interface SettleLimits {
  /** For the load event of the page (a sub-resource that never finishes delays it forever). */
  readonly loadTimeoutMs: number;
  /** "Network idle" means no request open for this long. */
  readonly idleQuietMs: number;
  readonly idleTimeoutMs: number;
  /** For scrolling through the page to make lazy content load. */
  readonly scrollTimeoutMs: number;
  readonly maxScrollSteps: number;
  /** Scrolling stops at this height (CSS px): an endless feed must end somewhere. */
  readonly maxPageHeight: number;
  /** For web fonts and images to finish. */
  readonly mediaTimeoutMs: number;
  /** Client-side redirects (script, meta refresh) followed before the page is taken as it is. */
  readonly maxClientRedirects: number;
}

/** Follows the top frame's documents: which one is current, and which have fired their load event. */
export class MainFrameLifecycle {
  private current: string | undefined;
  private readonly loaded = new Set<string>();
  private readonly waiters = new Set<() => void>();
  private ended = false;

  constructor(
    session: CdpSession,
    private readonly mainFrameId: string,
  ) {
    session.on('Page.frameNavigated', ({ frame }) => {
      if (frame.id !== this.mainFrameId) return;
      this.current = frame.loaderId;
      this.wake();
    });
    session.on('Page.lifecycleEvent', (e) => {
      if (e.frameId !== this.mainFrameId || e.name !== 'load') return;
      this.loaded.add(e.loaderId);
      this.wake();
    });
  }

  /** Must be called before the navigation starts, so no event is missed. */
  static async start(session: CdpSession, mainFrameId: string): Promise<MainFrameLifecycle> {
    const lifecycle = new MainFrameLifecycle(session, mainFrameId);
    await session.send('Page.setLifecycleEventsEnabled', { enabled: true });
    return lifecycle;
  }

  /** The loader of the document now in the top frame. */
  get loaderId(): string | undefined {
    return this.current;
  }

  /** Waits for the current document's load event; false when it has not come within `timeoutMs`. */
  async waitForLoad(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!(this.current && this.loaded.has(this.current))) {
      if (this.ended) return false;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.add(done);
      });
    }
    return true;
  }

  /** Ends every wait for a load, now and later, with false: the tab is gone and no event will come. */
  end(): void {
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    for (const waiter of this.waiters) waiter();
    this.waiters.clear();
  }
}

/** Waits until no request has been open for `quietMs`; false when that has not happened within `timeoutMs`. */
export async function waitForNetworkIdle(
  recorder: NetworkRecorder,
  quietMs: number,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (recorder.inFlight === 0 && recorder.quietFor >= quietMs) return true;
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(50, deadline - Date.now()));
  }
}

/**
 * Waits for the page to load and the network to settle, following client-side redirects (a
 * script or meta refresh that moves the top frame on at once, as link shorteners do). Returns
 * notes on every wait that ran out.
 */
export async function settleAfterNavigation(
  lifecycle: MainFrameLifecycle,
  recorder: NetworkRecorder,
  limits: SettleLimits,
): Promise<string[]> {
  const notes: string[] = [];
  for (let redirects = 0; ; redirects++) {
    const document = lifecycle.loaderId;
    if (!(await lifecycle.waitForLoad(limits.loadTimeoutMs))) {
      notes.push(
        `the page's load event had not fired after ${seconds(limits.loadTimeoutMs)}; it was captured as it was then`,
      );
      return notes;
    }
    if (!(await waitForNetworkIdle(recorder, limits.idleQuietMs, limits.idleTimeoutMs))) {
      notes.push(
        `the network had not gone quiet after ${seconds(limits.idleTimeoutMs)} (${recorder.inFlight} requests still open); the page was captured as it was then`,
      );
    }
    if (lifecycle.loaderId === document) return notes;
    if (redirects >= limits.maxClientRedirects) {
      notes.push(`the page kept navigating on its own (${redirects} times); it was captured as it was then`);
      return notes;
    }
  }
}

interface ScrollState {
  readonly y: number;
  readonly viewportHeight: number;
  readonly height: number;
}

/** How scrolling through the page ended. */
export interface ScrollResult {
  readonly steps: number;
  readonly height: number;
  readonly stoppedBy: 'bottom' | 'height-limit' | 'step-limit' | 'time-limit';
}

const SCROLL_STATE = `(() => { const el = document.scrollingElement || document.documentElement;
  return { y: window.scrollY, viewportHeight: window.innerHeight, height: Math.max(el.scrollHeight, document.body ? document.body.scrollHeight : 0) }; })()`;

/**
 * How long the bottom of a page is watched for more content before scrolling ends. A slow page
 * (a loaded machine, a feed that waits before asking) asks for its next page a while after the
 * bottom comes into view; without this grace such a feed was cut at its first screens, or, when
 * its first page came late, captured with no posts at all. A page that fits one screen and never
 * grows costs this once.
 */
const FEED_GRACE_MS = 1_000;

/** Waits up to `graceMs` for the page to grow past `height` (letting any request it makes finish). */
async function waitForGrowth(
  world: IsolatedWorld,
  recorder: NetworkRecorder,
  height: number,
  graceMs: number,
): Promise<ScrollState> {
  const until = Date.now() + Math.max(0, graceMs);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    await waitForNetworkIdle(recorder, 100, Math.max(0, Math.min(1500, until + 1500 - Date.now())));
    const now = await world.evaluate<ScrollState>(SCROLL_STATE);
    if (now.height > height || Date.now() >= until) return now;
  }
}

/**
 * Scrolls down the page a screen at a time, letting each screen's lazy content load (lazy images,
 * IntersectionObserver feeds), until the bottom stops moving or a limit is reached; then back to
 * the top, where the screenshots start.
 */
export async function scrollThrough(
  world: IsolatedWorld,
  recorder: NetworkRecorder,
  limits: SettleLimits,
): Promise<ScrollResult> {
  const deadline = Date.now() + limits.scrollTimeoutMs;
  let state = await world.evaluate<ScrollState>(SCROLL_STATE);
  let steps = 0;
  let stoppedBy: ScrollResult['stoppedBy'] = 'bottom';
  for (;;) {
    const atBottom = state.y + state.viewportHeight >= state.height - 2;
    if (atBottom) {
      // An endless feed adds content when the bottom comes into view: give it a moment to do so.
      if (steps > 0) {
        await world.nextFrames();
        await waitForNetworkIdle(recorder, 250, Math.min(2000, deadline - Date.now()));
      }
      let after = await world.evaluate<ScrollState>(SCROLL_STATE);
      // Also before the first step: a page that fits one screen may be a feed that has not yet
      // asked for its first page (a busy page starts watching its bottom late).
      if (after.height <= state.height) {
        after = await waitForGrowth(
          world,
          recorder,
          state.height,
          Math.min(FEED_GRACE_MS, deadline - Date.now()),
        );
      }
      if (after.height <= state.height) break;
      state = after;
    }
    if (state.y + state.viewportHeight >= limits.maxPageHeight) {
      stoppedBy = 'height-limit';
      break;
    }
    if (steps >= limits.maxScrollSteps) {
      stoppedBy = 'step-limit';
      break;
    }
    if (Date.now() >= deadline) {
      stoppedBy = 'time-limit';
      break;
    }
    state = await world.evaluate<ScrollState>(
      `(async () => { window.scrollBy(0, Math.max(100, Math.floor(window.innerHeight * 0.9))); await ${NEXT_FRAMES}; return ${SCROLL_STATE}; })()`,
    );
    steps++;
    // Whatever the newly visible part asked for (lazy images, the next page of a feed).
    await waitForNetworkIdle(recorder, 100, Math.min(1500, deadline - Date.now()));
  }
  if (steps > 0 || state.y > 0) {
    await world.evaluate(`(async () => { window.scrollTo(0, 0); await ${NEXT_FRAMES}; return true; })()`);
  }
  return { steps, height: state.height, stoppedBy };
}

/** What was still loading when the wait for fonts and images ended. */
export interface MediaState {
  readonly fontsReady: boolean;
  readonly pendingImages: number;
}

/** Waits (within `timeoutMs`) for web fonts and every image of the page to finish. */
export function waitForFontsAndImages(world: IsolatedWorld, timeoutMs: number): Promise<MediaState> {
  return world.evaluate<MediaState>(`(async () => {
    const deadline = Date.now() + ${Math.max(0, Math.floor(timeoutMs))};
    const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    const fontsReady = await Promise.race([document.fonts.ready.then(() => true), pause(${Math.max(0, Math.floor(timeoutMs))}).then(() => false)]);
    for (;;) {
      const pendingImages = Array.from(document.images).filter((img) => !img.complete).length;
      if (pendingImages === 0 || Date.now() >= deadline) return { fontsReady, pendingImages };
      await pause(100);
    }
  })()`);
}
