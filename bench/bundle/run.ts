/**
 * Bundle benchmark: builds a case of ITEMS items holding TOTAL_BYTES (70 % PNG-typed, stored as they
 * are; 30 % text, deflated), then times `custos export` (with its peak RSS from /usr/bin/time) and
 * `custos verify`, and `openssl dgst -sha256` over the same bundle in the same run. Goal: verify at
 * most 1.3 times as long as openssl; export's peak memory under 300 MB whatever the case size.
 *
 *   node --import tsx bench/bundle/run.ts [ITEMS] [TOTAL_BYTES]
 */
import { randomFillSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { verifyBundle } from '../../electron/core/bundle/verify-bundle.js';
import { EvidenceStore } from '../../electron/core/store/evidence-store.js';
import {
  CUSTOS_BIN,
  makeBenchDir,
  mb,
  mbPerSecond,
  printFigures,
  removeBenchDir,
  run,
  secs,
  syncDisks,
  timed,
} from '../support/bench-kit.js';

const ITEMS = Number(process.argv[2] ?? 200);
const TOTAL_BYTES = Number(process.argv[3] ?? 1024 ** 3);
const CASE_NUMBER = 'BENCH-BUNDLE';

async function buildStore(dir: string): Promise<number> {
  const store = EvidenceStore.openForWriting(dir, { create: true });
  try {
    store.init({ name: 'Bench Investigator', agency: 'Bench Unit', badge: null });
    const caseRow = store.createCase({ number: CASE_NUMBER, title: 'Bundle benchmark' });
    const size = Math.floor(TOTAL_BYTES / ITEMS);
    const data = Buffer.alloc(size);
    const line = Buffer.from(
      '2026-05-12 12:00:01 GET /posts/1234 crossing Tuesday 1500 EUR contact +34 600 000 000\n',
    );
    let bytes = 0;
    for (let i = 0; i < ITEMS; i++) {
      const text = i % 10 >= 7;
      if (text)
        for (let at = 0; at < size; at += line.length)
          line.copy(data, at, 0, Math.min(line.length, size - at));
      else randomFillSync(data);
      data.writeUInt32BE(i, 0); // every blob distinct
      const blob = await store.blobs.putBuffer(data);
      bytes += blob.size;
      store.addItem({
        caseId: caseRow.id,
        kind: 'import',
        source: `file-${i}.${text ? 'txt' : 'png'}`,
        metadata: { originalName: `file-${i}` },
        artifacts: [
          {
            role: 'original',
            name: text ? 'original.txt' : 'original.png',
            mediaType: text ? 'text/plain' : 'image/png',
            size: blob.size,
            sha256: blob.sha256,
          },
        ],
      });
    }
    return bytes;
  } finally {
    store.close();
  }
}

/** Runs the CLI under /usr/bin/time: wall seconds and peak RSS (bytes) of the custos process. */
async function timedCustos(store: string, args: string[]): Promise<{ seconds: number; peakRss: number }> {
  const result = await run('/usr/bin/time', [
    '-f',
    'TIME %e %M',
    process.execPath,
    CUSTOS_BIN,
    '--store',
    store,
    ...args,
  ]);
  const match = /TIME ([\d.]+) (\d+)/.exec(result.stderr);
  if (!match) throw new Error(`no /usr/bin/time figures in: ${result.stderr}`);
  return { seconds: Number(match[1]), peakRss: Number(match[2]) * 1024 };
}

const dir = makeBenchDir('bundle');
try {
  const store = path.join(dir, 'store');
  const bytes = await buildStore(store);
  const bundle = path.join(dir, 'bench.zip');
  await syncDisks();
  const exported = await timedCustos(store, ['export', '--case', CASE_NUMBER, '--out', bundle]);
  const bundleBytes = fs.statSync(bundle).size;
  await syncDisks();
  const verifyCli = await timedCustos(store, ['verify', bundle]);
  const verifyCore = await timed(() => verifyBundle(bundle));
  if (!verifyCore.value.valid)
    throw new Error(`the benchmark bundle does not verify: ${JSON.stringify(verifyCore.value.problems)}`);
  const openssl = await timed(() => run('openssl', ['dgst', '-sha256', bundle]));
  const sha256sum = await timed(() => run('sha256sum', [bundle]));
  printFigures(`Bundle: ${ITEMS} items, ${mb(bytes)} of artifacts, bundle ${mb(bundleBytes)}`, [
    [
      'export (CLI, incl. report and PDF)',
      `${secs(exported.seconds)}  ${mbPerSecond(bytes, exported.seconds)}`,
    ],
    ['export peak RSS (custos process)', mb(exported.peakRss)],
    [
      'verify (CLI, incl. start-up)',
      `${secs(verifyCli.seconds)}  ${mbPerSecond(bundleBytes, verifyCli.seconds)}`,
    ],
    ['verify (in process)', `${secs(verifyCore.seconds)}  ${mbPerSecond(bundleBytes, verifyCore.seconds)}`],
    ['openssl dgst -sha256 bundle', `${secs(openssl.seconds)}  ${mbPerSecond(bundleBytes, openssl.seconds)}`],
    ['sha256sum bundle', `${secs(sha256sum.seconds)}  ${mbPerSecond(bundleBytes, sha256sum.seconds)}`],
    ['verify / openssl (in process; goal ≤ 1.3)', (verifyCore.seconds / openssl.seconds).toFixed(2)],
    ['verify / openssl (CLI)', (verifyCli.seconds / openssl.seconds).toFixed(2)],
  ]);
} finally {
  removeBenchDir(dir);
}
