// Preloaded into a writing (or reading) `custos` child (NODE_OPTIONS=--import=…) by the tests of a reader that
// runs while another process settles an interrupted restore: at each step CUSTOS_TEST_PAUSE_AT
// names (comma-separated), the process writes "paused at STEP" to stderr and stops there (a writer
// holding the writer lock) until the file CUSTOS_TEST_RESUME_FILE.STEP exists; then it goes on as if
// nothing had happened. Nothing else is touched. The steps of the settle (restore-pending.ts,
// settleInterruptedRestore), in their order:
//   settling   the marker restore-pending.json was just read, under the writer lock; nothing moved yet;
//   anchoring  the restore's store.restore entry is committed, store.json about to be rewritten for it
//              (`custos restore` itself stops here too, before it rewrites store.json);
//   settled    the marker was just removed: the restore is settled, the lock still held for the write.
// And one step of a reader (which takes no lock):
//   reading    store.json is about to be read by the open, after the reader looked at the marker and
//              at the writer lock (untilRestoreSettled): a writer may take the lock from here;
//   auditing   `custos audit`'s first read of store.json for its snapshot (run-audit.ts reads it
//              through `outcomeOf`; its second read of store.json): its database is open, and the
//              snapshot begins right after;
//   auditing-again  its second such read: an audit a restore overtook has opened the restored store
//              and is about to read store.json for its second run's snapshot.
import fs from 'node:fs';
import path from 'node:path';

const steps = new Set((process.env.CUSTOS_TEST_PAUSE_AT ?? '').split(','));
const resumeFile = process.env.CUSTOS_TEST_RESUME_FILE;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

function pauseAt(at) {
  if (!steps.delete(at)) return; // each step once
  fs.writeSync(2, `paused at ${at}\n`);
  // The settle runs synchronously: the thread itself waits, as a slow disk would hold it.
  while (!fs.existsSync(`${resumeFile}.${at}`)) Atomics.wait(sleeper, 0, 0, 20);
}

const readFileSync = fs.readFileSync.bind(fs);
let snapshotReads = 0;
fs.readFileSync = (file, options) => {
  if (path.basename(String(file)) === 'store.json') {
    pauseAt('reading');
    if (new Error().stack?.includes('at outcomeOf')) {
      snapshotReads += 1;
      pauseAt(snapshotReads === 1 ? 'auditing' : 'auditing-again');
    }
  }
  const text = readFileSync(file, options);
  if (path.basename(String(file)) === 'restore-pending.json') pauseAt('settling');
  return text;
};

const renameSync = fs.renameSync.bind(fs);
fs.renameSync = (from, to) => {
  if (path.basename(String(to)) === 'store.json') pauseAt('anchoring');
  renameSync(from, to);
};

const rmSync = fs.rmSync.bind(fs);
fs.rmSync = (file, options) => {
  const removed = rmSync(file, options);
  if (path.basename(String(file)) === 'restore-pending.json') pauseAt('settled');
  return removed;
};
