import type { CdpSession } from './cdp-session.js';
import { seconds, withTimeout } from './timing.js';

/**
 * An expression that resolves once the page has rendered twice (IntersectionObserver callbacks and
 * repaints happen at rendering updates), or after 200 ms where rendering is throttled: a wait that
 * adapts to a busy machine instead of guessing a duration.
 */
export const NEXT_FRAMES =
  'new Promise((resolve) => { requestAnimationFrame(() => requestAnimationFrame(resolve)); setTimeout(resolve, 200); })';

/**
 * Evaluates expressions in an isolated world of the page's top frame: the page's DOM, but none of
 * its scripts' globals, so a page cannot fake what the engine reads (by redefining `innerText`,
 * `outerHTML` or `document.title`'s getter, say) or notice the engine's code.
 */
export class IsolatedWorld {
  private context: Promise<number> | undefined;

  constructor(
    private readonly session: CdpSession,
    private readonly frameId: string,
    private readonly timeoutMs: number,
  ) {}

  /** Evaluates `expression` (awaiting a promise result) and returns its JSON value. */
  async evaluate<T>(expression: string): Promise<T> {
    try {
      return await this.evaluateOnce<T>(expression);
    } catch (error) {
      // The document changed since the world was made (a navigation): make a new one and retry.
      if (!/context|not found|destroyed/i.test((error as Error).message)) throw error;
      this.context = undefined;
      return this.evaluateOnce<T>(expression);
    }
  }

  /** Waits until the page has rendered twice (see NEXT_FRAMES). */
  async nextFrames(): Promise<void> {
    await this.evaluate(`${NEXT_FRAMES}.then(() => true)`);
  }

  private async evaluateOnce<T>(expression: string): Promise<T> {
    this.context ??= this.session
      .send('Page.createIsolatedWorld', { frameId: this.frameId, worldName: 'custos-capture' })
      .then(({ executionContextId }) => executionContextId);
    const contextId = await this.context;
    const result = await withTimeout(
      this.session.send('Runtime.evaluate', {
        expression,
        contextId,
        awaitPromise: true,
        returnByValue: true,
      }),
      this.timeoutMs,
      `the page did not answer within ${seconds(this.timeoutMs)} (its scripts may be stuck)`,
    );
    if (result.exceptionDetails) {
      throw new Error(result.exceptionDetails.exception?.description ?? result.exceptionDetails.text);
    }
    return result.result.value as T;
  }
}
