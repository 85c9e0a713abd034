#!/usr/bin/env node
// `npm run bench [-- NAME…]`: runs every benchmark (each bench/<name>/run.ts, .mjs or .js), or
// only those named, one after another, each in its own Node process. Benchmarks print figures and
// never fail on timing; a benchmark that crashes makes this exit non-zero.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bench');
const RUN_FILES = ['run.ts', 'run.mjs', 'run.js'];

/** The run script of a benchmark folder, if it has one. */
function runScriptOf(name) {
  const found = RUN_FILES.map((file) => path.join(benchDir, name, file)).find((file) => fs.existsSync(file));
  return found ?? null;
}

const available = fs
  .readdirSync(benchDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && runScriptOf(entry.name))
  .map((entry) => entry.name)
  .sort();

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  process.stderr.write(
    `bench: no benchmark named ${unknown.join(', ')}; there are: ${available.join(', ')}\n`,
  );
  process.exit(2);
}

let failed = 0;
for (const name of wanted.length > 0 ? wanted : available) {
  const script = runScriptOf(name);
  process.stdout.write(`\n=== bench/${name} ===\n`);
  const args = script.endsWith('.ts') ? ['--import', 'tsx', script] : [script];
  const result = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: path.join(benchDir, '..') });
  if (result.status !== 0) {
    failed++;
    process.stderr.write(`bench/${name} failed (exit ${result.status ?? result.signal})\n`);
  }
}
process.exit(failed > 0 ? 1 : 0);
