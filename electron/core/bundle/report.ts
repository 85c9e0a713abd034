/**
 * report.html: the exhibit a court reads, self-contained (styles inline, fonts and images as data:
 * URIs, no script, no request leaves the page) so that it opens anywhere and prints the same to PDF. A cover
 * sheet (case, exhibit, investigator, signer, evidence hash, contents, how to verify, what the
 * timestamps establish), then each item: its capture record, blocked actions, entities, text,
 * notes and tags, artifacts and custody, and its full screenshot across as many pages as it takes.
 * Written item by item, tile by tile, to a file so that a large case never sits whole in memory.
 */
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import { CUSTODY_ACTION_NAMES, custodyActionName } from '../../../shared/custody-actions.js';
import { decodeText } from '../../../shared/decode-text.js';
import type { LedgerEntry } from '../../../shared/domain.js';
import { groupedFingerprint } from '../../../shared/fingerprint-text.js';
import type { MediaMetadata } from '../../../shared/media.js';
import type { WatchView } from '../../../shared/watch.js';
import { describeMedia } from '../import/media-metadata.js';
import { EVIDENCE_HASH_COMMAND, EVIDENCE_HASH_NAME } from './evidence-hash.js';
import { BUNDLE_FILES, type BundleManifest, type ManifestArtifact, type ManifestItem } from './format.js';
import { htmlText as esc } from './html-text.js';
import { pageStyle } from './pdf-page-template.js';
import {
  blockedHtml,
  captureRecordRows,
  isWebCaptureRecord,
  personaHtml,
  timeHtml,
  urlHtml,
} from './report-capture.js';
import { embeddedFontFaces } from './report-fonts.js';
import { screenshotTiles } from './report-screenshot.js';
import { utcText } from './report-time.js';
import { GAP_FLAG_SECONDS, timeGap } from './time-gap.js';
import { describeTrust, type TrustFinding } from './timestamp-trust.js';
import type { HeadStamp, ItemTrustedTime } from './timestamps.js';
import { EXPECTED_SIGNER_VARIABLE, shellWord, verifySteps } from './verify-instructions.js';

/** An entity found in an item, for the report (type, normalised value, how often). */
export interface ReportEntity {
  readonly type: string;
  readonly value: string;
  readonly occurrences: number;
}

/** One item of the report. */
export interface ReportItem {
  readonly item: ManifestItem;
  /** Where each artifact's bytes are on disk, in the order of `item.artifacts`. */
  readonly files: readonly string[];
  readonly custody: readonly LedgerEntry[];
  /** Its RFC 3161 time, when it has one or one is pending (null: never requested). */
  readonly trustedTime?: ItemTrustedTime | null;
  /** How far the authority of that time is trusted (null: no token). */
  readonly trust?: TrustFinding | null;
  readonly entities?: readonly ReportEntity[];
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
  /** The evidence hash (evidence-hash.ts), printed on the cover and at the foot of every page. */
  readonly evidenceHash?: string;
  /** What the bundle holds, for the cover sheet. */
  readonly contents?: BundleSummary;
  /** The WACZ web archive the bundle carries (its page captures), when it has page captures. */
  readonly wacz?: BundledWaczSummary | null;
}

/** The bundle's WACZ, as the report tells the recipient to open it. */
export interface BundledWaczSummary {
  readonly pages: number;
  /** The ECDSA P-384 key that signs it (SPKI DER, base64), derived from the signer's key. */
  readonly publicKey: string;
  /** Whether its digest carries an RFC 3161 token. */
  readonly timestamped: boolean;
}

/** The cover sheet's account of what the bundle holds. */
export interface BundleSummary {
  readonly items: number;
  readonly artifacts: number;
  readonly bytes: number;
  readonly custodyLines: number;
  /** Each timestamp token and how far its authority is trusted. */
  readonly timestamps: readonly { readonly covers: string; readonly trust: TrustFinding }[];
}

