import type { LinkReader } from './links.js';
import { bareHost } from './links.js';
import { normalisePhone } from './phone.js';

/**
 * Signal: `signal.me/#p/+NUMBER` (a number, as E.164), `signal.me/#eu/…` (a username link, as
 * written) and `signal.group/#…` (a group invitation, as written: its key is case-sensitive).
 * Signal puts everything after `#` so that it never reaches a server.
 */
export const readSignalLink: LinkReader = (url) => {
  const host = bareHost(url);
  const fragment = url.hash.replace(/^#/, '');
  if (host === 'signal.me') {
    const phone = /^p\/(\+?\d{7,15})$/.exec(fragment);
    if (phone?.[1]) {
      const number = normalisePhone(phone[1].startsWith('+') ? phone[1] : `+${phone[1]}`, []);
      return number ? { type: 'signal', value: number } : undefined;
    }
    if (/^eu\/[\w-]{10,}$/.test(fragment)) return { type: 'signal', value: `signal.me/#${fragment}` };
    return undefined;
  }
  if (host === 'signal.group' && /^[\w-]{10,}$/.test(fragment)) {
    return { type: 'signal', value: `signal.group/#${fragment}` };
  }
  return undefined;
};
