/** A reading of a line, with each character's position in the line as read (and the line's length last). */
export interface LineReading {
  readonly text: string;
  readonly at: readonly number[];
}

/** Letters Arabic writes and Persian does not (ta marbuta, hamza forms, alef maksura). */
const ARABIC_ONLY_LETTER = /[\u0629\u0623\u0625\u0624\u0649]/;
/** Letters Persian writes and Arabic does not (pe, che, zhe, gaf). */
const PERSIAN_ONLY_LETTER = /[\u067E\u0686\u0698\u06AF]/;
/** A Persian or Arabic-Indic nine: one glyph, read in either range. */
const NINE = /[\u06F9\u0669]/;
const PERSIAN_SIX = '\u06F6';
const ARABIC_FOUR = '\u0664';
const ARABIC_SIX = '\u0666';
/** Extra readings of one line at most (each may give a candidate number). */
const MAX_READINGS = 8;

/**
 * Whether a picture's recognised text is Arabic rather than Persian: letters only Arabic writes,
 * none only Persian writes. Its digits say nothing: Tesseract's Persian model reads an Arabic ad's
 * Arabic-Indic digits, and gives them in the Persian range.
 */
export function writtenInArabic(text: string): boolean {
  return ARABIC_ONLY_LETTER.test(text) && !PERSIAN_ONLY_LETTER.test(text);
}

/**
 * Other readings of a line holding Eastern digits, from the confusions measured on bench/ocr's
 * pictures (DejaVu Sans bold and regular, Condensed and Mono): one nine read twice, once in each
 * range ("۰٩۹۳" for ٠٩٣), is one nine; and in an Arabic picture (`arabic`) the Arabic-Indic ٤ comes
 * back as the Persian ۶ (8 of 8) and ٦ as a nine (5 of 7), while ٦ never came back as ۶: so each
 * ۶ is read as ٤, and then each nine in turn as ٦. The line as read is not among them; none
 * repeats. Every number read from them stays a candidate, as any read in Eastern digits.
 */
export function confusedReadings(line: string, arabic: boolean): LineReading[] {
  const single = withoutDoubledNines(line);
  const readings = [single];
  if (arabic && /[\u06F6\u06F9\u0669]/.test(single.text)) {
    const fours = replaced(single, (c) => (c === PERSIAN_SIX ? ARABIC_FOUR : c));
    readings.push(fours);
    for (let i = 0; i < fours.text.length; i++) {
      if (NINE.test(fours.text[i]!)) readings.push(replaced(fours, (c, j) => (j === i ? ARABIC_SIX : c)));
    }
  }
  const seen = new Set([line]);
  return readings.filter((r) => !seen.has(r.text) && seen.add(r.text)).slice(0, MAX_READINGS);
}

/** The line with each pair of nines in different ranges ("٩۹", "۹٩") read as one nine. */
function withoutDoubledNines(line: string): LineReading {
  let text = '';
  const at: number[] = [];
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    const previous = line[i - 1];
    if (
      previous !== undefined &&
      NINE.test(c) &&
      NINE.test(previous) &&
      c !== previous &&
      at.at(-1) === i - 1
    )
      continue;
    text += c;
    at.push(i);
  }
  at.push(line.length);
  return { text, at };
}

function replaced(reading: LineReading, by: (c: string, i: number) => string): LineReading {
  return { text: reading.text.split('').map(by).join(''), at: reading.at };
}
