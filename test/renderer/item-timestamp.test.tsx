// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { ItemTimestampStatus } from '../../renderer/src/screens/item-timestamp.js';
import type { ItemTimestamp, TimestampRequestOutcome } from '../../shared/api.js';
import { fakeApi, type Mounted, render, settle } from './support/render.js';

let mounted: Mounted | undefined;
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
  window.custos = undefined;
});

const REFUSED = 'http://127.0.0.1:9/tsa: could not reach the authority (connect ECONNREFUSED 127.0.0.1:9)';

describe("the item screen's trusted timestamp", () => {
  it('says why a pending stamp was not granted, and that the button below sends it again', async () => {
    const pending: ItemTimestamp = { status: 'pending', authority: null, time: null, lastError: REFUSED };
    mounted = await render(<ItemTimestampStatus timestamps={[pending]} />);
    const box = mounted.container.querySelector('.warn-box');
    expect(box?.textContent).toContain(`Not stamped yet: ${REFUSED}`);
    expect(box?.textContent).toContain('press Ask the authorities again to send it now');
    expect(box?.textContent).not.toContain('ask whoever looks after');
    expect(mounted.container.textContent).toContain('requested, waiting for an authority');
  });

  it('shows the reason as text, never as markup', async () => {
    const pending: ItemTimestamp = {
      status: 'pending',
      authority: null,
      time: null,
      lastError: '<b>bad</b> reply',
    };
    mounted = await render(<ItemTimestampStatus timestamps={[pending]} />);
    expect(mounted.container.querySelector('b')).toBeNull();
    expect(mounted.container.textContent).toContain('Not stamped yet: <b>bad</b> reply');
  });

  it('shows no failure once a stamp is granted, even if an earlier attempt failed', async () => {
    const granted: ItemTimestamp = {
      status: 'granted',
      authority: 'Test TSA',
      time: '2026-12-07T02:00:00.000Z',
      lastError: REFUSED,
    };
    mounted = await render(<ItemTimestampStatus timestamps={[granted]} />);
    expect(mounted.container.textContent).toContain('granted by Test TSA');
    expect(mounted.container.textContent).not.toContain('Not stamped yet');
    expect(mounted.container.querySelector('.warn-box')).toBeNull();
  });

  /** Mounts a refused stamp with a fake `requestTimestamps` that answers when `answer` is resolved. */
  async function mountAsking(outcome: TimestampRequestOutcome | Error) {
    let answer = () => undefined as unknown;
    const replied = new Promise((resolve) => {
      answer = () => resolve(outcome);
    });
    const calls = fakeApi({ requestTimestamps: () => replied });
    let reloads = 0;
    const pending: ItemTimestamp = { status: 'pending', authority: null, time: null, lastError: REFUSED };
    mounted = await render(<ItemTimestampStatus timestamps={[pending]} onRequested={() => reloads++} />);
    const button = () =>
      [...(mounted?.container.querySelectorAll('button') ?? [])].find((b) =>
        /authorities/.test(b.textContent ?? ''),
      ) as HTMLButtonElement;
    expect(button().textContent).toBe('Ask the authorities again');
    expect(button().getAttribute('aria-disabled')).toBeNull();
    await act(async () => button().click());
    // While the requests are out: aria-disabled (not disabled, which loses the keyboard's focus),
    // and says so; a second press sends nothing more.
    expect(button().getAttribute('aria-disabled')).toBe('true');
    expect(button().disabled).toBe(false);
    expect(button().textContent).toBe('Asking the authorities…');
    await act(async () => button().click());
    expect(calls.filter((c) => c.method === 'requestTimestamps')).toHaveLength(1);
    expect(reloads).toBe(0);
    answer();
    await settle();
    expect(button().getAttribute('aria-disabled')).toBeNull();
    expect(reloads).toBe(1);
    return mounted.container.querySelector('[data-testid="timestamp-request-result"]')?.textContent ?? '';
  }

  it('asks the authorities again: aria-disabled while asking, then the item reloads and says it was granted', async () => {
    const result = await mountAsking({ granted: 2, pending: 0, reasons: [] });
    expect(result).toBe('Granted: 2 timestamp requests were granted; nothing is pending.');
  });

  it('says what is still pending and why after asking again', async () => {
    const result = await mountAsking({ granted: 0, pending: 2, reasons: [REFUSED] });
    expect(result).toBe(`Still pending: 2 requests (0 granted). Why: ${REFUSED}`);
  });

  it("shows the service's refusal, as a sentence, when asking again fails", async () => {
    const result = await mountAsking(new Error('no time-stamping authority is configured'));
    expect(result).toBe('No time-stamping authority is configured.');
  });
});
