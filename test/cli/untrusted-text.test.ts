import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeUntrusted } from '../../electron/core/escape-untrusted.js';
import { runCustos, runCustosJson } from '../support/run-custos.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';

const ESC = '\u001b';
const RLO = '\u202e';
/** "hi" in tag characters (ASCII smuggling: drawn as nothing) and a soft hyphen, in a file's name. */
const SMUGGLED = 'Boat trips\u{e0068}\u{e0069} in\u00advoice.txt';
const SMUGGLED_ESCAPED = 'Boat trips\\u{e0068}\\u{e0069} in\\xadvoice.txt';

describe('untrusted text reaches the terminal escaped', { timeout: 60_000 }, () => {
  let temp: TempStore;
  let itemId: string;

  beforeAll(async () => {
    temp = makeTempStore({ caseNumber: 'ESC-1' });
    // A file name as a phone or a seized drive may give it: an ESC sequence and a right-to-left override.
    const file = temp.writeFile(`invoice${RLO}txt.exe${ESC}[2J`, 'not really an invoice\n');
    const imported = await runCustosJson<{ items: { id: string }[] }>(['import', file, '--case', 'ESC-1'], {
      store: temp.dir,
    });
    itemId = imported.json.items[0]?.id ?? '';
    await runCustos(['note', itemId, `looks fine${ESC}]0;owned${String.fromCharCode(7)}`], {
      store: temp.dir,
    });
    await runCustos(['import', temp.writeFile(SMUGGLED, 'hidden words\n'), '--case', 'ESC-1'], {
      store: temp.dir,
    });
  });
  afterAll(() => temp.remove());

  it('item show and items print control and bidi characters as \\x1b and \\u202e, never raw', async () => {
    for (const args of [
      ['item', 'show', itemId],
      ['items', '--case', 'ESC-1'],
    ]) {
      const result = await runCustos(args, { store: temp.dir });
      expect(result.status).toBe(0);
      expect(result.stdout).not.toContain(ESC);
      expect(result.stdout).not.toContain(RLO);
      expect(result.stdout).toContain('invoice\\u202etxt.exe\\x1b[2J');
    }
    const shown = await runCustos(['item', 'show', itemId], { store: temp.dir });
    expect(shown.stdout).toContain('looks fine\\x1b]0;owned\\x07');
  });

  it('--json keeps the text exactly as stored (JSON escapes it for machines)', async () => {
    const json = await runCustosJson<{ record: { source: string } }>(['item', 'show', itemId], {
      store: temp.dir,
    });
    expect(json.json.record.source).toContain(`invoice${RLO}txt.exe${ESC}[2J`);
  });

  it('the report of an exported bundle shows them escaped too, in report.html and report.pdf', async () => {
    const out = path.join(temp.base, 'ESC-1.zip');
    const exported = await runCustos(['export', '--case', 'ESC-1', '--out', out], { store: temp.dir });
    expect(exported.status).toBe(0);
    const html = execFileSync('unzip', ['-p', out, 'report.html'], { maxBuffer: 256 * 1024 * 1024 }).toString(
      'utf8',
    );
    expect(html).not.toContain(ESC);
    expect(html).not.toContain(RLO);
    expect(html).toContain('invoice\\u202etxt.exe\\x1b[2J');
    expect(html).toContain('looks fine\\x1b]0;owned\\x07');
    // Tag characters and a soft hyphen, drawn as nothing in a browser, are written as escapes.
    expect(html).toContain(SMUGGLED_ESCAPED);
    expect(html).not.toContain('\u{e0068}');
    expect(html).not.toContain('\u00ad');
    const pdfText = execFileSync('pdftotext', ['-', '-'], {
      input: execFileSync('unzip', ['-p', out, 'report.pdf'], { maxBuffer: 256 * 1024 * 1024 }),
    }).toString('utf8');
    expect(pdfText).not.toContain(RLO);
    expect(pdfText).toContain('invoice\\u202etxt.exe');
  });

  it('items prints tag characters (ASCII smuggling) as \\u{e0068} and a soft hyphen as \\xad, so a hidden word is seen', async () => {
    const result = await runCustos(['items', '--case', 'ESC-1'], { store: temp.dir });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(SMUGGLED_ESCAPED);
    expect(result.stdout).not.toContain('\u{e0068}');
    expect(result.stdout).not.toContain('\u00ad');
  });

  it('keeps Arabic, Persian and tabs as they are', () => {
    expect(escapeUntrusted('رحلة\tمی‌خواهم')).toBe('رحلة\tمی‌خواهم');
  });

  it('items and item show print a zero-width space in a file name as \\u200b, so invoice<U+200B>.pdf is not read as invoice.pdf', async () => {
    const file = temp.writeFile('invoice\u200b.pdf', 'a second invoice\n');
    const imported = await runCustosJson<{ items: { id: string }[] }>(['import', file, '--case', 'ESC-1'], {
      store: temp.dir,
    });
    const id = imported.json.items[0]?.id ?? '';
    for (const args of [
      ['item', 'show', id],
      ['items', '--case', 'ESC-1'],
    ]) {
      const result = await runCustos(args, { store: temp.dir });
      expect(result.status).toBe(0);
      expect(result.stdout).not.toContain('\u200b');
      expect(result.stdout).toContain('invoice\\u200b.pdf');
    }
  });
});
