// @vitest-environment happy-dom
/**
 * The export screen's progress line, as the service reports the export's stages: bytes written,
 * then, when the evidence is written before the report has printed, that the print is what remains
 * (a line frozen at "Writing 545 MB of 545 MB" for half a minute reads as a hang).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NoticeProvider } from '../../renderer/src/components/notices.js';
import { ExportScreen } from '../../renderer/src/screens/export-screen.js';
import { type AppState, AppStateContext } from '../../renderer/src/state/app-state.js';
import type { ApiProgress, CallOptions } from '../../shared/api.js';
import { TEST_CASE, TEST_PROFILE } from './support/case-fixture.js';
import { fakeApi, type Mounted, render, settle } from './support/render.js';

const CASE = TEST_CASE;
const PROFILE = TEST_PROFILE;

let mounted: Mounted | undefined;
afterEach(() => mounted?.unmount());

/** Mounts the export screen with an export that reports `stages` in turn and never ends. */
async function exportReporting(stages: readonly ApiProgress[]): Promise<HTMLElement> {
  let report: ((progress: ApiProgress) => void) | undefined;
  fakeApi({
    getSettings: { personas: [], exportDir: '/exports', storeDir: '/s', authorities: [] },
    exportBundle: (_input: unknown, options?: CallOptions) => {
      report = options?.onProgress;
      return new Promise(() => undefined);
    },
  });
  const state: AppState = {
    profile: PROFILE,
    openCase: CASE,
    route: { screen: 'export' },
    navigate: () => undefined,
    setOpenCase: () => undefined,
  };
  mounted = await render(
    <AppStateContext.Provider value={state}>
      <NoticeProvider>
        <ExportScreen />
      </NoticeProvider>
    </AppStateContext.Provider>,
  );
  const container = mounted.container;
  for (let tries = 0; tries < 200 && !startButton(container)?.textContent; tries++) await settle(10);
  startButton(container)?.click();
  for (let tries = 0; tries < 200 && !report; tries++) await settle(10);
  for (const progress of stages) report?.(progress);
  await settle(20);
  return container;
}

function startButton(container: HTMLElement): HTMLButtonElement | null {
  return container.querySelector<HTMLButtonElement>('button.btn.primary');
}

function statusLine(container: HTMLElement): string {
  return container.querySelector('[role="status"] .muted')?.textContent ?? '';
}

describe('the export progress line', () => {
  it('says how much of the evidence is written', async () => {
    const container = await exportReporting([{ done: 5_000_000, total: 545_000_000, stage: 'writing' }]);
    expect(statusLine(container)).toMatch(/^Writing 5(\.0)? MB of 545(\.0)? MB$/);
  });

  it('says the evidence is written and the report is printing, once only the print remains', async () => {
    const container = await exportReporting([
      { done: 5_000_000, total: 545_000_000, stage: 'writing' },
      { done: 545_000_000, total: 545_000_000, stage: 'printing' },
    ]);
    expect(statusLine(container)).toMatch(/^The evidence is written \(545(\.0)? MB\); printing the report…$/);
  });
});
