// Preloaded into a `custos` child (NODE_OPTIONS=--import=…) by tests of which threads a command
// starts: appends a line to the file named by CUSTOS_TEST_WORKER_LOG for each worker thread the
// process starts (Node's 'worker' event). Nothing else is touched.
import fs from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const log = process.env.CUSTOS_TEST_WORKER_LOG;
if (isMainThread && log) process.on('worker', () => fs.appendFileSync(log, 'worker\n'));
