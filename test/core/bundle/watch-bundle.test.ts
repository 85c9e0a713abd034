import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ExportResult } from '../../../electron/core/bundle/export-bundle.js';
import { verifyBundle } from '../../../electron/core/bundle/verify-bundle.js';
import type { WatchFile } from '../../../electron/core/watch/watch-export.js';
import { insertCheck } from '../../../electron/core/watch/watch-queries.js';
import { addWatch } from '../../../electron/core/watch/watch-service.js';
import type { WatchState } from '../../../shared/watch.js';
import { runCustos } from '../../support/run-custos.js';
import { makeTempStore } from '../../support/temp-store.js';
import { type CaseFixture, makeCaseFixture, readZip, tamper } from './bundle-fixtures.js';

/** A watch history without Chromium: two checks recorded as the runner records them, proven by existing items. */
function recordHistory(fixture: CaseFixture): string {
  const store = fixture.temp.open();
  try {
    const watch = addWatch(store, {
      url: 'https://www.facebook.com/groups/crossings/posts/8812',
      caseRef: 'BE-1',
      intervalSeconds: 21_600,
    });
    const checks: [WatchState, string, string[]][] = [
      ['live', fixture.pngItemId, ['first capture: the content is there']],
      [
        'removed',
        fixture.textItemId,
        ['removal notice: "This content isn\'t available right now" (facebook, en)'],
      ],
    ];
    for (const [state, itemId, reasons] of checks) {
      store.transaction((db) => {
        const entry = store.appendInTransaction(db, {
          action: 'watch.check',
          caseId: watch.caseId,
          subject: watch.id,
          details: { url: watch.url, state, itemId },
        });
        insertCheck(db, watch.id, {
          checkedAt: entry.time,
          state,
          itemId,
          baselineItemId: null,
          reasons,
          signals: { httpStatus: 200 },
          error: null,
          ledgerSeq: entry.seq,
        });
      });
    }
    return watch.id;
  } finally {
    store.close();
  }
}

describe('bundles of a case with watched URLs', () => {
  let fixture: CaseFixture;
  let bundle: ExportResult;
  let files: Map<string, Buffer>;
  let watchId: string;

  beforeAll(async () => {
    fixture = await makeCaseFixture();
    watchId = recordHistory(fixture);
    bundle = await fixture.exportTo('BE-1.zip');
    files = await readZip(bundle.file);
  });
  afterAll(() => fixture.temp.remove());

  test('watch.json holds each watched URL with its states and the items proving them', () => {
    const watchFile = JSON.parse(files.get('watch.json')!.toString('utf8')) as WatchFile;
    expect(watchFile.watches).toHaveLength(1);
    const [watch] = watchFile.watches;
    expect(watch?.id).toBe(watchId);
    expect(watch?.history.map((c) => [c.state, c.itemId, c.itemInBundle])).toEqual([
      ['live', fixture.pngItemId, true],
      ['removed', fixture.textItemId, true],
    ]);
  });

  test('watch.json is in the signed manifest and SHA256SUMS, and the bundle verifies with Custos and with coreutils', async () => {
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as {
      files: { path: string }[];
    };
    expect(manifest.files.map((f) => f.path)).toContain('watch.json');
    expect(files.get('SHA256SUMS')!.toString('utf8')).toMatch(/^[0-9a-f]{64} {2}watch\.json$/m);
    const report = await verifyBundle(bundle.file);
    expect(report.problems).toEqual([]);
    expect(report.valid).toBe(true);
    const dir = path.join(fixture.temp.base, 'unzipped');
    fs.mkdirSync(dir);
    execFileSync('unzip', ['-q', bundle.file, '-d', dir]);
    expect(execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir }).toString()).toMatch(
      /watch\.json: OK/,
    );
  });

  test("report.html shows each watched URL's timeline", () => {
    const html = files.get('report.html')!.toString('utf8');
    expect(html).toContain('<h2 class="item">Watched URLs</h2>');
    expect(html).toContain('https://www.facebook.com/groups/crossings/posts/8812');
    expect(html).toMatch(
      /class="flag">removed<\/td><td class="hash">[0-9a-f-]+<\/td><td dir="auto">removal notice/,
    );
  });

  test('a history edited after export fails `custos verify` with exit 1, naming watch.json', async () => {
    const edited = await tamper(bundle.file, path.join(fixture.temp.base, 'edited.zip'), (all) => {
      const text = all.get('watch.json')!.toString('utf8').replace('"removed"', '"unchanged"');
      all.set('watch.json', Buffer.from(text));
    });
    const result = await runCustos(['--json', 'verify', edited]);
    expect(result.status, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as { problems: { path: string; problem: string }[] };
    expect(
      report.problems
        .filter((p) => p.path === 'watch.json')
        .map((p) => p.problem)
        .join('\n'),
    ).toMatch(/differs from the signed manifest/);
  });

  test('a recipient receives the bundle with its watch history like any other', async () => {
    const recipient = makeTempStore({ investigator: { name: 'Prosecutor P' } });
    try {
      const result = await runCustos(['receive', bundle.file], { store: recipient.dir });
      expect(result.status, result.stderr).toBe(0);
    } finally {
      recipient.remove();
    }
  });

  test('a case without watches gets no watch.json and no timeline', async () => {
    const other = await fixture.exportTo('OTHER-2.zip', { caseRef: 'OTHER-2' });
    const otherFiles = await readZip(other.file);
    expect(otherFiles.has('watch.json')).toBe(false);
    expect(otherFiles.get('report.html')!.toString('utf8')).not.toContain('Watched URLs');
  });
});
