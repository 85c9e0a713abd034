/**
 * Audit benchmark: builds a store of 10,000 items holding 1 GiB of blobs through the EvidenceStore
 * API (faster than 10,000 CLI runs, same files and rows), times `custos audit --json`, checks that it
 * reports clean, and times `sha256sum` and `openssl dgst -sha256` over the same blob files.
 *
 *   node --import tsx bench/audit/run.ts [ITEMS] [TOTAL_BYTES]
 */
import { randomFillSync } from 'node:crypto';
import { loadavg } from 'node:os';
import { EvidenceStore } from '../../electron/core/store/evidence-store.js';
import type { ArtifactRecord, AuditReport } from '../../shared/domain.js';
import {
  makeBenchDir,
  mb,
  mbPerSecond,
  printFigures,
  removeBenchDir,
  run,
  runCustos,
  secs,
  syncDisks,
  timed,
} from '../support/bench-kit.js';

const ITEMS = Number(process.argv[2] ?? 10_000);
const TOTAL_BYTES = Number(process.argv[3] ?? 1024 ** 3);
const CASE_NUMBER = 'BENCH-AUDIT';
const ITEMS_PER_TRANSACTION = 500;

/** Sizes that vary (a quarter to one and three quarters of the mean) and add up to the total. */
function blobSizes(count: number, total: number): number[] {
  const mean = total / count;
  const sizes = Array.from({ length: count }, (_, i) =>
    Math.round(mean * (0.25 + (1.5 * ((i * 7919) % count)) / count)),
  );
  const drift = total - sizes.reduce((sum, size) => sum + size, 0);
  sizes[0] = Math.max(1, (sizes[0] ?? 0) + drift);
  return sizes;
}

async function buildStore(dir: string): Promise<{ bytes: number; blobPaths: string[] }> {
  const store = EvidenceStore.openForWriting(dir, { create: true });
  try {
    store.init({ name: 'Bench Investigator', agency: 'Bench Unit', badge: null });
    const caseRow = store.createCase({ number: CASE_NUMBER, title: 'Audit benchmark' });
    const sizes = blobSizes(ITEMS, TOTAL_BYTES);
    const scratch = Buffer.alloc(Math.max(...sizes));
    const blobPaths: string[] = [];
    let pending: ArtifactRecord[] = [];
    const commit = () => {
      const batch = pending;
      pending = [];
      store.transaction(() => {
        for (const artifact of batch) {
          store.addItem({
            caseId: caseRow.id,
            kind: 'import',
            source: `${artifact.sha256.slice(0, 12)}.bin`,
            metadata: { originalName: `${artifact.sha256.slice(0, 12)}.bin`, size: artifact.size },
            artifacts: [artifact],
          });
        }
      });
    };
    for (const [index, size] of sizes.entries()) {
      const blob = await store.blobs.putBuffer(randomFillSync(scratch, 0, size).subarray(0, size));
      blobPaths.push(store.blobs.pathOf(blob.sha256));
      pending.push({
        role: 'original',
        name: 'original.bin',
        mediaType: 'application/octet-stream',
        size,
        sha256: blob.sha256,
      });
      if (pending.length === ITEMS_PER_TRANSACTION) commit();
      if ((index + 1) % 1000 === 0) process.stderr.write(`  built ${index + 1}/${ITEMS} items\r`);
    }
    if (pending.length) commit();
    process.stderr.write('\n');
    return { bytes: sizes.reduce((sum, size) => sum + size, 0), blobPaths };
  } finally {
    store.close();
  }
}

/** Runs a hashing tool over many files, a batch of arguments at a time, one process after another. */
async function hashAll(tool: string, toolArgs: readonly string[], files: readonly string[]): Promise<void> {
  for (let start = 0; start < files.length; start += 1000) {
    await run(tool, [...toolArgs, ...files.slice(start, start + 1000)]);
  }
}

async function main(): Promise<void> {
  const base = makeBenchDir('audit');
  const storeDir = `${base}/store`;
  try {
    console.log(
      `Audit benchmark: building a store of ${ITEMS} items, ${mb(TOTAL_BYTES)} of blobs in ${base}`,
    );
    const built = await timed(() => buildStore(storeDir));
    await syncDisks();

    const audit = await timed(() => runCustos(storeDir, ['--json', 'audit'], { allowFailure: true }));
    const report = JSON.parse(audit.value.stdout) as AuditReport;
    const sha256sum = await timed(() => hashAll('sha256sum', [], built.value.blobPaths));
    const openssl = await timed(() => hashAll('openssl', ['dgst', '-sha256'], built.value.blobPaths));

    const bytes = built.value.bytes;
    printFigures('custos audit (page cache warm: the blobs were just written)', [
      ['exit status', String(audit.value.status)],
      [
        'clean',
        report.clean
          ? 'yes'
          : `NO: ${report.problems.length} problem(s), first: ${JSON.stringify(report.problems[0])}`,
      ],
      ['items', String(report.counts.items)],
      ['artifacts', String(report.counts.artifacts)],
      ['blobs on disk', String(report.counts.blobs)],
      ['ledger entries', String(report.counts.ledgerEntries)],
      ['bytes re-hashed', `${report.counts.bytes} (${mb(report.counts.bytes)})`],
      ['store built in', secs(built.seconds)],
      ['custos audit', `${secs(audit.seconds)}  ${mbPerSecond(bytes, audit.seconds)}`],
      ['sha256sum, same blobs', `${secs(sha256sum.seconds)}  ${mbPerSecond(bytes, sha256sum.seconds)}`],
      [
        'openssl dgst -sha256, same blobs',
        `${secs(openssl.seconds)}  ${mbPerSecond(bytes, openssl.seconds)}`,
      ],
      ['audit / sha256sum', (audit.seconds / sha256sum.seconds).toFixed(2)],
      ['audit / openssl', (audit.seconds / openssl.seconds).toFixed(2)],
      [
        'load average at the end',
        loadavg()
          .map((n) => n.toFixed(1))
          .join(' '),
      ],
    ]);
    if (!report.clean || report.counts.items !== ITEMS) {
      console.log('\nThe audit did not report the store clean: that is a bug, not a timing.');
      process.exitCode = 1;
    }
  } finally {
    removeBenchDir(base);
  }
}

await main();
