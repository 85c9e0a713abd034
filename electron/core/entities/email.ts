import { type FoundEntity, found } from './found-entity.js';

/** An e-mail address: a dot-atom local part, a domain with at least one dot and a letter TLD. */
const EMAIL =
  /(?<![\w.+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])/g;

/** E-mail addresses, in lower case (mailboxes ignore case in practice; the original is kept). */
export function findEmails(text: string): FoundEntity[] {
  return [...text.matchAll(EMAIL)]
    .filter((m) => !m[0].includes('..'))
    .map((m) => found('email', m[0].toLowerCase(), text, m.index, m.index + m[0].length));
}
