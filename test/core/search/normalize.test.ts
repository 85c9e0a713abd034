import { describe, expect, it } from 'vitest';
import { normalizeForSearch, normalizeWithMap, tokenize } from '../../../electron/core/search/normalize.js';
import { parseSearchQuery } from '../../../electron/core/search/search-query.js';
import { makeSnippet } from '../../../electron/core/search/snippet.js';

const n = normalizeForSearch;

describe('search normalisation folds what writers vary, the same for the page and the query', () => {
  it('Arabic with diacritics (harakat, shadda, tanwin) reads as the bare word', () => {
    expect(n('مُحَمَّدٌ')).toBe(n('محمد'));
    expect(n('رِحْلَةٌ إِلَى إِيطَالِيَا')).toBe(n('رحلة الى ايطاليا'));
    expect(n('مُحَمَّدٌ')).toBe('محمد');
  });

  it('Quranic marks and the superscript alef are removed', () => {
    expect(n('ٱلرَّحْمَٰنِ')).toBe('الرحمن');
    expect(n('ذٰلِكَۖ')).toBe(n('ذلك'));
  });

  it('tatweel (kashida) is removed', () => {
    expect(n('مـــرحـبـا')).toBe(n('مرحبا'));
  });

  it('alef variants fold to bare alef', () => {
    for (const alef of ['أ', 'إ', 'آ', 'ٱ']) expect(n(`${alef}حمد`)).toBe('احمد');
  });

  it('yeh variants (alef maksura, Persian, Pashto, with hamza) fold to one yeh', () => {
    const forms = ['على', 'علي', 'علی', 'علې', 'علۍ', 'علئ'].map(n);
    expect(new Set(forms).size).toBe(1);
  });

  it('Persian yeh and keheh match the Arabic letters: کشتی is found as كشتي', () => {
    expect(n('کشتی')).toBe(n('كشتي'));
    expect(n('ایتالیا')).toBe(n('ايتاليا'));
  });

  it('teh marbuta and the heh forms fold together, and waw with hamza to waw', () => {
    expect(n('رحلة')).toBe(n('رحله'));
    expect(n('خانۀ')).toBe(n('خانه'));
    expect(n('کہ')).toBe(n('که'));
    expect(n('مؤمن')).toBe(n('مومن'));
  });

  it('Persian and Arabic-Indic digits become ASCII digits', () => {
    expect(n('۰۹۱۲۳۴۵۶۷۸۹')).toBe('09123456789');
    expect(n('٠١٢٣٤٥٦٧٨٩ دولار')).toBe('0123456789 دولار');
    expect(n('قیمت ۳۵۰۰ یورو')).toBe(n('قيمت 3500 يورو'));
  });

  it('French and Italian accents and case are folded', () => {
    expect(n('Traversée RAPIDE, départ garanti')).toBe('traversee rapide, depart garanti');
    expect(n('Perché città è già più')).toBe('perche citta e gia piu');
    expect(n('ÉCOLE Œuvre Straße')).toBe('ecole oeuvre strasse');
    // decomposed input (e + combining acute) folds like the precomposed letter
    expect(n('cafe\u0301')).toBe(n('café'));
  });

  it('NFKC folds compatibility forms: Arabic presentation forms, full-width Latin, ligatures', () => {
    expect(n('\ufeb3\ufedf\ufe8e\ufee1')).toBe(n('سلام'));
    expect(n('ＷｈａｔｓＡｐｐ')).toBe('whatsapp');
    expect(n('ﬁle')).toBe('file');
  });

  it('the Persian zero-width non-joiner joins the word: می‌خواهم is found as میخواهم', () => {
    expect(n('می\u200cخواهم')).toBe(n('میخواهم'));
    expect(tokenize(n('می\u200cخواهم بروم')).map((t) => t.text)).toHaveLength(2);
  });

  it('Ethiopic (Tigrinya) is kept as written and split at its word separators', () => {
    expect(n('ጉዕዞ ናብ ኢጣልያ')).toBe('ጉዕዞ ናብ ኢጣልያ');
    expect(tokenize(n('ዋጋ፡3000፡ዶላር።')).map((t) => t.text)).toEqual(['ዋጋ', '3000', 'ዶላር']);
  });

  it('bidi controls and byte-order marks never split or change a word', () => {
    expect(n('\u200fواتساب\u200e +39')).toBe('واتساب +39');
    expect(n('\ufeffboat')).toBe('boat');
  });
});

describe('the map from normalised text back to the original', () => {
  it('points every normalised character at the original characters it came from', () => {
    const original = 'Départ: مُحَمَّد ـــ و ۳۵۰۰';
    const mapped = normalizeWithMap(original);
    expect(mapped.text).toBe(n(original));
    const word = mapped.text.indexOf('محمد');
    const start = mapped.start[word] ?? -1;
    const end = mapped.end[word + 'محمد'.length - 1] ?? -1;
    expect(original.slice(start, end)).toBe('مُحَمَّد');
    const digits = mapped.text.indexOf('3500');
    expect(original.slice(mapped.start[digits], mapped.end[digits + 3])).toBe('۳۵۰۰');
  });

  it('a snippet keeps a byte-order mark inside a found word (never a space the text does not hold) and marks the original word with the characters search removed', () => {
    const body = 'Call Abdel\ufeffsalam or Sab\u{E0041}ratha, or می\u200cخواهم';
    const fields = { body, notes: '', tags: '', title: '', url: '' };
    for (const [query, word] of [
      ['Abdelsalam', 'Abdel\ufeffsalam'],
      ['Sabratha', 'Sab\u{E0041}ratha'],
      ['میخواهم', 'می\u200cخواهم'],
    ] as const) {
      const snippet = makeSnippet(fields, parseSearchQuery(query).terms);
      expect(snippet?.text).toBe(body);
      const [start, end] = snippet?.marks[0] ?? [];
      expect(snippet?.text.slice(start, end)).toBe(word);
    }
  });
});

describe('a query', () => {
  it('made only of characters search removes is refused with a message that shows them, never an empty pair of quotes', () => {
    expect(() => parseSearchQuery('\u200c\u{E0041}')).toThrow(
      '"\\u200c\\u{e0041}" has no letters or digits to search for',
    );
  });
});
