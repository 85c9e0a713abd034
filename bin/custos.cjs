#!/usr/bin/env node
// The `custos` command's entry: sizes libuv's thread pool, then runs bin/custos.mjs. (The export's
// young generation is held by the export command itself: electron/cli/young-generation.ts.)
//
// The pool (file system calls, fsyncs, hashing off the main thread) is made once, at its first use,
// with UV_THREADPOOL_SIZE threads (4 by default), and Node reads an ES module entry through it before
// the module's first line runs: only a CommonJS entry comes first. 32 threads let the 32 fsyncs the
// blob store keeps in flight (SYNC_CONCURRENCY) reach the disk together, where 4 let the journal
// merge four at a time (docs/ARCHITECTURE.md, "The thread pool's size"). A size the user set wins;
// the variable is taken out again once the pool is made, so that child processes (Chromium, openssl)
// get the environment they were given. POSIX only: on Windows libuv reads the variable with the C
// runtime's getenv, whose copy of the environment does not see what Node sets, so the pool keeps its
// default there unless the variable is set before Node starts.
'use strict';
const fs = require('node:fs');
const v8 = require('node:v8');

// V8 optimises a function with TurboFan, on its helper threads, once it has run 66 KB of bytecode
// (Node 20's interrupt budget), a threshold made for pages that live for minutes; most commands
// live for a second or so. For `custos verify` of the bench's bulk bundle those compiles took
// 0.26-0.33 s of CPU, taken on two cores from the hashing threads. Four times the budget cut that
// to 0.09-0.10 s, the main thread's CPU unchanged, a process's later verifies no slower (code
// that stays hot is still optimised, a little later) and an import of 2,000 files 0.2-0.45 s of
// user CPU lighter (docs/ARCHITECTURE.md, "V8's optimising compiler" under "CLI start-up"). The
// budget is read each time V8 counts a function's work, so unlike the heap's sizes it takes
// effect when set here. A budget the user gave (`node --interrupt-budget=N`; Node refuses it in
// NODE_OPTIONS) wins. Node 20's V8 (11.x) only: later V8s replaced the flag
// (`--invocation-count-for-turbofan`) and print "Error: unrecognized flag" on stderr, which is part
// of the command's contract, for one they do not know; their thresholds are not measured here.
const v8Major = Number(process.versions.v8.split('.')[0]);
const userBudget = process.execArgv.some((arg) => /^--interrupt[-_]budget(=|$)/.test(arg));
if (v8Major === 11 && !userBudget) v8.setFlagsFromString('--interrupt-budget=270336');

if (process.env.UV_THREADPOOL_SIZE === undefined) {
  process.env.UV_THREADPOOL_SIZE = '32';
  fs.stat(__filename, () => undefined); // the pool's first use: libuv makes it now, reading the variable
  delete process.env.UV_THREADPOOL_SIZE;
}
// custos.mjs awaits main() at its top level, so this import resolves only once the command has
// settled. A command that stalls (a promise nothing will ever settle) leaves the event loop empty:
// Node then exits with the current exitCode, 0, printing nothing, and for `custos verify` 0 means
// "verified". (With custos.mjs as the entry Node said exit 13 for that; through import() it does not.)
let settled = false;
process.on('exit', (code) => {
  if (settled || code !== 0) return;
  // Written synchronously: nothing asynchronous runs once the process is exiting.
  fs.writeSync(2, 'custos: the command stopped before finishing; nothing it did is confirmed.\n');
  process.exitCode = 3;
});
import('./custos.mjs').then(
  () => {
    settled = true;
  },
  (error) => {
    // The command could not even start (a damaged install): say so, with the contract's status for
    // "any other failure", rather than Node's unhandled-rejection trace and status 1 (an integrity
    // failure). exitCode, not exit(): exit() could cut off stderr where pipes are asynchronous.
    settled = true;
    process.stderr.write(
      `custos: cannot start: ${error?.message ?? error}\nReinstall Custos (npm ci in a checkout).\n`,
    );
    process.exitCode = 3;
  },
);
