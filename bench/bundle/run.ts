/**
 * Bundle benchmark, in two parts, each against reference commands run in the same process tree:
 *
 * 1. Bulk: a case of LARGE incompressible files of LARGE_MIB MiB each (PNG-typed, stored) and
 *    SMALL text files of 4 KiB (deflated). Times `custos export` (its peak RSS from /usr/bin/time)
 *    against `zip -0 -r` of the same blob files, and `custos verify` against `openssl dgst -sha256`
 *    over the unzipped bundle. Goals: verify ≤ 1.3 × openssl, export ≤ 1.5 × zip, export peak RSS
 *    ≤ 300 MiB whatever the case size.
 * 2. Tokens: a case of TOKENS items, each stamped by the local test authority (OpenSSL `ts -reply`
 *    behind HTTP on 127.0.0.1), exported, then verified with the authority's root given. Goal:
 *    under 10 s.
 *
 *   node --import tsx bench/bundle/run.ts [LARGE] [LARGE_MIB] [SMALL] [TOKENS]
 *
 * With CUSTOS_BENCH_STORE=DIR the bulk store is built in DIR once and kept, and later runs only
 * time (so that two checkouts' exports can be compared on the same store, side by side).
 */
import { randomFillSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportBundle } from '../../electron/core/bundle/export-bundle.js';
import type { PdfPrinter } from '../../electron/core/bundle/pdf-printer.js';
import { verifyBundle } from '../../electron/core/bundle/verify-bundle.js';
import { EvidenceStore } from '../../electron/core/store/evidence-store.js';
import { requestPending } from '../../electron/core/timestamp/stamp-queue.js';
import { addTrustedRoots } from '../../electron/core/timestamp/timestamp-settings.js';
import { startLocalTsa } from '../../test/support/local-tsa.js';
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

const LARGE = Number(process.argv[2] ?? 16);
const LARGE_BYTES = Number(process.argv[3] ?? 32) * 1024 * 1024;
const SMALL = Number(process.argv[4] ?? 2000);
const SMALL_BYTES = 4096;
const TOKENS = Number(process.argv[5] ?? 1000);
const CASE_NUMBER = 'BENCH-BUNDLE';

