// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CustodyScreen } from '../../renderer/src/screens/custody-screen.js';
import { type AppState, AppStateContext } from '../../renderer/src/state/app-state.js';
import type { LedgerRow } from '../../shared/api.js';
import { TEST_CASE, TEST_PROFILE } from './support/case-fixture.js';
import { fakeApi, type Mounted, render, settle } from './support/render.js';

beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 400 });
});

let mounted: Mounted | undefined;
afterEach(() => mounted?.unmount());

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

describe('the custody log', () => {
  it("shows an imported file's right-to-left override as its code point, in the detail and the subject", async () => {
    fakeApi({ queryLedger: { total: 1, offset: 0, rows: [IMPORTED] } });
    const state: AppState = {
      profile: TEST_PROFILE,
      openCase: TEST_CASE,
      route: { screen: 'custody' },
      navigate: () => undefined,
      setOpenCase: () => undefined,
    };
    mounted = await render(
      <AppStateContext.Provider value={state}>
        <CustodyScreen />
      </AppStateContext.Provider>,
    );
    for (let tries = 0; tries < 200 && !mounted.container.textContent?.includes('invoice'); tries++)
      await settle(10);
    const text = mounted.container.textContent ?? '';
    expect(text).not.toContain('\u202E');
    expect(text.split('invoice⟨U+202E⟩fdp.exe').length - 1).toBe(2);
  });
});
