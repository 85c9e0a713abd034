/**
 * report.pdf's parts are printed with report.html's fonts cut down to each part's characters
 * (part-fonts.ts, report-parts.ts). A court reads those pages: they must be the pages the whole
 * fonts give, pixel for pixel, in every script the evidence holds (Arabic with its joining forms
 * and marks, Persian, accented Latin, Latin written decomposed (a letter and its combining marks),
 * Cyrillic, Greek, Urdu, bold, monospaced hashes, and what DejaVu lacks, drawn as before: from the
 * system's fonts, or as the font's box when none has it). Real Chromium prints both, poppler
 * renders them (pdftoppm) and reads their text (pdftotext).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PART_PAGE_STYLE, pageStyle } from '../../../electron/core/bundle/pdf-page-template.js';
import { launchPrintingChromium, printToFile } from '../../../electron/core/bundle/pdf-printer.js';
import { embeddedFontFaces } from '../../../electron/core/bundle/report-fonts.js';
import { cutReport } from '../../../electron/core/bundle/report-parts.js';

const LINES = [
  'قارب من ليبيا إلى إيطاليا، السعر ٣٠٠٠ يورو للشخص، اتصل على واتساب +218 91 234 5678',
  'مُهَرِّبٌ يَعْرِضُ رِحْلَةً بَحْرِيَّةً — الدَّفْعُ عِنْدَ الوُصُولِ',
  'قایق به ایتالیا، پرداخت با حواله، تماس در تلگرام @safar_darya',
  'Traversée vers Lampedusa, départ garanti — paiement à l’arrivée « sans risque »',
  'Viaggio per la Sicilia: più sicuro, perché c’è posto',
  // Decomposed (NFD, as macOS names files): HarfBuzz draws the precomposed letter the font holds.
  'Cafe\u0301 Ame\u0301lie, A\u030Angstro\u0308m, Ss\u030Cekerinkova\u0301, a\u0627\u0653\u0644 \u0627\u0654',
  // Urdu: DejaVu lacks some of its letters (ہ, ے), as it lacks CJK and emoji below; they are
  // drawn as with the whole fonts, from a system font, or as .notdef's box where none has them.
  'کشتی به ایتالیا، ادائیگی پہنچنے پر، رابطہ ٹیلیگرام',
  'Лодка в Италию — оплата по прибытии; Ταξίδι στην Ιταλία, πληρωμή κατά την άφιξη',
  // And mirrored characters in right-to-left text (≤ drawn as ≥, ‹ as ›).
  '偷渡 船票 イタリア 🚤 👍🏽 ❤️ — المبلغ ≤ ٣٠٠٠ ‹يورو›',
];

/** A report as report.ts writes one: its real embedded fonts, a cover, items of several scripts. */
function reportHtml(): string {
  const items = LINES.map(
    (line, i) => `\n<section class="item">
<h3>Item ${i + 1}: <b>${line.slice(0, 12)}</b></h3>
<p dir="auto">${line}</p>
<p><code>sha256 9b49b003a4de9e0381a069c7600917ea27525d868e46736676c3d996ca0ab54${i}</code></p>
<pre class="text" dir="auto">${line}\n${line}</pre>
</section>`,
  ).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Evidence report: case FONTS-1</title>
<style>${embeddedFontFaces()}
${pageStyle({ footerNote: 'Evidence SHA-256 test' })}
body { font: 9.5pt/1.4 "DejaVu Sans", sans-serif; margin: 0; }
code { font-family: "DejaVu Sans Mono", monospace; }
pre.text { font-family: "DejaVu Sans Mono", "DejaVu Sans", monospace; }
.item { break-before: page; }</style></head><body>
<section class="cover"><h1>Evidence report: case FONTS-1</h1></section>${items}
</body></html>
`;
}

/** Each page of `pdf` rendered by poppler, as bytes (PPM). */
function renderedPages(pdf: string, prefix: string): Buffer[] {
  execFileSync('pdftoppm', ['-r', '72', pdf, prefix]);
  const dir = path.dirname(prefix);
  return fs
    .readdirSync(dir)
    .filter((name) => name.startsWith(path.basename(prefix)) && name.endsWith('.ppm'))
    .sort()
    .map((name) => fs.readFileSync(path.join(dir, name)));
}

describe('report.pdf printed with fonts cut down to each part', { timeout: 120_000 }, () => {
  let dir: string;
  let reference: string;
  let part: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-part-fonts-'));
    const html = path.join(dir, 'report.html');
    fs.writeFileSync(html, reportHtml());
    // The reference: the whole report with the whole fonts, with the parts' page style, as one part.
    const whole = path.join(dir, 'whole.html');
    fs.writeFileSync(whole, reportHtml().replace('</head>', `<style>${PART_PAGE_STYLE}</style>\n</head>`));
    const parts = await cutReport(html, path.join(dir), { maxItems: 100, maxBytes: 64 * 1024 * 1024 });
    expect(parts).toHaveLength(1);
    part = parts[0]!.html;
    const context = await launchPrintingChromium(path.join(dir, 'profile'));
    try {
      for (const [source, pdf] of [
        [whole, 'whole.pdf'],
        [part, 'part.pdf'],
      ] as const) {
        const page = await context.newPage();
        await page.goto(pathToFileURL(source).href, { waitUntil: 'load' });
        await printToFile(await context.newCDPSession(page), path.join(dir, pdf));
        await page.close();
      }
    } finally {
      await context.close();
    }
    reference = path.join(dir, 'whole.pdf');
  }, 120_000);

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("the part carries cut-down fonts: a fraction of report.html's", () => {
    expect(fs.statSync(part).size).toBeLessThan(fs.statSync(path.join(dir, 'report.html')).size / 5);
  });

  test('every page is the same, pixel for pixel, as with the whole fonts', () => {
    const expected = renderedPages(reference, path.join(dir, 'whole'));
    const printed = renderedPages(path.join(dir, 'part.pdf'), path.join(dir, 'part'));
    expect(printed.length).toBe(expected.length);
    expect(expected.length).toBeGreaterThan(1);
    const differ = printed.flatMap((page, i) => (page.equals(expected[i]!) ? [] : [i + 1]));
    expect(differ).toEqual([]);
  });

  test('draws every character from the embedded fonts, none from the system (which may lack them)', () => {
    const embedded = (pdf: string) =>
      execFileSync('pdffonts', [pdf], { encoding: 'utf8' })
        .split('\n')
        .filter((line) => line.includes('CID TrueType'))
        .map((line) => line.split(/\s+/)[0]!.replace(/^[A-Z]{6}\+/, ''));
    // A character missing from a cut-down font is drawn from the system's fonts, which on this
    // machine are DejaVu too (the same pixels), but come into the PDF as fonts of their own.
    expect(embedded(path.join(dir, 'part.pdf')).sort()).toEqual(embedded(reference).sort());
  });

  test('its text reads the same in every script', () => {
    const text = (pdf: string) => execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
    expect(text(path.join(dir, 'part.pdf'))).toBe(text(reference));
    expect(text(reference)).toContain('Lampedusa');
  });
});
