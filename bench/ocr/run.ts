/**
 * bench/ocr: text recognition over generated ad pictures (make-ads.ts, made at each run, not kept):
 * precision and recall of Latin-digit phone numbers found from the pictures (goals 0.95 and 0.85),
 * recall of Eastern Arabic and Persian digit numbers as candidates exact or one digit off (goal
 * 0.75), how many candidate values each gives, and that no such number is ever stated as a
 * confirmed entity; time per picture and peak memory. `npm run bench -- ocr [COUNT]` (default 64
 * pictures); `CUSTOS_BENCH_KEEP=DIR` writes the pictures and their truth there.
 */
import fs from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { sharedOcrEngine } from '../../electron/core/ocr/ocr-engine.js';
import { digitsDifferent } from '../../electron/core/ocr/one-digit.js';
import { pictureEntities } from '../../electron/core/ocr/picture-entities.js';
import { readPicture } from '../../electron/core/ocr/recognise-picture.js';
import { printFigures } from '../support/bench-kit.js';
import { makeAds } from './make-ads.js';

const COUNT = Number(process.argv[2] ?? 64);
const PHONE_TYPES = new Set(['phone', 'whatsapp', 'signal']);

const made = Date.now();
const ads = await makeAds(COUNT);
const makeSeconds = (Date.now() - made) / 1000;
const keep = process.env.CUSTOS_BENCH_KEEP;
if (keep) {
  fs.mkdirSync(keep, { recursive: true });
  for (const ad of ads) fs.writeFileSync(path.join(keep, ad.name), ad.png);
  const truth = ads.map(({ name, language, latin, eastern }) => ({ name, language, latin, eastern }));
  fs.writeFileSync(path.join(keep, 'truth.json'), JSON.stringify(truth, null, 2));
}

const engine = sharedOcrEngine();
let latinTrue = 0;
let latinFound = 0;
let latinCorrect = 0;
let easternTrue = 0;
let easternNear = 0;
let easternExact = 0;
let statedAsEntity = 0;
let candidateValues = 0;
const times: number[] = [];
const misses: string[] = [];
const failures: string[] = [];
for (const ad of ads) {
  const start = process.hrtime.bigint();
  let read: Awaited<ReturnType<typeof readPicture>>;
  try {
    read = await readPicture(engine, ad.png, { photo: true });
  } catch (error) {
    // As the deriver does: a picture that cannot be read (a timeout) is skipped and said.
    failures.push(`${ad.name}: ${error instanceof Error ? error.message : String(error)}`);
    read = { width: 1, height: 1, lines: [], note: null };
  }
  times.push(Number(process.hrtime.bigint() - start) / 1e9);
  const found = pictureEntities(
    {
      pictures: [
        {
          sha256: ad.name,
          role: 'original',
          uri: null,
          width: read.width,
          height: read.height,
          lines: read.lines,
        },
      ],
      scan: null,
    },
    {},
    '',
  ).filter((e) => PHONE_TYPES.has(e.type));
  const entities = new Set(found.filter((e) => !e.candidate).map((e) => e.value));
  const candidates = [...new Set(found.filter((e) => e.candidate).map((e) => e.value))];
  candidateValues += candidates.length;
  latinTrue += ad.latin.length;
  latinFound += entities.size;
  latinCorrect += [...entities].filter((v) => ad.latin.includes(v)).length;
  for (const number of ad.eastern) {
    easternTrue++;
    if (entities.has(number)) statedAsEntity++;
    const best = Math.min(...candidates.map((c) => digitsDifferent(c, number)));
    if (best === 0) easternExact++;
    if (best <= 1) easternNear++;
  }
  const missed = [...ad.latin, ...ad.eastern].filter(
    (n) => !entities.has(n) && !candidates.some((c) => digitsDifferent(c, n) <= 1),
  );
  if (missed.length > 0)
    misses.push(`${ad.name}: ${missed.join(', ')} (read: ${read.lines.map((l) => l.text).join(' | ')})`);
}
await engine.stop();

const sorted = [...times].sort((a, b) => a - b);
const ratio = (a: number, b: number) => (b === 0 ? 'n/a' : (a / b).toFixed(3));
printFigures(`OCR over ${ads.length} generated ad pictures (load average ${loadavg()[0]!.toFixed(1)})`, [
  ['pictures made by Chromium', `${ads.length} in ${makeSeconds.toFixed(1)} s`],
  [
    'Latin-digit phones: precision (goal ≥ 0.95)',
    `${ratio(latinCorrect, latinFound)} (${latinCorrect}/${latinFound})`,
  ],
  [
    'Latin-digit phones: recall (goal ≥ 0.85)',
    `${ratio(latinCorrect, latinTrue)} (${latinCorrect}/${latinTrue})`,
  ],
  [
    'Eastern-digit numbers: candidate recall, exact or one digit (goal ≥ 0.75)',
    `${ratio(easternNear, easternTrue)} (${easternNear}/${easternTrue}; exact ${easternExact})`,
  ],
  ['Eastern-digit numbers stated as confirmed entities (must be 0)', String(statedAsEntity)],
  ['candidates (distinct values) per Eastern-digit number', ratio(candidateValues, easternTrue)],
  [
    'time per picture (median, p95, every pass)',
    `${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)} s, ${sorted[Math.floor(sorted.length * 0.95)]!.toFixed(2)} s`,
  ],
  [
    'peak memory (RSS of the process, the worker thread included)',
    `${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
  ],
]);
if (failures.length > 0) console.log(`\nNot read (${failures.length}):\n  ${failures.join('\n  ')}`);
if (misses.length > 0) {
  console.log(`\nMissed (${misses.length}):`);
  for (const m of misses.slice(0, 20)) console.log(`  ${m}`);
}
