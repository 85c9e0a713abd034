// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { NoticeProvider } from '../../renderer/src/components/notices.js';
import { PAGE_BLOCK } from '../../renderer/src/hooks/use-pages.js';
import { EvidenceScreen } from '../../renderer/src/screens/evidence-screen.js';
import { type AppState, AppStateContext, type Route } from '../../renderer/src/state/app-state.js';
import type { CallOptions, ItemRow } from '../../shared/api.js';
import { TEST_CASE, TEST_PROFILE } from './support/case-fixture.js';
import { fakeApi, type Mounted, type RecordedCall, render, settle, typeInto } from './support/render.js';

beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 400 });
});

const CASE = TEST_CASE;
const PROFILE = TEST_PROFILE;

function row(index: number): ItemRow {
  return {
    id: `item-${index}`,
    kind: index % 2 === 0 ? 'capture' : 'import',
    title: index === 0 ? 'قارب للبيع' : `Item ${index}`,
    url: index % 2 === 0 ? `https://market.test/ad/${index}` : null,
    source: `source-${index}`,
    capturedAt: '2026-02-03T04:05:06.000Z',
    digest: index.toString(16).padStart(64, '0'),
    tags: index === 0 ? ['boat'] : [],
    timestamp: index === 0 ? 'granted' : 'none',
    hasImage: false,
  };
}

/** A fake store of `total` items, paged as the service pages them. */
function fakeItems(total: number): RecordedCall[] {
  return fakeApi({
    queryItems: (input: { offset: number; limit: number; search: string }) => {
      const matching = input.search ? [0] : Array.from({ length: total }, (_, i) => i);
      return {
        total: matching.length,
        offset: input.offset,
        rows: matching.slice(input.offset, input.offset + input.limit).map(row),
      };
    },
    listCaseTags: ['boat'],
    getSettings: { personas: ['fb-undercover-1'], exportDir: '/x', storeDir: '/s', authorities: [] },
  });
}

let mounted: Mounted | undefined;
afterEach(() => mounted?.unmount());

let caseCounter = 0;

/** Mounts the screen on a case of its own (the list keeps its view per case for the app's lifetime). */
async function mount(navigate: (route: Route) => void = () => undefined) {
  caseCounter++;
  const state: AppState = {
    profile: PROFILE,
    openCase: { ...CASE, id: `case-${caseCounter}` },
    route: { screen: 'evidence' },
    navigate,
    setOpenCase: () => undefined,
  };
  mounted = await render(
    <AppStateContext.Provider value={state}>
      <NoticeProvider>
        <EvidenceScreen />
      </NoticeProvider>
    </AppStateContext.Provider>,
  );
  // The first page arrives from the fake API a few ticks later (more on a busy machine).
  for (
    let tries = 0;
    tries < 200 && !mounted.container.querySelector('.list-toolbar .count')?.textContent;
    tries++
  )
    await settle(10);
  return mounted.container;
}