/** Adds one imported item holding `data` to the case. */
async function addFile(store: EvidenceStore, caseId: string, data: Buffer, index: number, text: boolean) {
  const blob = await store.blobs.putBuffer(data);
  store.addItem({
    caseId,
    kind: 'import',
    source: `file-${index}.${text ? 'txt' : 'png'}`,
    metadata: { originalName: `file-${index}` },
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
  return blob.size;
}

/** A store with one case of `large` random files and `small` text files; returns its artifact bytes. */
async function buildStore(dir: string, large: number, small: number): Promise<number> {
  const store = EvidenceStore.openForWriting(dir, { create: true });
  try {
    store.init({ name: 'Bench Investigator', agency: 'Bench Unit', badge: null });
    const caseRow = store.createCase({ number: CASE_NUMBER, title: 'Bundle benchmark' });
    let bytes = 0;
    const big = Buffer.alloc(LARGE_BYTES);
    for (let i = 0; i < large; i++) {
      randomFillSync(big);
      big.writeUInt32BE(i, 0);
      bytes += await addFile(store, caseRow.id, big, i, false);
    }
    const line = Buffer.from(
      '2026-05-12 12:00:01 GET /posts/1234 crossing Tuesday 1500 EUR contact +34 600 000 000\n',
    );
    const text = Buffer.alloc(SMALL_BYTES);
    for (let at = 0; at < SMALL_BYTES; at += line.length)
      line.copy(text, at, 0, Math.min(line.length, SMALL_BYTES - at));
    for (let i = 0; i < small; i++) {
      text.writeUInt32BE(i, 0); // every blob distinct
      bytes += await addFile(store, caseRow.id, text, large + i, true);
    }
    return bytes;
  } finally {
    store.close();
  }
}

/** The store in `store`, built unless CUSTOS_BENCH_STORE kept it from an earlier run; its artifact bytes. */
async function keptOrBuiltStore(store: string): Promise<number> {
  const bytesFile = path.join(store, '..', `${path.basename(store)}.bench-bytes`);
  if (process.env.CUSTOS_BENCH_STORE && fs.existsSync(bytesFile)) {
    console.log('(the store kept in CUSTOS_BENCH_STORE: building skipped)');
    return Number(fs.readFileSync(bytesFile, 'utf8'));
  }
  const bytes = await buildStore(store, LARGE, SMALL);
  if (process.env.CUSTOS_BENCH_STORE) fs.writeFileSync(bytesFile, String(bytes));
  return bytes;
}

/**
 * The peak RSS (VmHWM, bytes) of the process that `parent` started, polled until `done` settles:
 * /usr/bin/time's figure is the largest process of the tree it waited for, which for an export is
 * Chromium's print compositor (reaped through the browser), not the custos process itself.
 */
async function watchChildPeak(parent: number, done: Promise<unknown>): Promise<number> {
  let peak = 0;
  let finished = false;
  void done.finally(() => {
    finished = true;
  });
  while (!finished) {
    try {
      const child = fs.readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8').trim().split(' ')[0];
      const status = child ? fs.readFileSync(`/proc/${child}/status`, 'utf8') : '';
      const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
      if (hwm) peak = Math.max(peak, Number(hwm[1]) * 1024);
    } catch {
      // not started yet, or gone
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return peak;
}

/**
 * Runs the CLI under /usr/bin/time: wall seconds, the peak RSS (bytes) of the largest process of
 * its tree (/usr/bin/time) and that of the custos process itself.
 */
async function timedCustos(
  store: string,
  args: string[],
): Promise<{ seconds: number; peakRss: number; ownPeakRss: number }> {
  let timePid = 0;
  const running = run(
    '/usr/bin/time',
    ['-f', 'TIME %e %M', process.execPath, CUSTOS_BIN, '--store', store, ...args],
    { onSpawn: (pid) => (timePid = pid) },
  );
  const ownPeak = watchChildPeak(
    timePid,
    running.catch(() => undefined),
  );
  const result = await running;
  const match = /TIME ([\d.]+) (\d+)/.exec(result.stderr);
  if (!match) throw new Error(`no /usr/bin/time figures in: ${result.stderr}`);
  return { seconds: Number(match[1]), peakRss: Number(match[2]) * 1024, ownPeakRss: await ownPeak };
}

/** Every regular file under `dir`, relative to it, sorted. */
function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((name) => fs.statSync(path.join(dir, name)).isFile())
    .sort();
}

const load = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

/**
 * A stand-in for the report's printer, for the bench alone: it writes a one-page PDF, so that the
 * export's own work (reading, hashing, report.html, the ZIP, signing) is timed apart from Chromium's
 * print, which the export line above includes and bench/report-print times on its own.
 */
const NO_PRINT: PdfPrinter = {
  print: async (_html, pdf) => {
    fs.writeFileSync(pdf, '%PDF-1.4\n%bench stand-in: the report was not printed\n%%EOF\n');
  },
};

/** The bulk case exported in this process with the stand-in printer. */
async function exportWithoutPrint(storeDir: string, out: string): Promise<void> {
  const store = EvidenceStore.openForWriting(storeDir);
  try {
    await exportBundle(store, { caseRef: CASE_NUMBER, out, printer: NO_PRINT });
  } finally {
    store.close();
  }
}

/** Part 1: export and verify of a bulk case, against zip -0 -r and openssl dgst -sha256. */
async function benchBulk(dir: string): Promise<void> {
  const store = process.env.CUSTOS_BENCH_STORE ?? path.join(dir, 'bulk-store');
  const bytes = await keptOrBuiltStore(store);
  const bundle = path.join(dir, 'bulk.zip');
  const loadBefore = load();
  await syncDisks();
  const exported = await timedCustos(store, ['export', '--case', CASE_NUMBER, '--out', bundle]);
  const bundleBytes = fs.statSync(bundle).size;
  await syncDisks();
  const unprinted = await timed(() => exportWithoutPrint(store, path.join(dir, 'unprinted.zip')));
  fs.rmSync(path.join(dir, 'unprinted.zip'));
  await syncDisks();
  const zipped = await timed(() =>
    run('zip', ['-0', '-r', '-q', path.join(dir, 'reference.zip'), 'blobs'], { cwd: store }),
  );
  fs.rmSync(path.join(dir, 'reference.zip'));

  const unzipped = path.join(dir, 'unzipped');
  await run('unzip', ['-q', bundle, '-d', unzipped]);
  const files = filesUnder(unzipped);
  await syncDisks();
  const verifyCli = await timedCustos(store, ['verify', bundle]);
  const verifyCore = await timed(() => verifyBundle(bundle));
  if (!verifyCore.value.valid)
    throw new Error(`the benchmark bundle does not verify: ${JSON.stringify(verifyCore.value.problems)}`);
  const openssl = await timed(() => run('openssl', ['dgst', '-sha256', ...files], { cwd: unzipped }));
  const loadAfter = load();
  printFigures(
    `Bundle, bulk: ${LARGE} × ${mb(LARGE_BYTES)} + ${SMALL} × 4 KiB, ${mb(bytes)} of artifacts, bundle ${mb(bundleBytes)}, ${files.length} files (load average ${loadBefore} → ${loadAfter})`,
    [
      [
        'export (CLI, incl. report and PDF)',
        `${secs(exported.seconds)}  ${mbPerSecond(bytes, exported.seconds)}`,
      ],
      [
        'export peak RSS, custos process (goal ≤ 300 MiB)',
        `${(exported.ownPeakRss / 1024 ** 2).toFixed(0)} MiB`,
      ],
      ['export peak RSS, largest process of its tree', `${(exported.peakRss / 1024 ** 2).toFixed(0)} MiB`],
      ['zip -0 -r of the blobs', `${secs(zipped.seconds)}  ${mbPerSecond(bytes, zipped.seconds)}`],
      ['export / zip -0 -r (goal ≤ 1.5)', (exported.seconds / zipped.seconds).toFixed(2)],
      [
        'export without the report print (in process)',
        `${secs(unprinted.seconds)}  ${mbPerSecond(bytes, unprinted.seconds)}`,
      ],
      ['export without the print / zip -0 -r', (unprinted.seconds / zipped.seconds).toFixed(2)],
      [
        'verify (CLI, incl. start-up)',
        `${secs(verifyCli.seconds)}  ${mbPerSecond(bundleBytes, verifyCli.seconds)}`,
      ],
      ['verify (in process)', `${secs(verifyCore.seconds)}  ${mbPerSecond(bundleBytes, verifyCore.seconds)}`],
      [
        'openssl dgst -sha256 over the unzipped files',
        `${secs(openssl.seconds)}  ${mbPerSecond(bundleBytes, openssl.seconds)}`,
      ],
      ['verify / openssl (CLI; goal ≤ 1.3)', (verifyCli.seconds / openssl.seconds).toFixed(2)],
      ['verify / openssl (in process)', (verifyCore.seconds / openssl.seconds).toFixed(2)],
    ],
  );
}

/** Part 2: a bundle with TOKENS timestamp tokens from the local authority, verified with its root. */
async function benchTokens(dir: string): Promise<void> {
  const store = path.join(dir, 'token-store');
  await buildStore(store, 0, TOKENS);
  const tsa = await startLocalTsa();
  try {
    const writable = EvidenceStore.openForWriting(store);
    addTrustedRoots(writable, tsa.caPem, tsa.caFile);
    const stamping = await timed(() => requestPending(writable, { authorities: [tsa.url] }));
    writable.close();
    const granted = stamping.value.filter((r) => r.status === 'granted').length;
    const bundle = path.join(dir, 'tokens.zip');
    const loadBefore = load();
    const exported = await timedCustos(store, ['export', '--case', CASE_NUMBER, '--out', bundle]);
    const verifyCli = await timedCustos(store, ['verify', bundle, '--tsa-roots', tsa.caFile]);
    const verifyCore = await timed(() => verifyBundle(bundle, { tsaRootsPem: [tsa.caPem] }));
    const report = verifyCore.value;
    const valid = report.timestamps.filter((t) => t.valid).length;
    if (!report.valid)
      throw new Error(`the token bundle does not verify: ${JSON.stringify(report.problems.slice(0, 3))}`);
    printFigures(
      `Bundle, tokens: ${TOKENS} items, ${granted} tokens granted (the items' and the ledger head's) in ${secs(stamping.seconds)}; ${report.timestamps.length} tokens in the bundle, ${valid} valid (load average ${loadBefore} → ${load()})`,
      [
        ['export (CLI, incl. report and PDF)', secs(exported.seconds)],
        ['export peak RSS, custos process', `${(exported.ownPeakRss / 1024 ** 2).toFixed(0)} MiB`],
        ['export peak RSS, largest process of its tree', `${(exported.peakRss / 1024 ** 2).toFixed(0)} MiB`],
        ['verify (CLI, incl. start-up; goal < 10 s)', secs(verifyCli.seconds)],
        ['verify (in process)', secs(verifyCore.seconds)],
        [
          'per token (in process)',
          `${((verifyCore.seconds / report.timestamps.length) * 1000).toFixed(1)} ms`,
        ],
      ],
    );
  } finally {
    await tsa.stop();
  }
}

const dir = makeBenchDir('bundle');
try {
  if (process.env.BENCH_PART !== 'tokens') await benchBulk(dir);
  if (process.env.BENCH_PART !== 'bulk' && TOKENS > 0) await benchTokens(dir);
} finally {
  removeBenchDir(dir);
}