/** The largest text shown in the report for one file (the whole file is in the bundle). */
const TEXT_SHOWN_BYTES = 64 * 1024;
/** The largest capture record read to describe a capture. */
const RECORD_READ_BYTES = 16 * 1024 * 1024;

const STYLE = `
  body { font: 9.5pt/1.4 "DejaVu Sans", sans-serif; color: #111; margin: 0; }
  h1 { font-size: 17pt; margin: 0 0 .4em; } h2 { font-size: 13pt; margin: 1.2em 0 .4em; border-bottom: 1px solid #999; }
  h3 { font-size: 12pt; margin: 0 0 .4em; } h4 { font-size: 10.5pt; margin: 1em 0 .3em; }
  /* A title or URL with no break point (a captured page's) wraps: wider than the page, it made
     Chromium shrink the whole document to fit, and a part of it printed alone at another size. */
  h1, h2, h3, h4 { overflow-wrap: anywhere; }
  table { border-collapse: collapse; width: 100%; margin: .3em 0 .8em; table-layout: fixed; }
  th, td { text-align: left; vertical-align: top; padding: 2px 6px 2px 0; overflow-wrap: anywhere; }
  table.facts > tbody > tr > th, table.facts > tr > th { width: 28%; font-weight: 600; }
  .grid th { border-bottom: 1px solid #bbb; font-weight: 600; } .grid td { border-bottom: 1px solid #eee; }
  table.inner { margin: 0; font-size: 8.5pt; }
  code, .hash, .url, .time { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; }
  .hash, .url { word-break: break-all; overflow-wrap: anywhere; }
  /* A fingerprint in groups of four wraps between groups, never inside one: a reader compares it group by group. */
  .hash.grouped { word-break: normal; overflow-wrap: normal; }
  .time { white-space: nowrap; }
  .muted { color: #555; }
  .flag { color: #a00; font-weight: 700; }
  .warn { color: #8a4b00; font-weight: 600; }
  .cover { break-after: page; }
  .item { break-before: page; }
  .tile { break-before: page; margin: 0; }
  .tile figcaption { font-size: 8pt; margin-bottom: 2mm; }
  .tile img { display: block; border: 1px solid #999; }
  pre { background: #f4f4f4; padding: .4em .6em; white-space: pre-wrap; overflow-wrap: anywhere; word-break: break-all; font-size: 8pt; margin: .3em 0; }
  pre.text { font-family: "DejaVu Sans Mono", "DejaVu Sans", monospace; word-break: normal; }
  tr.hashrow td { border-bottom: 1px solid #ddd; padding-bottom: 3px; }
  .box { border: 1px solid #bbb; padding: .5em .8em; margin: .6em 0; }
`;

/** Writes report.html: cover sheet, how to verify, every item, then the case's own custody entries. */
export async function writeReport(
  file: string,
  header: ReportHeader,
  items: AsyncIterable<ReportItem> | Iterable<ReportItem>,
): Promise<void> {
  const out = new ReportFile(await fs.open(file, 'wx', 0o600));
  try {
    await out.write(renderCover(header));
    let count = 0;
    for await (const item of items) {
      count++;
      await out.write(await renderItem(item, count, header.actorNames));
      await writeScreenshot(out, item);
    }
    await out.write(renderFooter(header));
    await out.flush();
  } finally {
    await out.file.close();
  }
}

/** The text gathered before a write (a 2,000-item report made two writes, each a trip through the thread pool, per item). */
const WRITE_CHARS = 256 * 1024;

/** report.html as it is written: text gathered up to `WRITE_CHARS`, then written, so it is never held whole. */
class ReportFile {
  private pending: string[] = [];
  private chars = 0;
  constructor(readonly file: fs.FileHandle) {}

  async write(text: string): Promise<void> {
    this.pending.push(text);
    this.chars += text.length;
    if (this.chars >= WRITE_CHARS) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.chars = 0;
    await this.file.write(text);
  }
}

