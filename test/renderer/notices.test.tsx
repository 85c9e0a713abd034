// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  MAX_NOTICES,
  NOTICE_MS,
  type Notice,
  NoticeArea,
  NoticeProvider,
  useClearNotices,
  useNotice,
} from '../../renderer/src/components/notices.js';
import { type Mounted, render } from './support/render.js';

let mounted: Mounted | undefined;
let show: (notice: Notice) => void = () => undefined;
let clear: () => void = () => undefined;

function Grab() {
  show = useNotice();
  clear = useClearNotices();
  return null;
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  mounted?.unmount();
  vi.useRealTimers();
});

const titles = () =>
  [...(mounted?.container.querySelectorAll('.notice .title') ?? [])].map((e) => e.textContent);
const advance = (ms: number) => act(() => vi.advanceTimersByTime(ms));

/** The provider alone, with `show` bound to its notice function. */
function mountNotices(): Promise<Mounted> {
  return render(
    <NoticeProvider>
      <Grab />
      <NoticeArea />
    </NoticeProvider>,
  );
}

describe('notices', () => {
  it('a success notice dismisses itself after a few seconds, an error stays until dismissed', async () => {
    mounted = await mountNotices();
    act(() => show({ tone: 'good', title: 'Page captured' }));
    act(() => show({ tone: 'bad', title: 'Capture failed' }));
    expect(titles()).toEqual(['Page captured', 'Capture failed']);
    advance(NOTICE_MS - 100);
    expect(titles()).toEqual(['Page captured', 'Capture failed']);
    advance(200);
    expect(titles()).toEqual(['Capture failed']);
    advance(60_000);
    expect(titles()).toEqual(['Capture failed']);
    const dismiss = mounted.container.querySelector<HTMLButtonElement>('.notice button.close');
    expect(dismiss?.getAttribute('aria-label')).toBe('Dismiss notice');
    act(() => dismiss?.click());
    expect(titles()).toEqual([]);
  });

  it('shows at most three: a new notice pushes out the oldest success before any error', async () => {
    mounted = await mountNotices();
    act(() => show({ tone: 'bad', title: 'error 1' }));
    act(() => show({ tone: 'good', title: 'ok 1' }));
    act(() => show({ tone: 'good', title: 'ok 2' }));
    act(() => show({ tone: 'bad', title: 'error 2' }));
    expect(titles()).toHaveLength(MAX_NOTICES);
    expect(titles()).toEqual(['error 1', 'ok 2', 'error 2']);
    act(() => show({ tone: 'info', title: 'ok 3' }));
    expect(titles()).toEqual(['error 1', 'error 2', 'ok 3']);
  });

  it('a success notice stays while the pointer is on it, so its digest can be copied', async () => {
    mounted = await mountNotices();
    act(() => show({ tone: 'good', title: 'Page captured' }));
    const card = mounted.container.querySelector('.notice');
    act(() => {
      card?.dispatchEvent(new PointerEvent('pointerover', { bubbles: true }));
      card?.dispatchEvent(new PointerEvent('pointerenter', { bubbles: false }));
    });
    advance(NOTICE_MS * 3);
    expect(titles()).toEqual(['Page captured']);
    act(() => {
      card?.dispatchEvent(new PointerEvent('pointerout', { bubbles: true }));
      card?.dispatchEvent(new PointerEvent('pointerleave', { bubbles: false }));
    });
    advance(NOTICE_MS + 10);
    expect(titles()).toEqual([]);
  });

  it('takes every notice off, errors too, when its screen changes', async () => {
    mounted = await mountNotices();
    act(() => show({ tone: 'good', title: 'Received 0 new items.' }));
    act(() => show({ tone: 'bad', title: 'Capture failed' }));
    act(() => clear());
    expect(titles()).toEqual([]);
  });

  it('keeps a notice the user must read (a settled restore) through screen changes, newer notices and time, until its Dismiss button', async () => {
    mounted = await mountNotices();
    act(() => show({ tone: 'warn', title: 'Restore settled', untilDismissed: true }));
    act(() => show({ tone: 'bad', title: 'Capture failed' }));
    act(() => clear());
    expect(titles()).toEqual(['Restore settled']);
    for (const n of [1, 2, 3, 4]) act(() => show({ tone: 'bad', title: `error ${n}` }));
    advance(NOTICE_MS * 10);
    expect(titles()).toEqual(['Restore settled', 'error 2', 'error 3', 'error 4']);
    act(() => clear());
    const dismiss = [...mounted.container.querySelectorAll<HTMLButtonElement>('.notice button')].find(
      (b) => b.textContent === 'Dismiss',
    );
    act(() => dismiss?.click());
    expect(titles()).toEqual([]);
  });

  it('shows only the newest three of many notices kept until dismissed (late saves), the earlier counted with a button that shows them all', async () => {
    mounted = await mountNotices();
    for (let n = 1; n <= 10; n++)
      act(() => show({ tone: 'good', title: `Saved ${n}`, untilDismissed: true }));
    expect(titles()).toEqual(['Saved 8', 'Saved 9', 'Saved 10']);
    const earlier = mounted.container.querySelector('.notices-earlier');
    expect(earlier?.textContent).toContain('7 earlier notices kept until dismissed');
    act(() => earlier?.querySelector('button')?.click());
    expect(titles()).toHaveLength(10);
    expect(mounted.container.querySelector('.notices-earlier')).toBeNull();
  });

  it('Dismiss gives the keyboard to the next notice, then to the screen heading, never to the page body', async () => {
    mounted = await render(
      <NoticeProvider>
        <Grab />
        <main>
          <h1>Evidence</h1>
        </main>
        <NoticeArea />
      </NoticeProvider>,
    );
    act(() => show({ tone: 'good', title: 'Saved 1', untilDismissed: true }));
    act(() => show({ tone: 'bad', title: 'Not saved: tag' }));
    const buttons = () => [
      ...(mounted?.container.querySelectorAll<HTMLButtonElement>('.notice button') ?? []),
    ];
    const first = buttons()[0];
    first?.focus();
    act(() => first?.click());
    expect(titles()).toEqual(['Not saved: tag']);
    expect(document.activeElement).toBe(buttons()[0]);
    act(() => buttons()[0]?.click());
    expect(titles()).toEqual([]);
    expect(document.activeElement?.textContent).toBe('Evidence');
  });

  it("shows a file name's right-to-left override in a notice's title and message as its code point", async () => {
    mounted = await mountNotices();
    act(() =>
      show({
        tone: 'bad',
        title: 'Not saved: tag on invoice\u202Efdp.exe',
        body: 'invoice\u202Efdp.exe: refused.',
      }),
    );
    const text = mounted.container.querySelector('.notice')?.textContent ?? '';
    expect(text).not.toContain('\u202E');
    expect(text.split('invoice⟨U+202E⟩fdp.exe').length - 1).toBe(2);
  });
});
