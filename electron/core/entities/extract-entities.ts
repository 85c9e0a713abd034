import { findWallets } from './crypto-wallets.js';
import { findEmails } from './email.js';
import type { EntityHints, FoundEntity } from './found-entity.js';
import { findHandles } from './handles.js';
import { findIbans } from './iban.js';
import { findLinks, type LinkReader } from './links.js';
import { messengerNumbers } from './messenger-numbers.js';
import { findPhones, normalisePhone } from './phone.js';
import { findPrices } from './price.js';
import { regionHints } from './regions.js';
import { readSignalLink } from './signal.js';
import { SOCIAL_PROFILE_READERS } from './social-profiles.js';
import { readTelegramLink } from './telegram.js';
import { readWhatsAppLink } from './whatsapp.js';

export type { EntityHints, FoundEntity } from './found-entity.js';

const LINK_READERS: readonly LinkReader[] = [
  readWhatsAppLink,
  readTelegramLink,
  readSignalLink,
  ...SOCIAL_PROFILE_READERS,
];

/**
 * Keeps entities in the order given (most specific extractor first) and drops any that overlaps
 * one already kept: the digits of a wa.me link, an IBAN or a price are not also a phone number.
 */
function withoutOverlaps(groups: readonly FoundEntity[][]): FoundEntity[] {
  const kept: FoundEntity[] = [];
  for (const entity of groups.flat()) {
    const end = entity.offset + entity.original.length;
    if (kept.some((k) => entity.offset < k.offset + k.original.length && k.offset < end)) continue;
    kept.push(entity);
  }
  return kept.sort((a, b) => a.offset - b.offset);
}

/**
 * Every entity in a text (page text, a title, an imported text file): links to messengers and
 * social networks, e-mail addresses, IBANs, wallets, prices, phone numbers (also as WhatsApp or
 * Signal accounts where the ad names the messenger) and attributed `@handles`. Pure: the same text and hints always give the same entities.
 */
export function extractEntities(text: string, hints: EntityHints = {}): FoundEntity[] {
  const regions = regionHints(text, hints);
  const kept = withoutOverlaps([
    findLinks(text, LINK_READERS),
    findEmails(text),
    findIbans(text),
    findWallets(text),
    findPrices(text, regions),
    findPhones(text, regions),
    findHandles(text),
  ]);
  // A number the ad gives as a WhatsApp or Signal contact is both a phone and that account.
  const accounts = messengerNumbers(
    text,
    kept.filter((e) => e.type === 'phone'),
  );
  return [...kept, ...accounts].sort((a, b) => a.offset - b.offset);
}

/**
 * The entities of one link target (an `href` of the captured HTML): `tel:` numbers, `mailto:`
 * addresses, messenger and profile links. Offsets are within the href.
 */
export function extractLinkEntities(href: string, hints: EntityHints = {}): FoundEntity[] {
  const tel = /^tel:(.+)$/i.exec(href);
  if (tel?.[1]) {
    const raw = decodeURIComponentSafe(tel[1]);
    const value = normalisePhone(raw, regionHints('', hints));
    return value ? [{ type: 'phone', value, original: href, offset: 0 }] : [];
  }
  const mail = /^mailto:([^?]+)/i.exec(href);
  if (mail?.[1])
    return findEmails(decodeURIComponentSafe(mail[1])).map((e) => ({ ...e, original: href, offset: 0 }));
  return findLinks(href, LINK_READERS);
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
