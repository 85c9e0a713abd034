/**
 * report.html: the human-readable report of a bundle, self-contained (styles inline, thumbnails as
 * data: URIs, no script, no request leaves the page) so that it opens anywhere and prints the same
 * to PDF. Written item by item to a file so that a large case never sits whole in memory.
 */
import fs from 'node:fs/promises';
import type { LedgerEntry } from '../../../shared/domain.js';
import type { MediaMetadata } from '../../../shared/media.js';
import type { WatchView } from '../../../shared/watch.js';
import { describeMedia } from '../import/media-metadata.js';
import type { BundleManifest, ManifestItem } from './format.js';
import { GAP_FLAG_SECONDS, timeGap } from './time-gap.js';
import type { HeadStamp, ItemTrustedTime } from './timestamps.js';
import { verifySteps } from './verify-instructions.js';

/** One item of the report. */
export interface ReportItem {
  readonly item: ManifestItem;
  /** A small JPEG of its screenshot (or image), as a data: URI, when there is one. */
  readonly thumbnail: string | null;
  readonly custody: readonly LedgerEntry[];
  /** Its RFC 3161 time, when it has one or one is pending (null: never requested). */
  readonly trustedTime?: ItemTrustedTime | null;
}

/** What the report says besides the items. */
export interface ReportHeader {
  readonly manifest: Omit<BundleManifest, 'items'>;
  readonly bundleName: string;
  readonly caseEntries: readonly LedgerEntry[];
  /** Investigator names by key fingerprint, to name the actor of each custody entry. */
  readonly actorNames: ReadonlyMap<string, string>;
  /** What became of the ledger head's stamp at export. */
  readonly headStamp?: HeadStamp;
  /** The case's watched URLs with their state history (docs/WATCH.md). */
  readonly watches?: readonly WatchView[];
  /** The evidence hash (evidence-hash.ts), printed on the cover and every page. */
  readonly evidenceHash?: string;
}

const STYLE = `
  body { font: 10.5pt/1.4 "DejaVu Sans", Arial, sans-serif; color: #111; margin: 0 auto; max-width: 60em; padding: 1em; }
  h1 { font-size: 16pt; margin: 0 0 .3em; } h2 { font-size: 13pt; margin: 1.4em 0 .4em; border-bottom: 1px solid #999; }
  h3 { font-size: 11.5pt; margin: 0 0 .3em; }
  table { border-collapse: collapse; width: 100%; margin: .3em 0 .8em; } th, td { text-align: left; vertical-align: top; padding: 2px 6px 2px 0; }
  th { font-weight: 600; white-space: nowrap; } .grid th { border-bottom: 1px solid #bbb; } .grid td { border-bottom: 1px solid #eee; }
  code, .hash { font-family: "DejaVu Sans Mono", monospace; font-size: 8.5pt; word-break: break-all; }
  .item { break-inside: avoid-page; border: 1px solid #ccc; padding: .6em .8em; margin: .8em 0; }
  .item img { float: right; max-width: 40%; max-height: 18em; margin: 0 0 .5em 1em; border: 1px solid #999; }
  .noimg { float: right; width: 12em; height: 6em; margin: 0 0 .5em 1em; border: 1px dashed #bbb; color: #777; text-align: center; line-height: 6em; }
  .flag { color: #a00; font-weight: 600; }
  .clear { clear: both; } pre { background: #f4f4f4; padding: .4em .6em; white-space: pre-wrap; word-break: break-all; font-size: 8.5pt; }
`;

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const esc = (value: unknown): string =>
  escapeHtml(value === null || value === undefined ? '' : String(value));

/** Writes report.html: header, how to verify, every item, then the case's own custody entries. */
export async function writeReport(
  file: string,
  header: ReportHeader,
  items: AsyncIterable<ReportItem> | Iterable<ReportItem>,
): Promise<void> {
  const out = await fs.open(file, 'wx', 0o600);
  try {
    await out.write(renderHeader(header));
    let count = 0;
    for await (const item of items) {
      count++;
      await out.write(renderItem(item, count, header.actorNames));
    }
    await out.write(renderFooter(header));
  } finally {
    await out.close();
  }
}

