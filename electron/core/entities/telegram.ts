import { isTelegramUsername } from './handles.js';
import type { LinkReader } from './links.js';
import { bareHost, pathSegments } from './links.js';
import { normalisePhone } from './phone.js';

/** t.me paths that are Telegram's own pages, not accounts. */
const RESERVED = new Set([
  'share',
  'addstickers',
  'addemoji',
  'addtheme',
  'proxy',
  'socks',
  'iv',
  'login',
  'setlanguage',
  'bg',
  'confirmphone',
  'c',
]);

/**
 * Telegram accounts, channels and groups: `t.me/name` (or telegram.me, telegram.dog; also
 * `t.me/s/name` and a post `t.me/name/123`) as `@name` in lower case, since Telegram usernames
 * ignore case; invitations `t.me/+CODE` and `t.me/joinchat/CODE` as written (codes are
 * case-sensitive); a phone link `t.me/+218…` as E.164.
 */
export const readTelegramLink: LinkReader = (url) => {
  const host = bareHost(url);
  if (host !== 't.me' && host !== 'telegram.me' && host !== 'telegram.dog') return undefined;
  const segments = pathSegments(url);
  let first = segments[0];
  if (!first) return undefined;
  if (first === 'joinchat' && segments[1]) return { type: 'telegram', value: `t.me/joinchat/${segments[1]}` };
  if (first.startsWith('+')) {
    const number = /^\+\d{7,15}$/.test(first) ? normalisePhone(first, []) : undefined;
    if (number) return { type: 'telegram', value: number };
    return /^\+[\w-]{10,}$/.test(first) ? { type: 'telegram', value: `t.me/${first}` } : undefined;
  }
  if (first === 's' && segments[1]) first = segments[1];
  if (RESERVED.has(first.toLowerCase()) || !isTelegramUsername(first)) return undefined;
  return { type: 'telegram', value: `@${first.toLowerCase()}` };
};