function renderCover(header: ReportHeader): string {
  const { manifest } = header;
  const exporter = manifest.exporter;
  const title = `Evidence report: case ${manifest.case.number}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'">
<title>${esc(title)}</title>
<style>${embeddedFontFaces()}
${pageStyle(header.evidenceHash ? { footerNote: `${EVIDENCE_HASH_NAME} ${header.evidenceHash}` } : {})}
${STYLE}</style></head><body>
<section class="cover">
<h1>${esc(title)}</h1>
<table class="facts">
<tr><th>Case</th><td><span dir="auto">${esc(manifest.case.number)}: ${esc(manifest.case.title)}</span><br><span class="hash muted">case id ${esc(manifest.case.id)}</span></td></tr>
<tr><th>Exhibit</th><td>Sealed evidence bundle <code>${esc(header.bundleName)}</code>${header.contents ? `, ${esc(header.contents.items)} item(s)` : ''}</td></tr>
<tr><th>Investigator</th><td><span dir="auto">${esc(exporter.name)}</span>${exporter.agency ? `, <span dir="auto">${esc(exporter.agency)}</span>` : ''}${exporter.badge ? `, badge ${esc(exporter.badge)}` : ''}</td></tr>
<tr><th>Signer's key fingerprint</th><td><span class="hash grouped">${esc(groupedFingerprint(exporter.keyFingerprint))}</span><br><span class="muted">SHA-256 of the public key in ${BUNDLE_FILES.signerKey}; compare it with the one the investigator gave you by another channel</span></td></tr>
${header.evidenceHash ? `<tr><th>Evidence SHA-256</th><td><span class="hash grouped">${esc(groupedFingerprint(header.evidenceHash))}</span><br><span class="muted">printed at the foot of every page: the SHA-256 of the lines of ${BUNDLE_FILES.checksums} that list the evidence files (every file but the reports, this guide, the manifest, the key and the signatures), recomputed by</span><br><code class="url">${esc(EVIDENCE_HASH_COMMAND)}</code></td></tr>` : ''}
<tr><th>Exported at</th><td>${timeHtml(manifest.exportedAt, manifest.timeZone ?? null)}</td></tr>
<tr><th>Made with</th><td>${esc(manifest.tool.name)} ${esc(manifest.tool.version)}, bundle format ${esc(manifest.formatVersion)}</td></tr>
</table>
${renderContents(header)}
${renderTrustSummary(header)}
<h2>How to verify it</h2>
<p>Unzip the bundle and follow ${BUNDLE_FILES.verifyText}: with bash, coreutils, OpenSSL and jq alone, and the
signer's fingerprint obtained from the investigator by another channel (set ${EXPECTED_SIGNER_VARIABLE} to it), its
commands fail on any file changed, missing or added, an edited custody entry, or a bundle signed by another
key. With Custos: <code>custos verify ${esc(shellWord(header.bundleName))} --expect-signer ${esc(exporter.keyFingerprint)}</code>.
This report was made at export and does not verify itself; the commands do. They are listed in full at the end.</p>
${header.wacz ? renderWaczGuide(header.wacz, exporter.keyFingerprint) : ''}
</section>
`;
}

/** How to open the bundle's WACZ in ReplayWeb.page and what its signature means. */
function renderWaczGuide(wacz: BundledWaczSummary, fingerprint: string): string {
  return `<h2>Browsing the captured pages: ${BUNDLE_FILES.wacz}</h2>
<p>The ${esc(wacz.pages)} captured page(s) are also in <code>${BUNDLE_FILES.wacz}</code>, a WACZ 1.1.1 web archive: the
same WARC files, with an index, the list of pages and their screenshots, MHTML and capture records. To browse them
as they were captured, open ReplayWeb.page (Webrecorder's free viewer, in a web browser or as its desktop app),
use its <em>Choose File…</em> button to select <code>${BUNDLE_FILES.wacz}</code> from the unzipped bundle, then pick a
page from its list. The pages are replayed from the file alone; nothing is fetched from the sites. The archive's
information (<em>Archive Info</em>) shows the key that signed it as its <em>Observer Public Key</em>:</p>
<p><code class="url">${esc(wacz.publicKey)}</code></p>
<p>That ECDSA P-384 key is derived from the investigator's key and vouched for by it in <code>custos/signer.json</code>,
signed by the key whose fingerprint is on this cover (${esc(groupedFingerprint(fingerprint))}).
ReplayWeb.page is a viewer, not the check: <code>custos verify ${BUNDLE_FILES.wacz} --expect-signer ${esc(fingerprint)}</code>
checks every file of the WACZ, its signature and that binding${wacz.timestamped ? ', and the RFC 3161 timestamp of its digest' : ''}.</p>`;
}

