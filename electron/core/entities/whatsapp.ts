import type { LinkReader } from './links.js';
import { bareHost, pathSegments } from './links.js';
import { normalisePhone } from './phone.js';

/** The E.164 form of the number in a WhatsApp link (always international, maybe with + or 00). */
function linkNumber(raw: string | null | undefined): string | undefined {
  if (!raw) return undefined;
  const digits = raw.replace(/[\s().-]/g, '').replace(/^(?:\+|00)/, '');
  if (!/^\d{7,15}$/.test(digits)) return undefined;
  return normalisePhone(`+${digits}`, []);
}

/**
 * WhatsApp chats and groups: `wa.me/218912345678`, `api.whatsapp.com/send?phone=…` (and
 * `web.whatsapp.com/send`) give the number in E.164; `chat.whatsapp.com/CODE` a group invitation
 * (the code is case-sensitive); `wa.me/message/CODE` a business short link.
 */
export const readWhatsAppLink: LinkReader = (url) => {
  const host = bareHost(url);
  const segments = pathSegments(url);
  if (host === 'wa.me') {
    if (segments[0] === 'message' && segments[1])
      return { type: 'whatsapp', value: `wa.me/message/${segments[1]}` };
    const number = linkNumber(segments[0]);
    return number ? { type: 'whatsapp', value: number } : undefined;
  }
  if ((host === 'api.whatsapp.com' || host === 'web.whatsapp.com') && /^\/send\/?$/.test(url.pathname)) {
    const number = linkNumber(url.searchParams.get('phone'));
    return number ? { type: 'whatsapp', value: number } : undefined;
  }
  if (host === 'chat.whatsapp.com' && segments[0] && /^[A-Za-z0-9]{16,32}$/.test(segments[0])) {
    return { type: 'whatsapp', value: `chat.whatsapp.com/${segments[0]}` };
  }
  return undefined;
};
