import { describe, expect, it } from 'vitest';
import { confusedReadings, writtenInArabic } from '../../../electron/core/ocr/eastern-digit-readings.js';

const texts = (line: string, arabic: boolean) => confusedReadings(line, arabic).map((r) => r.text);

describe('readings of an Eastern-digit line as OCR likely misread it', () => {
  it('in an Arabic picture reads each Persian six as the Arabic-Indic four, then each nine in turn as six', () => {
    // ٠٩٣ ٤٤٢ ٥٢٢٤ came back as ۰۹۳ ۶۶۲ ۵۲۲۶ (bench/ocr, ad 16).
    expect(texts('واتساب ۰۹۳ ۶۶۲ ۵۲۲۶', true)).toEqual(['واتساب ۰۹۳ ٤٤۲ ۵۲۲٤', 'واتساب ۰٦۳ ٤٤۲ ۵۲۲٤']);
    // ٠٩٣ ٥٦٧ ٥٢٤٤ came back as ۰۹۳ ۵٩۷ ۵۲۶۶ (ad 28): the second reading with a nine as six is the number.
    expect(texts('۰۹۳ ۵٩۷ ۵۲۶۶', true)).toContain('۰۹۳ ۵٦۷ ۵۲٤٤');
  });

  it('leaves a Persian picture’s sixes and nines as read (its own digits are read right)', () => {
    expect(texts('تماس: ۰۹۱۲ ۳۶۵ ۶۷۸۹', false)).toEqual([]);
  });

  it('reads a nine read twice, once in each range, as one nine, keeping where each character was', () => {
    const [single] = confusedReadings('۰۹۱۱ ۳۸۶ ٩۹۷۸۵', false);
    expect(single?.text).toBe('۰۹۱۱ ۳۸۶ ٩۷۸۵');
    expect(single?.at.slice(9)).toEqual([9, 11, 12, 13, 14]);
    // Two nines of the same range are two nines.
    expect(texts('۰۹۹۱ ۳۸۶', false)).toEqual([]);
  });

  it('tells an Arabic picture from a Persian one by the letters only one of them writes', () => {
    expect(writtenInArabic('رحلات إلى إيطاليا من Lod\nواتساب ۰۹۳ ۶۶۲ ۵۲۲۶')).toBe(true);
    // Persian, its پ misread as ي: no Arabic-only letter either.
    expect(writtenInArabic('سفر به ارويا از تركيه\nتماس: ۰۹۱۱ ۳۸۶')).toBe(false);
    expect(writtenInArabic('پرواز به إيطاليا')).toBe(false);
  });
});