function renderContents(header: ReportHeader): string {
  const c = header.contents;
  const span = header.manifest.custody;
  return `<h2>What the bundle contains</h2>
<table class="facts">
${c ? `<tr><th>Items</th><td>${esc(c.items)} item(s), ${esc(c.artifacts)} file(s) of evidence, ${esc(c.bytes)} bytes, byte for byte as preserved (items/)</td></tr>` : ''}
<tr><th>Custody</th><td>${esc(span.lines)} ledger line(s), entries ${esc(span.firstSeq)} to ${esc(span.lastSeq)}, hash-chained and signed (${BUNDLE_FILES.custody}); head <span class="hash">${esc(span.headHash)}</span></td></tr>
<tr><th>Ledger head timestamp</th><td>${header.headStamp ? renderHeadStamp(header.headStamp) : 'not requested'}</td></tr>
<tr><th>Also</th><td>${BUNDLE_FILES.manifest} (signed list of items and capture records), ${BUNDLE_FILES.checksums} (signed list of every file), ${BUNDLE_FILES.verifyText}, this report as HTML and PDF</td></tr>
</table>`;
}

/** The summary of what the timestamps establish, by how far each authority is trusted. */
function renderTrustSummary(header: ReportHeader): string {
  const stamps = header.contents?.timestamps ?? [];
  if (stamps.length === 0)
    return "<h2>Trusted time</h2><p>The bundle carries no RFC 3161 timestamp: every time in it comes from the workstation's clock.</p>";
  const count = (trust: TrustFinding['trust']) => stamps.filter((s) => s.trust.trust === trust).length;
  const investigator = stamps.find((s) => s.trust.trust === 'investigator-root');
  return `<h2>Trusted time</h2>
<table class="facts">
<tr><th>Timestamps</th><td>${esc(stamps.length)} RFC 3161 token(s) in timestamps/</td></tr>
<tr><th>Publicly trusted</th><td>${esc(count('public'))}: the authority chains to the standard root list any verifier has</td></tr>
<tr><th>Investigator's root only</th><td${count('investigator-root') > 0 ? ' class="warn"' : ''}>${esc(count('investigator-root'))}${investigator ? `: ${esc(describeTrust(investigator.trust))}` : ''}</td></tr>
<tr><th>Untrusted</th><td${count('untrusted') > 0 ? ' class="flag"' : ''}>${esc(count('untrusted'))}${count('untrusted') > 0 ? ': these times rest on the workstation clock alone' : ''}</td></tr>
</table>`;
}

