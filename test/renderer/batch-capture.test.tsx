// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import {
  BatchCaptureDialog,
  batchRows,
  parseUrlList,
} from '../../renderer/src/screens/batch-capture-dialog.js';
import type { BatchOutcome } from '../../shared/api.js';
import type { ItemSummary } from '../../shared/domain.js';
import { fakeApi, type Mounted, render, settle, typeInto } from './support/render.js';

let mounted: Mounted | undefined;
afterEach(() => mounted?.unmount());

const item = (source: string): ItemSummary => ({
  id: source,
  caseId: 'c',
  kind: 'capture',
  url: source,
  source,
  title: null,
  capturedAt: '2026-01-01T00:00:00.000Z',
  digest: 'f'.repeat(64),
  artifacts: [],
  tags: [],
});

describe('batch capture', () => {
  it('reads one address per line, ignoring blanks and repeats', () => {
    expect(parseUrlList('https://a.test/1\n\n  https://b.test/2  \nhttps://a.test/1\n')).toEqual([
      'https://a.test/1',
      'https://b.test/2',
    ]);
  });

  it('marks rows done, running and waiting from the progress, then done, failed or skipped from the outcome', () => {
    const urls = ['https://a.test/', 'https://b.test/', 'https://c.test/'];
    expect(batchRows(urls, { done: 1, total: 3, stage: 'scrolling' }, null).map((r) => r.status)).toEqual([
      'done',
      'running',
      'waiting',
    ]);
    const outcome: BatchOutcome = {
      items: [item('https://a.test/')],
      failures: [{ subject: 'https://b.test/', message: 'could not capture https://b.test/: refused' }],
      cancelled: true,
    };
    expect(batchRows(urls, null, outcome)).toEqual([
      { status: 'done' },
      { status: 'failed', message: 'could not capture https://b.test/: refused' },
      { status: 'skipped' },
    ]);
  });

  it('sends the pasted list in one call and shows the summary', async () => {
    const calls = fakeApi({
      captureUrls: (input: { urls: string[] }) => ({
        items: input.urls.map(item),
        failures: [],
        cancelled: false,
      }),
    });
    mounted = await render(
      <BatchCaptureDialog caseRef="BE-1" onClose={() => undefined} onCaptured={() => undefined} />,
    );
    const textarea = mounted.container.querySelector('textarea');
    if (!textarea) throw new Error('no textarea');
    await typeInto(textarea, 'https://a.test/\nhttps://b.test/');
    const start = [...mounted.container.querySelectorAll('button')].find(
      (b) => b.textContent === 'Capture 2 addresses',
    );
    start?.click();
    await settle(20);
    expect(calls).toEqual([
      { method: 'captureUrls', input: { caseRef: 'BE-1', urls: ['https://a.test/', 'https://b.test/'] } },
    ]);
    expect(mounted.container.textContent).toContain('2 captured, 0 failed.');
    expect(mounted.container.querySelectorAll('.batch-row[data-status="done"]')).toHaveLength(2);
  });
});
