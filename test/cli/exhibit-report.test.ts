/**
 * The exhibit a court reads (report.pdf), checked as printed: real captures of the fixture site in
 * real Chromium under TZ=Europe/Rome, exported on the command line, the PDF read back with poppler's
 * pdftotext and pdfimages.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { WebCaptureRecord } from '../../electron/core/capture/engine/capture-record.js';
import { type FixtureServer, startFixtureServer } from '../support/fixture-server.js';
import { runCustos, runCustosJson } from '../support/run-custos.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';
import { blobFile, type ItemsJson } from './cli-fixtures.js';

const CASE = 'EX-1';
const ROME = { TZ: 'Europe/Rome' };
/** Each run starts Node and Chromium: minutes on a busy two-core machine. */
const SLOW = 300_000;
/** A4 width in PDF points, and the right margin (12 mm) the report's text must stay inside. */
const PAGE_WIDTH_PT = 595.28;
const MARGIN_PT = (12 / 25.4) * 72;

describe('report.pdf, the exhibit', { timeout: SLOW }, () => {
  let server: FixtureServer;
  let temp: TempStore;
  let unpacked: string;
  let pages: string[];
  let text: string;
  let redirected: WebCaptureRecord;
  let evidence: string;

  beforeAll(async () => {
    server = await startFixtureServer();
    temp = makeTempStore({ caseNumber: CASE });
    const captured = await runCustosJson<ItemsJson>(
      [
        'capture',
        server.url('/r/start'),
        server.url('/removed'),
        server.url('/hostile.html'),
        '--case',
        CASE,
      ],
      { store: temp.dir, env: ROME, timeoutMs: SLOW },
    );
    expect(captured.status, captured.stderr).toBe(0);
    const first = captured.json.items[0]!;
    const metadata = first.artifacts.find((a) => a.role === 'metadata')!;
    redirected = JSON.parse(fs.readFileSync(blobFile(temp.dir, metadata.sha256), 'utf8'));
    const noted = await runCustos(['note', first.id, 'الرحلة يوم الثلاثاء من الشاطئ الشمالي'], {
      store: temp.dir,
    });
    expect(noted.status).toBe(0);
    const bundle = path.join(temp.base, 'EX-1.zip');
    const exported = await runCustos(['export', '--case', CASE, '--out', bundle], {
      store: temp.dir,
      env: ROME,
      timeoutMs: SLOW,
    });
    expect(exported.status, exported.stderr).toBe(0);
    unpacked = path.join(temp.base, 'unpacked');
    fs.mkdirSync(unpacked);
    execFileSync('unzip', ['-q', bundle, '-d', unpacked]);
    text = execFileSync('pdftotext', ['-layout', path.join(unpacked, 'report.pdf'), '-'], {
      encoding: 'utf8',
    });
    pages = text.split('\f').filter((page) => page.trim() !== '');
    evidence = execFileSync(
      'bash',
      [
        '-c',
        fs
          .readFileSync(path.join(unpacked, 'VERIFY.txt'), 'utf8')
          .split('\n')
          .find((l) => l.startsWith('$ grep -vE'))!
          .slice(2),
      ],
      { cwd: unpacked, encoding: 'utf8' },
    ).slice(0, 64);
  }, SLOW);
  afterAll(async () => {
    temp?.remove();
    await server?.close();
  });

  test('shows the redirect chain of a capture of /r/start: every hop with its status, then the final URL', () => {
    expect(redirected.redirectChain.map((hop) => hop.status)).toEqual([301, 302]);
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain(`Requested URL ${server.url('/r/start')}`);
    expect(flat).toMatch(new RegExp(`1 ${escapeRegExp(server.url('/r/start'))} 301 HTTP redirect`));
    expect(flat).toMatch(new RegExp(`2 ${escapeRegExp(server.url('/r/middle'))} 302 HTTP redirect`));
    expect(flat).toContain(`Final URL ${server.url('/post.html')}`);
  });

  test('flags the 404 capture, and names the server IP address', () => {
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('CLIENT ERROR (HTTP 404)');
    expect(flat).toMatch(/Server IP address 127\.0\.0\.1:\d+/);
  });

  test("gives start and end in UTC and in the investigator's local time with its offset (Europe/Rome)", () => {
    const started = new Date(redirected.capture.startedAt);
    const rome = new Date(started.getTime() + romeOffsetHours(started) * 3_600_000);
    const local = `${rome.toISOString().slice(0, 23).replace('T', ' ')} UTC+0${romeOffsetHours(started)}:00 (Europe/Rome)`;
    expect(text).toContain(`${redirected.capture.startedAt.slice(0, 23).replace('T', ' ')} UTC`);
    expect(text).toContain(local);
  });

  test('prints the evidence hash and "page k of n" on every page', () => {
    expect(evidence).toMatch(/^[0-9a-f]{64}$/);
    pages.forEach((page, index) => {
      expect(page).toContain(evidence);
      expect(page).toContain(`page ${index + 1} of ${pages.length}`);
    });
  });

  test('carries the full-width screenshot as images at its own resolution, labelled part k of n with its SHA-256', () => {
    const list = execFileSync('pdfimages', ['-list', path.join(unpacked, 'report.pdf')], {
      encoding: 'utf8',
    });
    const widths = list
      .split('\n')
      .slice(2)
      .map((line) => Number(line.trim().split(/\s+/)[3]));
    expect(widths).toContain(redirected.screenshot.width);
    const screenshot = fs
      .readFileSync(path.join(unpacked, 'manifest.json'), 'utf8')
      .match(/"role": "screenshot"[^}]*"sha256": "([0-9a-f]{64})"/)![1]!;
    const flat = text.replace(/\s+/g, '');
    expect(text).toMatch(/Full-page screenshot, part 1 of \d+/);
    expect(flat).toContain(screenshot);
  });

  test('cuts no text at the page edge and keeps every custody hash whole', () => {
    const bbox = execFileSync('pdftotext', ['-bbox', path.join(unpacked, 'report.pdf'), '-'], {
      encoding: 'utf8',
    });
    const overflowing = [
      ...bbox.matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)</g),
    ]
      .filter((m) => Number(m[2]) > PAGE_WIDTH_PT - MARGIN_PT + 1 || Number(m[1]) < MARGIN_PT - 1)
      .map((m) => m[3]);
    expect(overflowing).toEqual([]);
    const flat = text.replace(/\s+/g, '');
    for (const line of fs.readFileSync(path.join(unpacked, 'custody.jsonl'), 'utf8').trim().split('\n')) {
      const entry = JSON.parse(line);
      if (!entry.omitted && entry.caseId) expect(flat).toContain(entry.hash);
    }
  });

  test("wraps the cover's signer fingerprint and evidence hash between groups of four, never inside one", () => {
    const groups = (hex: string) => hex.match(/.{4}/g)!;
    const words = new Set(text.split(/\s+/));
    const manifest = JSON.parse(fs.readFileSync(path.join(unpacked, 'manifest.json'), 'utf8'));
    for (const hex of [manifest.exporter.keyFingerprint as string, evidence]) {
      // Every group of four is a word of its own on the page (a group cut at a line end is two words).
      for (const group of groups(hex)) expect(words, `${group} of ${hex}`).toContain(group);
    }
  });

  test("lists the hostile page's blocked actions: its pop-up and its dialogs", () => {
    const hostile = text.slice(text.indexOf('Hostile page'));
    expect(hostile).toContain('Blocked actions');
    expect(hostile).toMatch(/\bpopup\b/);
    expect(hostile).toMatch(/\bdialog\b/);
  });

  test('embeds its fonts (DejaVu, which has Arabic) and asks for nothing outside the page', () => {
    const html = fs.readFileSync(path.join(unpacked, 'report.html'), 'utf8');
    expect(html).toMatch(/@font-face \{ font-family: "DejaVu Sans"; src: url\("data:font\/ttf;base64,/);
    expect(html).not.toMatch(/(src|href)="(https?:|file:|\/\/)|url\("?(https?:|file:|\/\/)/);
    const fonts = execFileSync('pdffonts', [path.join(unpacked, 'report.pdf')], { encoding: 'utf8' });
    expect(fonts).toMatch(/DejaVuSans\b.* yes /);
  });

  test('names custody actions in words and shows the Arabic note as written', () => {
    expect(text).toContain('Page captured');
    expect(text).toContain('Note added');
    expect(text).not.toContain('item.capture ');
    expect(fs.readFileSync(path.join(unpacked, 'report.html'), 'utf8')).toContain(
      'الرحلة يوم الثلاثاء من الشاطئ الشمالي',
    );
  });
});

/** Europe/Rome's offset from UTC at an instant (1 in winter, 2 in summer). */
function romeOffsetHours(date: Date): number {
  const name = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Rome', timeZoneName: 'shortOffset' })
    .formatToParts(date)
    .find((p) => p.type === 'timeZoneName')!.value;
  return Number(name.replace('GMT', '') || 0);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