async function renderItem(
  report: ReportItem,
  index: number,
  actorNames: ReadonlyMap<string, string>,
): Promise<string> {
  const { item } = report;
  const record = item.record as { timeZone?: string; investigator?: { name?: string }; metadata?: unknown };
  const zone = typeof record.timeZone === 'string' ? record.timeZone : null;
  const capture = await readCaptureRecord(report);
  const recordRows = capture
    ? captureRecordRows(
        capture,
        personaHtml(capture.browser && (capture.browser as { persona?: unknown }).persona),
      )
    : importRows(item, record.metadata, zone);
  return `<section class="item">
<h3>Item ${index}: <span dir="auto">${esc(item.title || item.sourceUrl)}</span></h3>
<table class="facts">
<tr><th>Item id</th><td class="hash">${esc(item.id)}</td></tr>
<tr><th>Kind</th><td>${esc(kindName(item.kind))}</td></tr>
<tr><th>Digest (SHA-256)</th><td class="hash">${esc(item.digest)}</td></tr>
<tr><th>Captured by</th><td dir="auto">${esc(record.investigator?.name)}</td></tr>
${recordRows.map(([label, html]) => `<tr><th>${esc(label)}</th><td>${html}</td></tr>`).join('\n')}
${renderTrustedTime(item.capturedAt, report.trustedTime ?? null, report.trust ?? null)}
</table>
${capture ? blockedHtml(capture) : ''}
${renderMedia(item.record)}
${renderEntities(report.entities ?? [])}
${renderAnnotations(report.custody, actorNames, zone)}
<h4>Files</h4>
${renderArtifacts(item.artifacts)}
${renderTexts(report)}
<h4>Custody of this item</h4>
${renderCustody(report.custody, actorNames)}
</section>
`;
}

