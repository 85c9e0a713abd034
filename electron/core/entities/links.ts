import type { EntityType } from '../../../shared/entities.js';
import type { FoundEntity } from './found-entity.js';

/** What a link extractor makes of one address (a profile, a chat, a group…), or undefined. */
export type LinkReader = (url: URL) => { type: EntityType; value: string } | undefined;

/** The hosts whose links name accounts, groups or numbers (with www., m., web. or mobile. before them). */
const LINK_HOSTS =
  'wa\\.me|(?:api|web|chat)\\.whatsapp\\.com|t\\.me|telegram\\.(?:me|dog)|signal\\.(?:me|group)|(?:facebook|fb)\\.com|fb\\.me|instagram\\.com|instagr\\.am|tiktok\\.com|twitter\\.com|x\\.com';

/**
 * A link to one of those hosts, with or without a scheme, as far as a link can reach in running
 * text: it stops at white space, quotes, brackets and at punctuation that ends a sentence.
 */
const LINK_PATTERN = new RegExp(
  `(?<![\\w.@/-])(?:https?://)?(?:(?:www|m|mobile|web|mbasic)\\.)?(?:${LINK_HOSTS})(?:/[^\\s<>"'()\\[\\]{}]*)?`,
  'gi',
);

/** Dots, commas and the like at a link's end belong to the sentence, not to the link. */
function trimTrailing(link: string): string {
  return link.replace(/[.,;:!?،؛…»]+$/u, '');
}

/** The address of a link as written, completed with https:// when it has no scheme. */
export function parseLink(written: string): URL | undefined {
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:/i.test(written) ? written : `https://${written}`);
  } catch {
    return undefined;
  }
}

/** The host without `www.`, `m.`, `mobile.`, `web.` or `mbasic.` (but `web.whatsapp.com` stays). */
export function bareHost(url: URL): string {
  const host = url.hostname.toLowerCase();
  if (/^(?:web|api|chat)\.whatsapp\.com$/.test(host)) return host;
  return host.replace(/^(?:www|m|mobile|web|mbasic)\./, '');
}

/** The non-empty path segments of an address, decoded where they can be. */
export function pathSegments(url: URL): string[] {
  return url.pathname
    .split('/')
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

/** Every link in a text that one of the readers recognises. */
export function findLinks(text: string, readers: readonly LinkReader[]): FoundEntity[] {
  const entities: FoundEntity[] = [];
  for (const match of text.matchAll(LINK_PATTERN)) {
    const written = trimTrailing(match[0]);
    const url = parseLink(written);
    if (!url) continue;
    for (const read of readers) {
      const entity = read(url);
      if (entity) {
        entities.push({ ...entity, original: written, offset: match.index });
        break;
      }
    }
  }
  return entities;
}
