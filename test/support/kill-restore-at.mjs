// Preloaded into a `custos restore` child (NODE_OPTIONS=--import=…) by the tests of a restore killed
// midway: at the step CUSTOS_TEST_KILL_RESTORE_AT names, the process writes "killed at STEP" to
// stderr and kills itself with SIGKILL, as a power cut or `kill -9` would stop it there. Nothing
// else is touched. The steps, in the order a restore takes them:
//   copied     the backup's checked copy (.custos.sqlite.restore-PID.tmp) is made, no marker yet;
//   marked     restore-pending.json was just renamed into place (nothing else moved yet);
//   set-aside  the database in place was just renamed aside (its -wal not yet), none is in place;
//   swapped    the backup's copy was just renamed into place, the restore not yet recorded;
//   committed  the store.restore entry is committed, store.json not yet rewritten for it;
//   recorded   the store.restore entry is committed, restore-pending.json about to be removed.
// And two steps of the next writer's undo of such a restore (restore-pending.ts, undoSwap):
//   copy-removed  the backup's copy (.custos.sqlite.restore-PID.tmp) was just removed;
//   put-back      the set-aside database was just renamed back to custos.sqlite.
import fs from 'node:fs';
import path from 'node:path';

const step = process.env.CUSTOS_TEST_KILL_RESTORE_AT;
const MARKER = 'restore-pending.json';

function dieAt(at) {
  if (at !== step) return;
  fs.writeSync(2, `killed at ${at}\n`);
  process.kill(process.pid, 'SIGKILL');
}

const renameSync = fs.renameSync.bind(fs);
fs.renameSync = (from, to) => {
  // A restore writes store.json once: for its committed entry (restore-store.ts, `store.close()`).
  if (path.basename(String(to)) === 'store.json') dieAt('committed');
  renameSync(from, to);
  const source = path.basename(String(from));
  const target = path.basename(String(to));
  if (target === MARKER) dieAt('marked');
  else if (source === 'custos.sqlite' && target.startsWith('custos.sqlite.replaced-')) dieAt('set-aside');
  else if (source.startsWith('.custos.sqlite.restore-') && target === 'custos.sqlite') dieAt('swapped');
  else if (source.startsWith('custos.sqlite.replaced-') && target === 'custos.sqlite') dieAt('put-back');
};

const chmodSync = fs.chmodSync.bind(fs);
fs.chmodSync = (file, mode) => {
  chmodSync(file, mode);
  // restore-store.ts tightens the copy once it is checked and fsynced, just before the marker.
  if (/^\.custos\.sqlite\.restore-\d+\.tmp$/.test(path.basename(String(file)))) dieAt('copied');
};

const rmSync = fs.rmSync.bind(fs);
fs.rmSync = (file, options) => {
  const name = path.basename(String(file));
  if (name === MARKER) dieAt('recorded');
  const removed = rmSync(file, options);
  if (/^\.custos\.sqlite\.restore-\d+\.tmp$/.test(name)) dieAt('copy-removed');
  return removed;
};