describe('the evidence screen', () => {
  it('shows the count and only the first block of a 100,000-item case, asking for nothing more', async () => {
    const calls = fakeItems(100_000);
    const container = await mount();
    expect(container.querySelector('.list-toolbar .count')?.textContent).toBe('100,000 items');
    const pages = calls.filter((c) => c.method === 'queryItems').map((c) => c.input as { offset: number });
    expect(pages.map((p) => p.offset)).toEqual([0]);
    expect(container.querySelectorAll('.table-row:not(.placeholder)').length).toBeLessThan(40);
  });

  it('shows a captured title in its own direction and the digest prefix', async () => {
    fakeItems(3);
    const container = await mount();
    const first = container.querySelector('[data-item-id="item-0"]');
    const title = first?.querySelector('span[dir="auto"]');
    expect(title?.textContent).toBe('قارب للبيع');
    expect(title?.classList.contains('bidi')).toBe(true);
    expect(first?.textContent).toContain('0000000000');
    expect(first?.textContent).toContain('Stamped');
    expect(first?.querySelector('.tag')?.textContent).toBe('boat');
  });

  it('goes back to the top of the list when the investigator sorts it another way', async () => {
    fakeItems(5_000);
    const container = await mount();
    const list = container.querySelector<HTMLElement>('.vlist');
    if (!list) throw new Error('no list');
    await act(async () => {
      list.scrollTop = 40_000;
      list.dispatchEvent(new Event('scroll'));
    });
    expect(list.scrollTop).toBe(40_000);
    const titleHeader = [...container.querySelectorAll<HTMLButtonElement>('.table-head button')].find((b) =>
      b.textContent?.includes('Title'),
    );
    await act(async () => titleHeader?.click());
    await settle(50);
    expect(list.scrollTop).toBe(0);
  });

  it('asks the service again with the search text once typing pauses', async () => {
    const calls = fakeItems(50);
    const container = await mount();
    const search = container.querySelector<HTMLInputElement>('input[type="search"]');
    if (!search) throw new Error('no search box');
    await typeInto(search, 'قارب');
    await settle(300);
    const last = calls.filter((c) => c.method === 'queryItems').at(-1)?.input as {
      search: string;
      offset: number;
    };
    expect(last).toMatchObject({ search: 'قارب', offset: 0, caseRef: `case-${caseCounter}` });
    expect(container.querySelector('.list-toolbar .count')?.textContent).toBe('1 item');
  });

  it('a search typed while the rows of the one before are still on their way cancels the call for them', async () => {
    const signals: { search: string; signal?: CallOptions['signal'] }[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    fakeApi({
      queryItems: async (input: { offset: number; search: string }, options?: CallOptions) => {
        signals.push({ search: input.search, signal: options?.signal });
        // The first search's answer is held back, as a slow service would.
        if (input.search === 'boat') await held;
        return { total: 1, offset: input.offset, rows: [row(input.search === 'boat' ? 1 : 2)] };
      },
      listCaseTags: [],
      getSettings: { personas: [], exportDir: '/x', storeDir: '/s', authorities: [] },
    });
    const container = await mount();
    const search = container.querySelector<HTMLInputElement>('input[type="search"]');
    if (!search) throw new Error('no search box');
    await typeInto(search, 'boat');
    for (let tries = 0; tries < 100 && !signals.some((s) => s.search === 'boat'); tries++) await settle(10);
    await typeInto(search, 'boat Zarzis');
    for (let tries = 0; tries < 100 && !signals.some((s) => s.search === 'boat Zarzis'); tries++)
      await settle(10);
    const stale = signals.find((s) => s.search === 'boat');
    const current = signals.find((s) => s.search === 'boat Zarzis');
    expect(stale?.signal?.aborted).toBe(true);
    expect(current?.signal?.aborted).toBe(false);
    release();
    await settle(50);
    // the stale answer, arriving last, does not replace the current search's rows
    expect(container.querySelector('[data-item-id="item-2"]')).not.toBeNull();
    expect(container.querySelector('[data-item-id="item-1"]')).toBeNull();
  });

  it('a search the service capped says more than how many match, and how to narrow it', async () => {
    fakeApi({
      queryItems: (input: { offset: number; limit: number; search: string }) => ({
        total: input.search ? 2000 : 5000,
        ...(input.search ? { matchCap: 2000 } : {}),
        offset: input.offset,
        rows: Array.from({ length: input.limit }, (_, i) => row(input.offset + i)),
      }),
      listCaseTags: [],
      getSettings: { personas: [], exportDir: '/x', storeDir: '/s', authorities: [] },
    });
    const container = await mount();
    expect(container.querySelector('.list-note')).toBeNull();
    const search = container.querySelector<HTMLInputElement>('input[type="search"]');
    if (!search) throw new Error('no search box');
    await typeInto(search, 'WhatsApp');
    await settle(300);
    expect(container.querySelector('.list-toolbar .count')?.textContent).toBe('More than 2,000 items');
    expect(container.querySelector('.list-note')?.textContent).toBe(
      'More than 2,000 items match this search: only the 2,000 that match it best are listed. Add words to narrow it.',
    );
  });

  it('selects rows with their checkboxes and opens the export of the selection', async () => {
    fakeItems(5);
    const navigate = vi.fn();
    const container = await mount(navigate);
    const boxes = container.querySelectorAll<HTMLInputElement>('.table-row input[type="checkbox"]');
    await act(async () => {
      boxes[1]?.click();
      boxes[3]?.click();
    });
    const exportButton = [...container.querySelectorAll('button')].find((b) =>
      b.textContent?.includes('Export 2 selected'),
    );
    expect(exportButton).toBeDefined();
    await act(async () => exportButton?.click());
    expect(navigate).toHaveBeenCalledWith({ screen: 'export', itemIds: ['item-1', 'item-3'] });
  });

  it('opens the active row with Enter, the row moved to just after the list opened', async () => {
    fakeItems(5);
    const navigate = vi.fn();
    const container = await mount(navigate);
    const list = container.querySelector<HTMLElement>('.vlist');
    await act(async () => {
      list?.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    });
    // Longer than the search box's pause: nothing typed, so the row stays where it was moved.
    await settle(400);
    await act(async () => {
      list?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    });
    expect(navigate).toHaveBeenCalledWith({ screen: 'item', itemId: 'item-1' });
  });

  it('Shift+End selects every row to the end, fetching the blocks not loaded yet several to a call, and Export takes them all', async () => {
    const calls = fakeItems(1_000);
    const navigate = vi.fn();
    const container = await mount(navigate);
    const list = container.querySelector<HTMLElement>('.vlist');
    await act(async () => {
      list?.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', shiftKey: true, bubbles: true }));
    });
    const exportButton = () =>
      [...container.querySelectorAll('button')].find((b) => b.textContent?.includes('selected'));
    for (let tries = 0; tries < 200 && !exportButton()?.textContent?.includes('1,000'); tries++)
      await settle(10);
    expect(exportButton()?.textContent).toBe('Export 1,000 selected');
    // Every row of the case was asked for once: the first block by the list, the rest by the
    // selection, several blocks a call (fewer calls than blocks).
    const asked = calls
      .filter((c) => c.method === 'queryItems')
      .map((c) => c.input as { offset: number; limit: number });
    const rowsAsked = asked.flatMap(({ offset, limit }) =>
      Array.from({ length: limit }, (_, i) => offset + i),
    );
    expect(rowsAsked.sort((a, b) => a - b)).toEqual(Array.from({ length: 1_000 }, (_, i) => i));
    expect(asked.length).toBeLessThan(1_000 / PAGE_BLOCK);
    await act(async () => exportButton()?.click());
    const route = navigate.mock.calls.at(-1)?.[0] as { itemIds: string[] };
    expect(route.itemIds).toHaveLength(1_000);
    expect(new Set(route.itemIds).size).toBe(1_000);
  });
});
