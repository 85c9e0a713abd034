/**
 * The join of report.pdf's parts alone (pdf-join.ts), in a process of its own so that its peak
 * RSS is the join's: prints its wall time, the process's peak RSS and the output's size.
 *
 *   node --import tsx bench/report-print/join.ts OUT.pdf PART.pdf…
 */
import fs from 'node:fs';
import { joinPdfs } from '../../electron/core/bundle/pdf-join.js';

const [out, ...parts] = process.argv.slice(2);
if (!out || parts.length === 0) throw new Error('usage: join.ts OUT.pdf PART.pdf…');
const rssBefore = process.resourceUsage().maxRSS;
const start = process.hrtime.bigint();
await joinPdfs(parts, out);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(
  `${seconds.toFixed(2)} s, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (${(rssBefore / 1024).toFixed(0)} MiB before it), ${(fs.statSync(out).size / 1e6).toFixed(1)} MB written`,
);
