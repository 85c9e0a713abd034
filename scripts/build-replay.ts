/**
 * `npm run build:replay`: writes the replay engine into out/replay (scripts/replay-engine.ts),
 * which the app serves on its replay scheme and electron-builder packs.
 *
 *   tsx scripts/build-replay.ts [OUT_DIR]    (default: out/replay)
 */
import path from 'node:path';
import { buildReplayEngine } from './replay-engine.js';

const outDir = path.resolve(process.argv[2] ?? path.join('out', 'replay'));
await buildReplayEngine(outDir);
process.stdout.write(`replay engine written to ${outDir}\n`);
