// Preloaded into a writing `custos` child (NODE_OPTIONS=--import=…) by the tests of a reader that
// runs while another process settles an interrupted restore: at the step CUSTOS_TEST_PAUSE_AT
// names, the process writes "paused at STEP" to stderr and stops there, holding the writer lock,
// until the file CUSTOS_TEST_RESUME_FILE exists; then it goes on as if nothing had happened.
// Nothing else is touched. The steps of the settle (restore-pending.ts, settleInterruptedRestore):
//   settling   the marker restore-pending.json was just read, under the writer lock; nothing moved yet;
//   anchoring  the restore's store.restore entry is committed, store.json about to be rewritten for it.
import fs from 'node:fs';
import path from 'node:path';

const step = process.env.CUSTOS_TEST_PAUSE_AT;
const resumeFile = process.env.CUSTOS_TEST_RESUME_FILE;
const sleeper = new Int32Array(new SharedArrayBuffer(4));
let paused = false;

function pauseAt(at) {
  if (at !== step || paused) return;
  paused = true;
  fs.writeSync(2, `paused at ${at}\n`);
  // The settle runs synchronously: the thread itself waits, as a slow disk would hold it.
  while (!fs.existsSync(resumeFile)) Atomics.wait(sleeper, 0, 0, 20);
}

const readFileSync = fs.readFileSync.bind(fs);
fs.readFileSync = (file, options) => {
  const text = readFileSync(file, options);
  if (path.basename(String(file)) === 'restore-pending.json') pauseAt('settling');
  return text;
};

const renameSync = fs.renameSync.bind(fs);
fs.renameSync = (from, to) => {
  if (path.basename(String(to)) === 'store.json') pauseAt('anchoring');
  renameSync(from, to);
};
