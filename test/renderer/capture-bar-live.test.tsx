// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { NoticeArea, NoticeProvider } from '../../renderer/src/components/notices.js';
import { CaptureBar } from '../../renderer/src/screens/capture-bar.js';
import type { ItemSummary } from '../../shared/domain.js';
import { CLOSED_LIVE_VIEW, type LiveShell, type LiveViewState } from '../../shared/shell-api.js';
import type { CaptureShortcut } from '../../shared/shortcuts.js';
import { fakeApi, type Mounted, type RecordedCall, render, settle, typeInto } from './support/render.js';

const ITEM = {
  id: 'item-1',
  title: 'Boat ad',
  source: 'https://market.test/ad/1',
  digest: 'd'.repeat(64),
} as ItemSummary;

const OPEN: LiveViewState = {
  ...CLOSED_LIVE_VIEW,
  open: true,
  url: 'https://market.test/ad/1',
  title: 'Boat ad',
};

/** A stand-in for the desktop shell's live browser: every call recorded, answers from a live view. */
function fakeShell(): { calls: RecordedCall[]; pressFromShell: (id: CaptureShortcut) => void } {
  const calls: RecordedCall[] = [];
  const shortcutListeners = new Set<(id: CaptureShortcut) => void>();
  const answer = (method: string, value: unknown) => async (input: unknown) => {
    calls.push({ method, input });
    return { ok: true, value };
  };
  const live = {
    liveOpen: answer('liveOpen', OPEN),
    liveClose: answer('liveClose', CLOSED_LIVE_VIEW),
    liveBounds: answer('liveBounds', OPEN),
    liveNavigate: answer('liveNavigate', OPEN),
    liveBack: answer('liveBack', OPEN),
    liveForward: answer('liveForward', OPEN),
    liveReload: answer('liveReload', OPEN),
    liveFreeze: answer('liveFreeze', {
      dataUri: 'data:image/png;base64,iVBORw0KGgo=',
      width: 800,
      height: 600,
    }),
    liveUnfreeze: answer('liveUnfreeze', OPEN),
    liveState: answer('liveState', OPEN),
    onState: () => () => undefined,
  } as unknown as LiveShell;
  window.custosShell = {
    platform: 'linux',
    live,
    onShortcut: (listener) => {
      shortcutListeners.add(listener);
      return () => shortcutListeners.delete(listener);
    },
  };
  return {
    calls,
    pressFromShell: (id) => {
      for (const listener of shortcutListeners) listener(id);
    },
  };
}

let mounted: Mounted | undefined;
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
  window.custosShell = undefined;
});

async function mount(): Promise<HTMLElement> {
  mounted = await render(
    <NoticeProvider>
      <CaptureBar caseRef="case-1" onCaptured={() => undefined} />
      <NoticeArea />
    </NoticeProvider>,
  );
  await settle(10);
  return mounted.container;
}

function button(container: HTMLElement, name: string): HTMLButtonElement {
  const found = [...container.querySelectorAll('button')].find(
    (b) => b.textContent?.trim().startsWith(name) || b.getAttribute('aria-label') === name,
  );
  if (!found) throw new Error(`no button ${name}`);
  return found;
}

async function press(key: string, options: KeyboardEventInit = {}): Promise<void> {
  await act(async () => {
    window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, ...options }));
  });
  await settle(10);
}

async function pointer(target: Element, type: string, clientX: number, clientY: number): Promise<void> {
  await act(async () => {
    target.dispatchEvent(new PointerEvent(type, { clientX, clientY, bubbles: true, pointerId: 1 }));
  });
}

function liveCaptures(calls: RecordedCall[]): unknown[] {
  return calls.filter((c) => c.method === 'captureLive').map((c) => c.input);
}

async function openLive(container: HTMLElement): Promise<void> {
  await act(async () => button(container, 'Live browser').click());
  await settle(10);
}

