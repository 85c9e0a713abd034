// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { ItemTimestampStatus } from '../../renderer/src/screens/item-timestamp.js';
import type { ItemTimestamp } from '../../shared/api.js';
import { type Mounted, render } from './support/render.js';

let mounted: Mounted | undefined;
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
});

const REFUSED = 'http://127.0.0.1:9/tsa: could not reach the authority (connect ECONNREFUSED 127.0.0.1:9)';

describe("the item screen's trusted timestamp", () => {
  it('says why a pending stamp was not granted, and that the window does not send it again by itself', async () => {
    const pending: ItemTimestamp = { status: 'pending', authority: null, time: null, lastError: REFUSED };
    mounted = await render(<ItemTimestampStatus timestamps={[pending]} />);
    const box = mounted.container.querySelector('.warn-box');
    expect(box?.textContent).toContain(`Not stamped yet: ${REFUSED}`);
    expect(box?.textContent).toContain('this window does not send it again by itself');
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
});