/** The web capture record of an item (its `metadata` artifact), or null for an import or an unreadable record. */
async function readCaptureRecord(report: ReportItem) {
  const index = report.item.artifacts.findIndex((a) => a.role === 'metadata' && a.size <= RECORD_READ_BYTES);
  const file = report.files[index];
  if (index < 0 || !file) return null;
  try {
    const parsed: unknown = JSON.parse(await fs.readFile(file, 'utf8'));
    return isWebCaptureRecord(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** The rows of an import (or a received item): its source, time and the metadata its record keeps. */
function importRows(item: ManifestItem, metadata: unknown, zone: string | null): [string, string][] {
  const rows: [string, string][] = [
    [
      'Source',
      item.kind === 'capture' ? urlHtml(item.sourceUrl) : `<code dir="auto">${esc(item.sourceUrl)}</code>`,
    ],
    ['Recorded at', timeHtml(item.capturedAt, zone)],
  ];
  const facts = typeof metadata === 'object' && metadata !== null ? Object.entries(metadata) : [];
  for (const [key, value] of facts) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      rows.push([key, `<span dir="auto">${esc(value)}</span>`]);
  }
  const link = symbolicLinkHtml(metadata);
  if (link) rows.push(['symbolicLink', link]);
  return rows;
}

/**
 * What an import's record says of a path given that was a symbolic link (`metadata.symbolicLink`):
 * the report shows the path given (originalPath), so it must say that the bytes preserved are
 * another file's. Null when the record has no such link (or not in that shape: records are
 * untrusted input).
 */
function symbolicLinkHtml(metadata: unknown): string | null {
  const link = (metadata as { symbolicLink?: unknown } | null)?.symbolicLink as
    | { target?: unknown; importedPath?: unknown }
    | undefined;
  if (typeof link?.target !== 'string' || typeof link.importedPath !== 'string') return null;
  return `the path given (originalPath) is a symbolic link to <code dir="auto">${esc(link.target)}</code>; the bytes preserved are those of the file it led to, <code dir="auto">${esc(link.importedPath)}</code>`;
}

function kindName(kind: string): string {
  return (
    { capture: 'web page capture', import: 'imported file', received: 'received from another bundle' }[
      kind
    ] ?? kind
  );
}

/** A photo's metadata as its import recorded it (camera, time, GPS coordinates), when it has some. */
function renderMedia(record: unknown): string {
  const metadata = (record as { metadata?: { media?: MediaMetadata; mediaNote?: string } }).metadata;
  const lines = metadata?.media ? describeMedia(metadata.media) : [];
  if (metadata?.mediaNote) lines.push(['note', metadata.mediaNote]);
  if (lines.length === 0) return '';
  const rows = lines
    .map(([label, value]) => `<tr><th>${esc(label)}</th><td dir="auto">${esc(value)}</td></tr>`)
    .join('');
  return `<h4>Media metadata, as written in the file</h4><table class="facts">${rows}</table>`;
}

function renderEntities(entities: readonly ReportEntity[]): string {
  if (entities.length === 0) return '';
  const rows = entities
    .map(
      (e) =>
        `<tr><td>${esc(e.type)}</td><td dir="auto">${esc(e.value)}</td><td>${esc(e.occurrences)}</td></tr>`,
    )
    .join('');
  return `<h4>Entities found</h4>
<p>Identifiers Custos found in the item's text (derived, not part of the evidence; check them against the files).</p>
<table class="grid"><colgroup><col style="width:22%"><col><col style="width:14%"></colgroup><tr><th>Type</th><th>Value</th><th>Occurrences</th></tr>${rows}</table>`;
}

/** Notes and tags as readable rows: when, what, by whom, the text. */
function renderAnnotations(
  entries: readonly LedgerEntry[],
  actorNames: ReadonlyMap<string, string>,
  zone: string | null,
): string {
  const annotations = entries.filter((e) => ['item.note', 'item.tag', 'item.untag'].includes(e.action));
  if (annotations.length === 0) return '';
  const rows = annotations
    .map((e) => {
      const text = e.details.text ?? e.details.tag ?? '';
      return `<tr><td>${timeHtml(e.time, zone)}</td><td>${esc(custodyActionName(e.action))}</td><td dir="auto">${esc(actorName(e, actorNames))}</td><td dir="auto">${esc(text)}</td></tr>`;
    })
    .join('');
  return `<h4>Notes and tags</h4>
<table class="grid"><colgroup><col style="width:34%"><col style="width:13%"><col style="width:15%"><col></colgroup><tr><th>When</th><th>What</th><th>By</th><th>Text</th></tr>${rows}</table>`;
}

function renderArtifacts(artifacts: readonly ManifestArtifact[]): string {
  const rows = artifacts
    .map(
      (a) =>
        `<tr><td>${esc(a.role)}</td><td><code class="url">${esc(a.path)}</code></td><td>${esc(a.mediaType)}</td><td>${esc(a.size)}</td></tr><tr class="hashrow"><td></td><td colspan="3"><span class="muted">SHA-256</span> <span class="hash">${esc(a.sha256)}</span></td></tr>`,
    )
    .join('');
  return `<table class="grid"><colgroup><col style="width:13%"><col><col style="width:20%"><col style="width:13%"></colgroup><tr><th>Role</th><th>File</th><th>Type</th><th>Bytes</th></tr>${rows}</table>`;
}

/** The item's text files shown as text (an imported text file, a capture's visible text), up to a bound. */
function renderTexts(report: ReportItem): string {
  const parts: string[] = [];
  for (const [index, artifact] of report.item.artifacts.entries()) {
    const isText =
      artifact.mediaType.startsWith('text/plain') ||
      (artifact.role === 'text' && artifact.mediaType.startsWith('text/'));
    const file = report.files[index];
    if (!isText || !file) continue;
    const { text, encoding } = readTextShown(
      file,
      Math.min(artifact.size, TEXT_SHOWN_BYTES),
      artifact.mediaType,
    );
    const shown =
      artifact.size > TEXT_SHOWN_BYTES
        ? `the first ${TEXT_SHOWN_BYTES} of ${artifact.size} bytes; the whole file is ${artifact.path}`
        : `the whole file, ${artifact.size} bytes`;
    parts.push(`<h4>Text of <code>${esc(artifact.path)}</code></h4>
<p class="muted">As stored (${esc(shown)}), decoded as ${esc(encoding.toUpperCase())}.</p>
<pre class="text" dir="auto">${esc(text)}</pre>`);
  }
  return parts.join('\n');
}

/**
 * The first `bytes` of a file (at most `TEXT_SHOWN_BYTES`) decoded by its byte-order mark, else its
 * media type's charset, else as UTF-8 (as search reads it), read synchronously: a bounded read from
 * a blob, where an open, a read and a close through the thread pool cost about 0.3 ms an item.
 */
function readTextShown(file: string, bytes: number, mediaType: string): { text: string; encoding: string } {
  const fd = fsSync.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const read = buffer.subarray(0, fsSync.readSync(fd, buffer, 0, bytes, 0));
    return decodeText(read, mediaType);
  } finally {
    fsSync.closeSync(fd);
  }
}

/** The full screenshot (or the image of an import), tile by tile, each on its own page. */
async function writeScreenshot(out: ReportFile, report: ReportItem): Promise<void> {
  const artifacts = report.item.artifacts;
  const index = [
    artifacts.findIndex((a) => a.role === 'screenshot'),
    artifacts.findIndex((a) => a.role === 'viewport'),
    artifacts.findIndex((a) => a.mediaType.startsWith('image/')),
  ].find((i) => i >= 0);
  const file = index === undefined ? undefined : report.files[index];
  if (index === undefined || !file) return;
  const artifact = artifacts[index]!;
  for await (const tile of screenshotTiles(file)) {
    await out.write(`<figure class="tile">
<figcaption><b>${artifact.role === 'screenshot' ? 'Full-page screenshot' : 'Image'}, part ${tile.part} of ${tile.parts}</b>
(rows ${tile.top + 1} to ${tile.top + tile.height} of ${tile.imageWidth} × ${tile.imageHeight} pixels, not reduced)
of <code>${esc(artifact.path)}</code>, SHA-256 <span class="hash">${esc(artifact.sha256)}</span></figcaption>
<img src="${tile.dataUri}" style="width:${tile.widthMm.toFixed(2)}mm" alt="part ${tile.part} of ${tile.parts} of ${esc(artifact.path)}">
</figure>
`);
  }
}

function renderHeadStamp(stamp: HeadStamp): string {
  if (stamp.status === 'granted') return `${esc(utcText(stamp.genTime ?? ''))} by ${esc(stamp.tsa)}`;
  return `not stamped at export: ${esc(stamp.reason)}`;
}

/** The trusted-time and gap rows of an item, saying how far the authority is trusted. */
function renderTrustedTime(
  capturedAt: string,
  trusted: ItemTrustedTime | null,
  trust: TrustFinding | null,
): string {
  if (!trusted?.genTime) {
    const why = trusted?.pending
      ? 'none yet: the request waits for an authority'
      : 'none: no timestamp was requested; the times above come from the workstation clock alone';
    return `<tr><th>Trusted time</th><td>${why}</td></tr>`;
  }
  const gap = timeGap(capturedAt, trusted.genTime);
  const gapText = gap
    ? gap.flagged
      ? `<span class="flag">${esc(gap.text)}: FLAGGED, over ${GAP_FLAG_SECONDS / 60} minutes (the workstation clock was off, or the item waited offline for its timestamp)</span>`
      : esc(gap.text)
    : 'cannot be computed';
  const trustText = trust
    ? `<br><span class="${trust.trust === 'public' ? 'muted' : trust.trust === 'untrusted' ? 'flag' : 'warn'}">${esc(describeTrust(trust))}</span>`
    : '';
  return `<tr><th>Trusted time (RFC 3161)</th><td><span class="time">${esc(utcText(trusted.genTime))}</span> by ${esc(trusted.tsa)}${trustText}</td></tr>
<tr><th>Gap to the workstation's time</th><td>${gapText}</td></tr>`;
}

function actorName(entry: LedgerEntry, actorNames: ReadonlyMap<string, string>): string {
  return actorNames.get(entry.actor.keyFingerprint) ?? entry.actor.keyFingerprint.slice(0, 16);
}

/** A custody table that fits the page: short columns, the detail wrapped, each entry's full hash on a row of its own. */
function renderCustody(entries: readonly LedgerEntry[], actorNames: ReadonlyMap<string, string>): string {
  if (entries.length === 0) return '<p>No entries.</p>';
  const rows = entries
    .map((e) => {
      const detail =
        e.details.text ?? e.details.tag ?? e.details.subject ?? e.details.file ?? e.details.digest ?? '';
      return `<tr><td>${esc(e.seq)}</td><td><span class="time">${esc(utcText(e.time))}</span></td><td>${esc(custodyActionName(e.action))}</td><td dir="auto">${esc(actorName(e, actorNames))}</td><td dir="auto" class="url">${esc(typeof detail === 'string' ? detail : JSON.stringify(detail))}</td></tr>
<tr class="hashrow"><td></td><td colspan="4"><span class="muted">entry hash</span> <span class="hash">${esc(e.hash)}</span></td></tr>`;
    })
    .join('');
  return `<table class="grid"><colgroup><col style="width:6%"><col style="width:31%"><col style="width:20%"><col style="width:15%"><col></colgroup><tr><th>#</th><th>Time (UTC)</th><th>Action</th><th>By</th><th>Detail</th></tr>${rows}</table>`;
}

/** "Watched URLs": each URL's timeline of states, with the item proving each (full history in watch.json). */
function renderWatches(watches: readonly WatchView[]): string {
  if (watches.length === 0) return '';
  const blocks = watches.map((w) => {
    const rows = w.history
      .map(
        (c) =>
          `<tr><td><span class="time">${esc(utcText(c.checkedAt))}</span></td><td${c.state === 'removed' ? ' class="flag"' : ''}>${esc(c.state)}</td><td class="hash">${esc(c.itemId ?? 'no item')}</td><td dir="auto">${esc(c.error ?? c.reasons.join('; '))}</td><td>${esc(c.ledgerSeq)}</td></tr>`,
      )
      .join('');
    return `<div class="box"><h3>${urlHtml(w.url)}</h3>
<p>Watched from ${esc(utcText(w.createdAt))}${w.removedAt ? ` to ${esc(utcText(w.removedAt))} (watch removed; its history is kept)` : ''}; state at export: <b>${esc(w.state ?? 'not checked yet')}</b>.</p>
<table class="grid"><colgroup><col style="width:30%"><col style="width:11%"><col style="width:25%"><col><col style="width:8%"></colgroup><tr><th>Checked (UTC)</th><th>State</th><th>Item proving it</th><th>Why</th><th>Entry</th></tr>${rows || '<tr><td colspan="5">not checked yet</td></tr>'}</table></div>`;
  });
  return `<h2 class="item">Watched URLs</h2>
<p>Each watched URL was captured again at intervals; each capture is an item (in this bundle when exported with
it), compared with the last capture where the content was there. The full history is in watch.json.</p>
${blocks.join('\n')}
`;
}

/** The verification steps in full, as VERIFY.txt gives them. */
function renderVerifySteps(bundleName: string): string {
  const steps = verifySteps(bundleName)
    .map(
      (step) =>
        `<li>${esc(step.title)}:<pre>${step.commands.map((c) => `$ ${esc(c)}`).join('\n')}</pre>Expected: ${esc(step.expect)}</li>`,
    )
    .join('\n');
  return `<h2 class="item">How to verify, command by command</h2>
<p>From the folder where the bundle was unzipped, in bash, after <code>export ${EXPECTED_SIGNER_VARIABLE}=&lt;the fingerprint you were given&gt;</code> (the same as in ${BUNDLE_FILES.verifyText}):</p>
<ol>${steps}</ol>`;
}

function renderFooter(header: ReportHeader): string {
  const names = Object.entries(CUSTODY_ACTION_NAMES)
    .map(([action, name]) => `<code>${esc(action)}</code>: ${esc(name)}`)
    .join('; ');
  return `${renderWatches(header.watches ?? [])}<h2 class="item">Custody of the case</h2>
${renderCustody(header.caseEntries, header.actorNames)}
<p>The full chain, with every entry's signature, is in ${BUNDLE_FILES.custody}; the exact bytes each entry's hash
and signature cover are in ${BUNDLE_FILES.custodyBodies}. Actions as the ledger names them: ${names}.</p>
${renderVerifySteps(header.bundleName)}
</body></html>
`;
}
