import { describe, expect, it } from 'vitest';
import { foldLine, pictureEntities, pictureTextOf } from '../../../electron/core/ocr/picture-entities.js';
import type { ItemPictureText } from '../../../shared/ocr.js';

const BOX = { x0: 10, y0: 100, x1: 400, y1: 140 };

function readOf(...lines: { text: string; confidence: number }[]): ItemPictureText {
  return {
    pictures: [
      {
        sha256: 'a'.repeat(64),
        role: 'page-image',
        uri: 'https://ads.example/boat.jpg',
        width: 720,
        height: 300,
        lines: lines.map((l) => ({ ...l, box: BOX })),
      },
    ],
    scan: { pictures: 1, read: 1, skipped: 0, note: null },
  };
}

describe('entities of recognised text', () => {
  it('reads a Latin-digit number as an entity from the picture, with the picture and the line box', () => {
    const [phone] = pictureEntities(readOf({ text: 'WhatsApp +218 91 234 5678', confidence: 93 }), {}, '');
    expect(phone).toMatchObject({
      type: 'phone',
      value: '+218912345678',
      source: 'picture',
      original: '+218 91 234 5678',
      picture: { role: 'page-image', uri: 'https://ads.example/boat.jpg', box: BOX },
    });
    expect(phone?.candidate).toBeUndefined();
  });

  it('makes a number read in Persian digits a candidate with its confidence, never a plain entity', () => {
    // As Tesseract returns a right-to-left line: direction marks around the word.
    const found = pictureEntities(readOf({ text: '۰۹۱۲۳۶۵۶۷۸۹ \u200fتماس\u200e', confidence: 67 }), {}, '');
    expect(found.length).toBeGreaterThan(0);
    for (const e of found) expect(e).toMatchObject({ candidate: true, confidence: 67 });
    expect(found[0]).toMatchObject({ type: 'phone', value: '+989123656789', original: '۰۹۱۲۳۶۵۶۷۸۹' });
  });

  it('in an Arabic ad whose country name was misread, tries each Arab country and the likely misreadings, all as candidates', () => {
    // bench/ocr ad 16: "ليبيا" read as "Lod", ٠٩٣ ٤٤٢ ٥٢٢٤ read as ۰۹۳ ۶۶۲ ۵۲۲۶.
    const found = pictureEntities(
      readOf(
        { text: 'رحلات إلى إيطاليا من Lod', confidence: 80 },
        { text: 'واتساب ۰۹۳ ۶۶۲ ۵۲۲۶', confidence: 71 },
      ),
      {},
      '',
    );
    expect(found.map((e) => e.value)).toContain('+218934425224');
    for (const e of found)
      expect(e).toMatchObject({ candidate: true, confidence: 71, original: '۰۹۳ ۶۶۲ ۵۲۲۶' });
  });

  it('reads a Persian ad’s sixes as sixes: one candidate, not the Arabic confusions', () => {
    const found = pictureEntities(readOf({ text: 'تماس: ۰۹۱۲۳۶۵۶۷۸۹', confidence: 67 }), {}, '');
    expect(new Set(found.map((e) => e.value))).toEqual(new Set(['+989123656789']));
  });

  it('folds digits, yeh, keheh and direction marks, keeping where each character was', () => {
    const folded = foldLine('\u200fکی ۱۲\u200e');
    expect(folded.text).toBe('كي 12');
    expect(folded.at).toEqual([1, 2, 3, 4, 5, 7]);
  });
});

describe('rows of recognised text', () => {
  it('reads a number Tesseract split into two lines on one row as one number', () => {
    const split: ItemPictureText = {
      pictures: [
        {
          sha256: 'b'.repeat(64),
          role: 'original',
          uri: null,
          width: 800,
          height: 600,
          lines: [
            { text: '3421', confidence: 88, box: { x0: 520, y0: 204, x1: 640, y1: 250 } },
            { text: 'Call +39 360 643', confidence: 91, box: { x0: 60, y0: 200, x1: 500, y1: 246 } },
          ],
        },
      ],
      scan: null,
    };
    const [phone] = pictureEntities(split, {}, '');
    expect(phone).toMatchObject({
      type: 'phone',
      value: '+393606433421',
      picture: { box: { x0: 60, x1: 640 } },
    });
  });

  it('keeps two readings of the same line (a second pass) as two rows, each read for numbers', () => {
    const box = { x0: 300, y0: 380, x1: 730, y1: 420 };
    const twice: ItemPictureText = {
      pictures: [
        {
          sha256: 'c'.repeat(64),
          role: 'original',
          uri: null,
          width: 1080,
          height: 1080,
          lines: [
            { text: 'واتساب ۰۹۳ 907', confidence: 91, box },
            { text: 'واتساب ۰۹۳ ۹۵۶ ۸۳۳۷', confidence: 78, box: { ...box, x0: 280 } },
          ],
        },
      ],
      scan: null,
    };
    expect(pictureTextOf(twice).split('\n')).toHaveLength(2);
    // The ad names Italy first; a number in Eastern digits is still read as Libyan.
    const found = pictureEntities(twice, {}, 'رحلات إلى إيطاليا من ليبيا');
    expect(found.filter((e) => e.type === 'phone')).toEqual([
      expect.objectContaining({ value: '+218939568337', candidate: true, confidence: 78 }),
    ]);
  });
});
