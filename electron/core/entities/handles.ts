import type { EntityType } from '../../../shared/entities.js';
import { type FoundEntity, found } from './found-entity.js';

/** A Telegram username: 5 to 32 letters, digits or underscores, starting with a letter. */
export function isTelegramUsername(name: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_]{3,30}[A-Za-z0-9]$/.test(name);
}

/**
 * Names of each platform as ads write them (Latin, Arabic, Persian). An `@handle` belongs to the
 * platform named nearest before it on the same line (or right after it): "Telegram: @boat_ly",
 * "تلغرام @boat_ly", "@boat_ly على تيليجرام". A bare `@Marco` names nothing and is left alone.
 */
const PLATFORM_WORDS: readonly (readonly [EntityType, RegExp])[] = [
  [
    'telegram',
    /telegram|t[ée]l[ée]gram(?:me)?|\btg\b|تلغرام|تليغرام|تيليجرام|تيليغرام|تلجرام|تلگرام|تلیگرام|تیلیگرام/giu,
  ],
  ['instagram', /instagram|\binsta\b|\big\b|انستغرام|انستقرام|انستجرام|إنستغرام|اینستاگرام|اینستا/giu],
  ['tiktok', /tik\s?tok|تيك\s?توك|تیک\s?تاک/giu],
  ['x', /twitter|تويتر|توییتر|\bx\.com\b/giu],
];

/** How each platform's usernames look. */
const VALID_NAME: Readonly<Partial<Record<EntityType, (name: string) => boolean>>> = {
  telegram: isTelegramUsername,
  instagram: (name) => /^[A-Za-z0-9._]{1,30}$/.test(name) && !name.endsWith('.'),
  tiktok: (name) => /^[A-Za-z0-9._]{2,24}$/.test(name) && !name.endsWith('.'),
  x: (name) => /^[A-Za-z0-9_]{1,15}$/.test(name),
};

/** How far (in characters, on the same line) a platform's name may stand from the handle. */
const BEFORE_WINDOW = 48;
const AFTER_WINDOW = 24;

/** The platform named nearest to a handle, if any. */
function platformNear(text: string, start: number, end: number): EntityType | undefined {
  const lineStart = Math.max(text.lastIndexOf('\n', start - 1) + 1, start - BEFORE_WINDOW);
  const lineEnd = text.indexOf('\n', end);
  const afterEnd = Math.min(lineEnd < 0 ? text.length : lineEnd, end + AFTER_WINDOW);
  const before = text.slice(lineStart, start);
  const after = text.slice(end, afterEnd);
  let best: { type: EntityType; distance: number } | undefined;
  for (const [type, pattern] of PLATFORM_WORDS) {
    for (const m of before.matchAll(pattern)) {
      const distance = before.length - (m.index + m[0].length);
      if (!best || distance < best.distance) best = { type, distance };
    }
    for (const m of after.matchAll(pattern)) {
      // A name after the handle counts for less than one before it.
      const distance = m.index + AFTER_WINDOW;
      if (!best || distance < best.distance) best = { type, distance };
    }
  }
  return best?.type;
}

/** `@handles` in running text that a nearby platform name attributes, as `@name` in lower case. */
export function findHandles(text: string): FoundEntity[] {
  const entities: FoundEntity[] = [];
  for (const match of text.matchAll(/(?<![\w@.])@([A-Za-z0-9_.]{1,32})/g)) {
    const name = (match[1] ?? '').replace(/\.+$/, '');
    const end = match.index + 1 + name.length;
    const type = platformNear(text, match.index, end);
    if (!type || !VALID_NAME[type]?.(name)) continue;
    entities.push(found(type, `@${name.toLowerCase()}`, text, match.index, end));
  }
  return entities;
}
