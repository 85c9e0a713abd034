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

  it('splits a line of several addresses, but keeps any other line with spaces whole, to be named as written', () => {
    expect(parseUrlList('https://a.test/ https://b.test/\nnot a url\r\njavascript:alert(1)')).toEqual([
      'https://a.test/',
      'https://b.test/',
      'not a url',
      'javascript:alert(1)',
    ]);
  });

  it('completes addresses typed without https://, as the capture bar does, and lists them completed', () => {
    expect(parseUrlList('example.com/post/1\nt.me/boats example.org/x\nhttps://example.com/post/1')).toEqual([
      'https://example.com/post/1',
      'https://t.me/boats',
      'https://example.org/x',
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

  it('names a failed line with its reason while the batch still runs, from the latest progress event', () => {
    const urls = ['not a url', 'https://a.test/', 'https://b.test/'];
    const rows = batchRows(
      urls,
      {
        done: 1,
        total: 3,
        subject: 'https://a.test/',
        stage: 'loading',
        failures: [{ subject: 'not a url', message: '"not a url" is not a valid URL' }],
      },
      null,
    );
    expect(rows).toEqual([
      { status: 'failed', message: '"not a url" is not a valid URL' },
      { status: 'running', stage: 'loading' },
      { status: 'waiting' },
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

  async function openDialog(caseRef: string): Promise<Mounted> {
    return render(
      <BatchCaptureDialog caseRef={caseRef} onClose={() => undefined} onCaptured={() => undefined} />,
    );
  }
  const button = (root: Mounted, name: string) => {
    const found = [...root.container.querySelectorAll('button')].find((b) => b.textContent === name);
    if (!found) throw new Error(`no button ${name}`);
    return found;
  };

  it('keeps the pasted list when the dialog is closed and reopened, until it is cleared', async () => {
    fakeApi({});
    mounted = await openDialog('BE-keep');
    await typeInto(mounted.container.querySelector('textarea')!, 'https://a.test/\nnot a url');
    mounted.unmount();
    mounted = await openDialog('BE-keep');
    expect(mounted.container.querySelector('textarea')?.value).toBe('https://a.test/\nnot a url');
    button(mounted, 'Clear the list').click();
    await settle();
    mounted.unmount();
    mounted = await openDialog('BE-keep');
    expect(mounted.container.querySelector('textarea')?.value).toBe('');
  });

  it('after a run keeps only the lines that were not captured, for correcting them', async () => {
    fakeApi({
      captureUrls: {
        items: [item('https://a.test/')],
        failures: [{ subject: 'not a url', message: '"not a url" is not a valid URL' }],
        cancelled: false,
      },
    });
    mounted = await openDialog('BE-rest');
    await typeInto(mounted.container.querySelector('textarea')!, 'https://a.test/\nnot a url');
    button(mounted, 'Capture 2 addresses').click();
    await settle(20);
    expect(mounted.container.textContent).toContain('1 captured, 1 failed.');
    // The service's reason as a sentence (a full stop; a quote first is left as it is).
    expect(mounted.container.querySelector('.batch-row[data-status="failed"]')?.textContent).toContain(
      '"not a url" is not a valid URL.',
    );
    button(mounted, 'Edit the remaining lines').click();
    await settle();
    expect(mounted.container.querySelector('textarea')?.value).toBe('not a url');
  });

  it('says why when the whole batch is refused, leaves no row running, and keeps the list', async () => {
    fakeApi({ captureUrls: new Error('case BE-404 not found; the Cases list shows cases') });
    mounted = await openDialog('BE-404');
    await typeInto(mounted.container.querySelector('textarea')!, 'https://a.test/\nhttps://b.test/');
    button(mounted, 'Capture 2 addresses').click();
    await settle(20);
    expect(mounted.container.textContent).toContain('Nothing was captured:');
    expect(mounted.container.textContent).toContain('Case BE-404 not found; the Cases list shows cases.');
    expect(mounted.container.querySelectorAll('.batch-row[data-status="running"]')).toHaveLength(0);
    expect(mounted.container.querySelectorAll('.batch-row[data-status="skipped"]')).toHaveLength(2);
    button(mounted, 'Edit the remaining lines').click();
    await settle();
    expect(mounted.container.querySelector('textarea')?.value).toBe('https://a.test/\nhttps://b.test/');
  });
});
