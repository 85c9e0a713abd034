import type { EntitySource } from '../../../shared/entities.js';
import type { DerivableItem } from '../derive/deriver.js';
import { pictureEntities } from '../ocr/picture-entities.js';
import type { StoredOccurrence } from './entity-queries.js';
import {
  type EntityHints,
  extractEntities,
  extractLinkEntities,
  type FoundEntity,
} from './extract-entities.js';
import { regionHints } from './regions.js';

/** Text artifacts larger than this are read up to it (a chat export of hundreds of MB stays bounded). */
const MAX_TEXT_BYTES = 16 * 1024 * 1024;

/** Media types of imported files whose content is read as text. */
const TEXT_MEDIA = /^(?:text\/|application\/(?:json|xml|xhtml\+xml)|message\/rfc822)/;

/** `href` values of an HTML document with their offsets (`&amp;` and numeric references decoded). */
export function htmlLinks(html: string): { href: string; offset: number }[] {
  const links: { href: string; offset: number }[] = [];
  for (const m of html.matchAll(/\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi)) {
    const value = m[1] ?? m[2] ?? m[3] ?? '';
    const offset = m.index + m[0].length - value.length - (m[3] === undefined ? 1 : 0);
    const href = value
      .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
      .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
      .replace(/&amp;/g, '&')
      .trim();
    if (href) links.push({ href, offset });
  }
  return links;
}

/** The page's language from a web capture's record (the `metadata` artifact). */
function pageLanguage(json: string): string | null {
  try {
    const record = JSON.parse(json) as { page?: { language?: unknown } };
    return typeof record.page?.language === 'string' ? record.page.language : null;
  } catch {
    return null;
  }
}

async function readText(item: DerivableItem, sha256: string): Promise<string> {
  const bytes = await item.readArtifact(sha256);
  return bytes.subarray(0, MAX_TEXT_BYTES).toString('utf8');
}

/**
 * Every entity of an item, from its originals: the captured page text, the captured HTML's links,
 * the title and address, imported text files, and the text recognised in its pictures (see
 * pictureEntities: numbers read in Eastern digits are candidates). Hints for national numbers come from the page
 * (its language, its address's country domain) and from countries the text names.
 */
export async function itemEntities(item: DerivableItem): Promise<StoredOccurrence[]> {
  const artifacts = item.record.artifacts;
  const metadata = artifacts.find((a) => a.role === 'metadata');
  const hints: EntityHints = {
    lang: metadata ? pageLanguage(await readText(item, metadata.sha256)) : null,
    url: item.url,
  };
  const out: StoredOccurrence[] = [];
  const add = (source: EntitySource, entities: readonly FoundEntity[], base = 0) => {
    for (const e of entities) out.push({ ...e, source, offset: base + e.offset });
  };
  // National numbers in the title and the page are read with the same hints as the page's text.
  const texts: { source: EntitySource; text: string }[] = [];
  for (const a of artifacts) {
    if (a.role === 'text' || (a.role === 'original' && TEXT_MEDIA.test(a.mediaType))) {
      texts.push({ source: a.role, text: await readText(item, a.sha256) });
    }
  }
  const pageRegions = texts.map((t) => t.text.slice(0, 20000)).join('\n');
  if (item.title)
    add('title', extractEntities(item.title, { ...hints, regions: regionHints(pageRegions, hints) }));
  if (item.url) add('url', extractLinkEntities(item.url, hints));
  for (const { source, text } of texts) add(source, extractEntities(text, hints));
  out.push(...pictureEntities(item.pictureText(), hints, pageRegions));
  for (const a of artifacts) {
    const isHtml = a.role === 'html' || (a.role === 'original' && /html/.test(a.mediaType));
    if (!isHtml) continue;
    for (const link of htmlLinks(await readText(item, a.sha256))) {
      add(
        a.role,
        extractLinkEntities(link.href, hints).map((e) => ({ ...e, offset: 0 })),
        link.offset,
      );
    }
  }
  return out;
}