function renderHeader(header: ReportHeader): string {
  const { manifest } = header;
  const exporter = manifest.exporter;
  const steps = verifySteps(header.bundleName)
    .map(
      (step) =>
        `<li>${esc(step.title)}:<pre>${step.commands.map(esc).join('\n')}</pre>Expected: ${esc(step.expect)}</li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>Evidence report: case ${esc(manifest.case.number)}</title>
<style>${STYLE}</style></head><body>
<h1>Evidence report: case ${esc(manifest.case.number)}</h1>
<table>
<tr><th>Case</th><td>${esc(manifest.case.number)}: ${esc(manifest.case.title)} <span class="hash">(${esc(manifest.case.id)})</span></td></tr>
<tr><th>Exported by</th><td>${esc(exporter.name)}${exporter.agency ? `, ${esc(exporter.agency)}` : ''}${exporter.badge ? `, badge ${esc(exporter.badge)}` : ''}</td></tr>
${header.evidenceHash ? `<tr><th>Evidence SHA-256</th><td class="hash">${esc(header.evidenceHash)}</td></tr>` : ''}
<tr><th>Signing key</th><td class="hash">${esc(exporter.keyFingerprint)}</td></tr>
<tr><th>Exported at</th><td>${esc(manifest.exportedAt)} UTC${manifest.timeZone ? ` (workstation time zone ${esc(manifest.timeZone)})` : ''}</td></tr>
<tr><th>Tool</th><td>${esc(manifest.tool.name)} ${esc(manifest.tool.version)}, bundle format ${esc(manifest.formatVersion)}</td></tr>
<tr><th>Custody</th><td>ledger entries ${esc(manifest.custody.firstSeq)} to ${esc(manifest.custody.lastSeq)}, head <span class="hash">${esc(manifest.custody.headHash)}</span></td></tr>
${header.headStamp ? `<tr><th>Ledger head timestamp</th><td>${renderHeadStamp(header.headStamp)}</td></tr>` : ''}
</table>
<p>Times marked "local" come from the workstation's clock, which proves nothing on its own; a trusted
time is an RFC 3161 timestamp signed by an authority over the item's digest (files in timestamps/).
A gap over ${GAP_FLAG_SECONDS / 60} minutes between the two is flagged.</p>
<h2>How to verify this bundle</h2>
<p>Everything below can be checked with coreutils and OpenSSL, without trusting Custos (also in VERIFY.txt).</p>
<ol>${steps}</ol>
<h2>Items</h2>
`;
}

function renderItem(report: ReportItem, index: number, actorNames: ReadonlyMap<string, string>): string {
  const { item } = report;
  const record = item.record as { timeZone?: string; investigator?: { name?: string } };
  const image = report.thumbnail
    ? `<img src="${report.thumbnail}" alt="screenshot of item ${esc(item.id)}">`
    : '<div class="noimg">no preview</div>';
  const artifacts = item.artifacts
    .map(
      (a) =>
        `<tr><td>${esc(a.role)}</td><td><code>${esc(a.path)}</code></td><td>${esc(a.mediaType)}</td><td>${esc(a.size)}</td><td class="hash">${esc(a.sha256)}</td></tr>`,
    )
    .join('');
  return `<div class="item">
${image}
<h3>${index}. ${esc(item.title || item.sourceUrl)}</h3>
<table>
<tr><th>Source</th><td><code>${esc(item.sourceUrl)}</code></td></tr>
<tr><th>Kind</th><td>${esc(item.kind)}</td></tr>
<tr><th>Captured at (local)</th><td>${esc(item.capturedAt)} UTC${record.timeZone ? ` (${esc(record.timeZone)})` : ''}</td></tr>
${renderTrustedTime(item.capturedAt, report.trustedTime ?? null)}
<tr><th>Captured by</th><td>${esc(record.investigator?.name)}</td></tr>
<tr><th>Item id</th><td class="hash">${esc(item.id)}</td></tr>
<tr><th>Digest</th><td class="hash">${esc(item.digest)}</td></tr>
</table>
<div class="clear"></div>
${renderMedia(item.record)}
<table class="grid"><tr><th>Role</th><th>File</th><th>Type</th><th>Bytes</th><th>SHA-256</th></tr>${artifacts}</table>
${renderCustody(report.custody, actorNames)}
</div>
`;
}

/** A photo's metadata as its import recorded it (camera, time, GPS coordinates), when it has some. */
function renderMedia(record: unknown): string {
  const metadata = (record as { metadata?: { media?: MediaMetadata; mediaNote?: string } }).metadata;
  const lines = metadata?.media ? describeMedia(metadata.media) : [];
  if (metadata?.mediaNote) lines.push(['note', metadata.mediaNote]);
  if (lines.length === 0) return '';
  const rows = lines
    .map(([label, value]) => `<tr><th>${esc(label)}</th><td>${esc(value)}</td></tr>`)
    .join('');
  return `<table><tr><th colspan="2">Media metadata, as written in the file</th></tr>${rows}</table>`;
}

function renderHeadStamp(stamp: HeadStamp): string {
  if (stamp.status === 'granted') return `${esc(stamp.genTime)} UTC by ${esc(stamp.tsa)}`;
  return `not stamped at export: ${esc(stamp.reason)}`;
}

/** The trusted-time and gap rows of an item. */
function renderTrustedTime(capturedAt: string, trusted: ItemTrustedTime | null): string {
  if (!trusted?.genTime) {
    const why = trusted?.pending
      ? 'none yet: the request waits for an authority'
      : 'none: no timestamp was requested';
    return `<tr><th>Trusted time</th><td>${why}</td></tr>`;
  }
  const gap = timeGap(capturedAt, trusted.genTime);
  const gapText = gap
    ? gap.flagged
      ? `<span class="flag">${esc(gap.text)}: FLAGGED, over ${GAP_FLAG_SECONDS / 60} minutes (the workstation clock was off, or the item waited offline for its timestamp)</span>`
      : esc(gap.text)
    : 'cannot be computed';
  return `<tr><th>Trusted time</th><td>${esc(trusted.genTime)} UTC (RFC 3161, ${esc(trusted.tsa)})</td></tr>
<tr><th>Gap</th><td>${gapText}</td></tr>`;
}

function renderCustody(entries: readonly LedgerEntry[], actorNames: ReadonlyMap<string, string>): string {
  if (entries.length === 0) return '';
  const rows = entries
    .map((e) => {
      const detail = e.details.text ?? e.details.tag ?? e.details.digest ?? '';
      return `<tr><td>${esc(e.seq)}</td><td>${esc(e.time)}</td><td>${esc(e.action)}</td><td>${esc(actorNames.get(e.actor.keyFingerprint) ?? e.actor.keyFingerprint.slice(0, 16))}</td><td>${esc(typeof detail === 'string' ? detail : JSON.stringify(detail))}</td><td class="hash">${esc(e.hash.slice(0, 16))}…</td></tr>`;
    })
    .join('');
  return `<table class="grid"><tr><th>#</th><th>Time (UTC)</th><th>Action</th><th>By</th><th>Detail</th><th>Entry hash</th></tr>${rows}</table>`;
}

/** "Watched URLs": each URL's timeline of states, with the item proving each (full history in watch.json). */
function renderWatches(watches: readonly WatchView[]): string {
  if (watches.length === 0) return '';
  const blocks = watches.map((w) => {
    const rows = w.history
      .map(
        (c) =>
          `<tr><td>${esc(c.checkedAt)}</td><td${c.state === 'removed' ? ' class="flag"' : ''}>${esc(c.state)}</td><td class="hash">${esc(c.itemId ?? 'no item')}</td><td>${esc(c.error ?? c.reasons.join('; '))}</td><td>${esc(c.ledgerSeq)}</td></tr>`,
      )
      .join('');
    return `<div class="item"><h3><code>${esc(w.url)}</code></h3>
<p>Watched from ${esc(w.createdAt)} UTC${w.removedAt ? ` to ${esc(w.removedAt)} UTC (watch removed; its history is kept)` : ''}; state at export: <b>${esc(w.state ?? 'not checked yet')}</b>.</p>
<table class="grid"><tr><th>Checked (UTC)</th><th>State</th><th>Item proving it</th><th>Why</th><th>Entry</th></tr>${rows || '<tr><td colspan="5">not checked yet</td></tr>'}</table></div>`;
  });
  return `<h2>Watched URLs</h2>
<p>Each watched URL was captured again at intervals; each capture is an item (in this bundle when exported with
it), compared with the last capture where the content was there. The full history is in watch.json.</p>
${blocks.join('\n')}
`;
}

function renderFooter(header: ReportHeader): string {
  return `${renderWatches(header.watches ?? [])}<h2>Custody of the case</h2>
${renderCustody(header.caseEntries, header.actorNames) || '<p>No case-level entries.</p>'}
<p>The full chain, with every entry's hash and signature, is in custody.jsonl.</p>
</body></html>
`;
}

/** A JPEG thumbnail (top of the page for tall screenshots) as a data: URI, or null when the file is no image sharp reads. */
export async function thumbnailDataUri(imageFile: string): Promise<string | null> {
  const { default: sharp } = await import('sharp'); // loaded on demand: heavy, and only exports need it
  try {
    const meta = await sharp(imageFile, { limitInputPixels: 400_000_000 }).metadata();
    if (!meta.width || !meta.height) return null;
    const width = Math.min(480, meta.width);
    const height = Math.max(1, Math.min(720, Math.round((width * meta.height) / meta.width)));
    const jpeg = await sharp(imageFile, { limitInputPixels: 400_000_000 })
      .rotate()
      .resize({ width, height, fit: 'cover', position: 'top' })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 70 })
      .toBuffer();
    return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
  } catch {
    return null;
  }
}
