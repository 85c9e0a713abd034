import type { EntityMention, EntityType } from '../../../shared/entities.js';
import type { ReadableDB } from '../store/database.js';
import { itemsMentioning } from './entity-queries.js';
import { extractEntities, extractLinkEntities } from './extract-entities.js';

/**
 * The values to look a person's input up by: the input as typed, in lower case, and what the
 * extractor makes of it ("+218 91 234 5678" is stored as +218912345678, "https://t.me/Boat_LY"
 * as @boat_ly).
 */
function lookupValues(raw: string): string[] {
  const typed = raw.trim();
  const read = [...extractEntities(typed), ...extractLinkEntities(typed)].map((e) => e.value);
  return [...new Set([typed, typed.toLowerCase(), ...read])];
}

/** Every item, in any case, that mentions the entity a person typed or clicked (of one type, or any). */
export function findMentions(db: ReadableDB, raw: string, type?: EntityType): EntityMention[] {
  const mentions: EntityMention[] = [];
  const seen = new Set<string>();
  for (const value of lookupValues(raw)) {
    for (const m of itemsMentioning(db, value, type)) {
      const key = `${m.type} ${m.value} ${m.itemId}`;
      if (!seen.has(key)) mentions.push(m);
      seen.add(key);
    }
  }
  return mentions;
}