describe('the capture bar with the desktop shell’s live browser', () => {
  it('opens the live view over its placeholder and sends the address there instead of capturing it', async () => {
    const shell = fakeShell();
    const api = fakeApi({
      getSettings: { personas: [] },
      captureLive: ITEM,
      captureUrls: { items: [ITEM], failures: [], cancelled: false },
    });
    const container = await mount();
    await openLive(container);
    expect(shell.calls[0]).toMatchObject({ method: 'liveOpen', input: { persona: null } });
    const address = container.querySelector<HTMLInputElement>(
      'input[aria-label="Address to open in the live browser"]',
    );
    if (!address) throw new Error('no live address bar');
    await typeInto(address, 'https://market.test/ad/1');
    await act(async () => {
      address.form?.requestSubmit();
    });
    await settle(10);
    expect(shell.calls.filter((c) => c.method === 'liveNavigate').map((c) => c.input)).toEqual([
      { url: 'https://market.test/ad/1' },
    ]);
    expect(api.filter((c) => c.method === 'captureUrls')).toEqual([]);
  });

  it('captures the live page with Ctrl+Shift+S and the visible area with Ctrl+Shift+E', async () => {
    fakeShell();
    const api = fakeApi({ getSettings: { personas: [] }, captureLive: ITEM });
    const container = await mount();
    await openLive(container);
    await press('S', { ctrlKey: true, shiftKey: true });
    await press('e', { ctrlKey: true, shiftKey: true });
    expect(liveCaptures(api)).toEqual([
      { caseRef: 'case-1', what: 'page' },
      { caseRef: 'case-1', what: 'visible' },
    ]);
    // Without Shift, or with Alt, the keys are the page's own.
    await press('s', { ctrlKey: true });
    await press('S', { ctrlKey: true, shiftKey: true, altKey: true });
    expect(liveCaptures(api)).toHaveLength(2);
  });

  it('runs a shortcut the shell forwards from the menu or from the live page', async () => {
    const shell = fakeShell();
    const api = fakeApi({ getSettings: { personas: [] }, captureLive: ITEM });
    const container = await mount();
    await openLive(container);
    await act(async () => shell.pressFromShell('capture-visible'));
    await settle(10);
    expect(liveCaptures(api)).toEqual([{ caseRef: 'case-1', what: 'visible' }]);
  });

  it('captures the rectangle dragged over a still of the view with Ctrl+Shift+X', async () => {
    const shell = fakeShell();
    const api = fakeApi({ getSettings: { personas: [] }, captureLive: ITEM });
    const container = await mount();
    await openLive(container);
    await press('X', { ctrlKey: true, shiftKey: true });
    const overlay = container.querySelector('[data-testid="region-overlay"]');
    if (!overlay) throw new Error('no region overlay');
    expect(shell.calls.map((c) => c.method)).toContain('liveFreeze');
    expect(overlay.querySelector('img')?.getAttribute('src')).toMatch(/^data:image\/png/);
    await pointer(overlay, 'pointerdown', 110, 80);
    await pointer(overlay, 'pointermove', 60, 50);
    expect(container.querySelector('[data-testid="region-box"]')).not.toBeNull();
    await pointer(overlay, 'pointerup', 10, 20);
    await settle(10);
    expect(container.querySelector('[data-testid="region-overlay"]')).toBeNull();
    expect(shell.calls.map((c) => c.method)).toContain('liveUnfreeze');
    expect(liveCaptures(api)).toEqual([
      { caseRef: 'case-1', what: 'region', region: { x: 10, y: 20, width: 100, height: 60 } },
    ]);
  });

  it('cancels the region with Escape: the view comes back and nothing is captured', async () => {
    const shell = fakeShell();
    const api = fakeApi({ getSettings: { personas: [] }, captureLive: ITEM });
    const container = await mount();
    await openLive(container);
    await act(async () => button(container, 'Region').click());
    await settle(10);
    expect(container.querySelector('[data-testid="region-overlay"]')).not.toBeNull();
    await press('Escape');
    expect(container.querySelector('[data-testid="region-overlay"]')).toBeNull();
    expect(shell.calls.map((c) => c.method)).toContain('liveUnfreeze');
    expect(liveCaptures(api)).toEqual([]);
  });

  it('records a video with Record video, stops it with Stop video (or Ctrl+Shift+R), and says it is sealed', async () => {
    fakeShell();
    let finish!: (item: ItemSummary) => void;
    const api = fakeApi({
      getSettings: { personas: [] },
      // The recording's call answers only once the video is stopped and stored.
      captureLive: () =>
        new Promise<ItemSummary>((resolve) => {
          finish = resolve;
        }),
      stopLiveVideo: () => {
        finish(ITEM);
        return { frames: 40, bytes: 120_000, seconds: 3.2 };
      },
    });
    const container = await mount();
    await openLive(container);
    await act(async () => button(container, 'Record video').click());
    await settle(10);
    expect(liveCaptures(api)).toEqual([{ caseRef: 'case-1', what: 'video' }]);
    // While it records, the other captures wait and the button stops it.
    expect(button(container, 'Capture page').disabled).toBe(true);
    const stop = button(container, 'Stop video');
    expect(stop.disabled).toBe(false);
    expect(stop.getAttribute('aria-pressed')).toBe('true');
    await act(async () => stop.click());
    await settle(10);
    expect(api.filter((c) => c.method === 'stopLiveVideo')).toHaveLength(1);
    expect(document.body.textContent).toContain('Video recorded and sealed');
    expect(button(container, 'Record video').disabled).toBe(false);
    // The shortcut starts the next one, and stops it.
    await press('R', { ctrlKey: true, shiftKey: true });
    expect(liveCaptures(api)).toHaveLength(2);
    await press('R', { ctrlKey: true, shiftKey: true });
    expect(api.filter((c) => c.method === 'stopLiveVideo')).toHaveLength(2);
  });

  it('lists each capture shortcut', async () => {
    fakeShell();
    fakeApi({ getSettings: { personas: [] } });
    const container = await mount();
    await openLive(container);
    const list = container.querySelector('.live-shortcuts')?.textContent ?? '';
    expect(list).toContain('Ctrl Shift S Capture page');
    expect(list).toContain('Ctrl Shift E Capture the visible area');
    expect(list).toContain('Ctrl Shift X Capture a region');
    expect(list).toContain('Ctrl Shift R Record a video / stop');
  });
});

describe('the capture bar without the shell (browser harness)', () => {
  it('captures the address by URL with Ctrl+Shift+S, and shows the live browser as unavailable', async () => {
    const api = fakeApi({
      getSettings: { personas: [] },
      captureUrls: { items: [ITEM], failures: [], cancelled: false },
    });
    const container = await mount();
    const address = container.querySelector<HTMLInputElement>('input[aria-label="Address to capture"]');
    if (!address) throw new Error('no address bar');
    await typeInto(address, 'https://market.test/ad/1');
    await press('S', { ctrlKey: true, shiftKey: true });
    expect(api.filter((c) => c.method === 'captureUrls').map((c) => c.input)).toEqual([
      { caseRef: 'case-1', urls: ['https://market.test/ad/1'], persona: null },
    ]);
    await openLive(container);
    expect(container.querySelector('.live-empty h2')?.textContent).toBe(
      'The live browser is not available here',
    );
    expect(api.filter((c) => c.method === 'captureLive')).toEqual([]);
  });
});
