// @vitest-environment happy-dom
import type { ReactNode } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EntityValue } from '../../renderer/src/components/entity-text.js';
import { NoticeProvider } from '../../renderer/src/components/notices.js';
import { CustodyScreen } from '../../renderer/src/screens/custody-screen.js';
import { WatchesScreen } from '../../renderer/src/screens/watches-screen.js';
import { AppStateContext, type Route } from '../../renderer/src/state/app-state.js';
import type { LedgerRow } from '../../shared/api.js';
import type { WatchView } from '../../shared/watch.js';
import { TEST_CASE, TEST_PROFILE } from './support/case-fixture.js';
import { fakeApi, type Mounted, render, settle } from './support/render.js';

beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 400 });
});

let mounted: Mounted | undefined;
afterEach(() => mounted?.unmount());

/** Mounts `screen` on the test case, and waits until its text holds `shown` (the fake API answered). */
async function mountScreen(route: Route, screen: ReactNode, shown: string): Promise<HTMLElement> {
  mounted = await render(
    <AppStateContext.Provider
      value={{
        profile: TEST_PROFILE,
        openCase: TEST_CASE,
        route,
        navigate: () => undefined,
        setOpenCase: () => undefined,
      }}
    >
      <NoticeProvider>{screen}</NoticeProvider>
    </AppStateContext.Provider>,
  );
  for (let tries = 0; tries < 200 && !mounted.container.textContent?.includes(shown); tries++)
    await settle(10);
  return mounted.container;
}

/** An import of a file whose name hides a program behind a right-to-left override. */
const IMPORTED: LedgerRow = {
  seq: 4,
  time: '2026-06-03T10:00:00.000Z',
  timeZone: 'UTC',
  actor: { investigatorId: 'inv', keyFingerprint: 'f' },
  action: 'item.import',
  caseId: 'case-1',
  subject: 'item-1',
  details: { file: 'invoice\u202Efdp.exe' },
  prevHash: '0',
  hash: '1'.repeat(64),
  signature: 's',
  subjectLabel: 'invoice\u202Efdp.exe',
  itemId: 'item-1',
} as LedgerRow;

/** A watched address whose path hides its end behind a right-to-left override. */
const WATCH: WatchView = {
  id: 'w1',
  caseId: TEST_CASE.id,
  caseNumber: TEST_CASE.number,
  url: 'https://market.test/ad/\u202E1234',
  intervalSeconds: 3600,
  createdAt: '2026-06-03T10:00:00.000Z',
  createdSeq: 3,
  removedAt: null,
  state: null,
  nextDueAt: '2026-06-03T11:00:00.000Z',
  history: [],
};

describe('text from evidence on the screens', () => {
  it("the custody log shows an imported file's right-to-left override as its code point, in the detail and the subject", async () => {
    fakeApi({ queryLedger: { total: 1, offset: 0, rows: [IMPORTED] } });
    const container = await mountScreen({ screen: 'custody' }, <CustodyScreen />, 'invoice');
    const text = container.textContent ?? '';
    expect(text).not.toContain('\u202E');
    expect(text.split('invoice⟨U+202E⟩fdp.exe').length - 1).toBe(2);
  });

  it("the watches screen shows a watched address's right-to-left override as its code point, in the heading and its tooltip", async () => {
    fakeApi({ listWatches: [WATCH] });
    const container = await mountScreen({ screen: 'watches' }, <WatchesScreen />, 'market.test');
    const heading = container.querySelector('h3.mono');
    expect(heading?.textContent).toBe('https://market.test/ad/⟨U+202E⟩1234');
    expect(heading?.getAttribute('title')).toBe('https://market.test/ad/⟨U+202E⟩1234');
  });

  it("an entity's value (a number read from a picture) shows a right-to-left override as its code point", async () => {
    mounted = await render(<EntityValue value={'+218 91\u202E234 5678'} />);
    expect(mounted.container.textContent).toBe('+218 91⟨U+202E⟩234 5678');
  });
});
