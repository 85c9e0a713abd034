/**
 * `node --import tsx tools/harness/main.ts [--store DIR] [--port N]`: builds the renderer and
 * serves it with the harness for UI development without Electron. Without --store it uses a new
 * temporary store. Prints the address to open (it carries the token).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildReplayEngine } from '../../scripts/replay-engine.js';
import { buildRenderer } from './build-renderer.js';
import { startHarness } from './harness-server.js';

const { values } = parseArgs({ options: { store: { type: 'string' }, port: { type: 'string' } } });
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-harness-'));
const rendererDir = await buildRenderer(path.join(work, 'renderer'));
const harness = await startHarness({
  rendererDir,
  storeDir: values.store ?? path.join(work, 'store'),
  exportDir: path.join(work, 'exports'),
  uploadDir: path.join(work, 'uploads'),
  replayEngineDir: await buildReplayEngine(path.join(work, 'replay')),
  port: values.port === undefined ? undefined : Number(values.port),
});
process.stdout.write(`Custos harness: open ${harness.url}\n(Ctrl+C stops it)\n`);
process.on('SIGINT', () => {
  void harness.close().then(() => process.exit(0));
});
