import type { EntityType } from '../../../shared/entities.js';
import type { FoundEntity } from './found-entity.js';

/**
 * Messenger names as ads write them before a number: "WhatsApp +218 91 234 5678",
 * "واتس: 905325521234+", "واتساپ: ۰۹۳۵ ۱۲۳ ۴۵۶۷", "Signal 0044 7700 900123". A number so
 * attributed is also that messenger's account (the same number a `wa.me` link elsewhere gives).
 */
const MESSENGER_WORDS: readonly (readonly [EntityType, RegExp])[] = [
  ['whatsapp', /whats\s?app|واتس\s?اب|واتساب|وتساب|واتس|واتساپ|واتس‌اپ|واتس\s?آپ/giu],
  ['signal', /\bsignal\b|سيغنال|سيجنال|سگنال|سیگنال/giu],
];

/** How far before a number (on its line) the messenger's name may stand. */
const BEFORE_WINDOW = 40;

/**
 * The messenger accounts that phone numbers are attributed to: a messenger named before the
 * number on its line, with no other number between them ("WhatsApp: A, call B" gives A only),
 * or in brackets right after it ("+218 91 234 5678 (واتساب)"). `phones` are the kept phone
 * entities of `text`; each attributed one gives an entity of the messenger's type, same span.
 */
export function messengerNumbers(text: string, phones: readonly FoundEntity[]): FoundEntity[] {
  const entities: FoundEntity[] = [];
  const sorted = [...phones].sort((a, b) => a.offset - b.offset);
  sorted.forEach((phone, i) => {
    const previous = sorted[i - 1];
    const lineStart = text.lastIndexOf('\n', phone.offset - 1) + 1;
    const from = Math.max(
      lineStart,
      phone.offset - BEFORE_WINDOW,
      previous ? previous.offset + previous.original.length : 0,
    );
    const before = text.slice(from, phone.offset);
    const end = phone.offset + phone.original.length;
    const bracketed = /^\s*[([]([^)\]\n]{1,40})[)\]]/u.exec(text.slice(end))?.[1] ?? '';
    for (const [type, pattern] of MESSENGER_WORDS) {
      if (matches(before, pattern) || matches(bracketed, pattern)) {
        entities.push({ type, value: phone.value, original: phone.original, offset: phone.offset });
      }
    }
  });
  return entities;
}

function matches(text: string, pattern: RegExp): boolean {
  pattern.lastIndex = 0;
  return pattern.test(text);
}
