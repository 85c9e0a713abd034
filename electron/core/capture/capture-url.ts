import { badInput, errorSaying } from '../errors.js';

/**
 * Parses a URL given to `capture` and refuses anything but http(s) with a host: a capture must
 * never open a local file (`file:`), run code (`javascript:`, `data:`), or open the browser's own
 * pages (`chrome:`, `about:`). Called for every URL before a browser starts.
 */
export function parseCaptureUrl(input: string): URL {
  const text = input.trim();
  if (text === '')
    throw badInput('an empty URL was given; pass the full address, e.g. https://example.org/post/123');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    const hint = /^[\w.-]+\.[a-z]{2,}(?:[/:?#]|$)/i.test(text) ? ` (did you mean https://${text}?)` : '';
    throw badInput(
      `${JSON.stringify(input)} is not a valid URL${hint}; pass the full address starting with http:// or https://`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw badInput(
      `${JSON.stringify(abbreviate(input))} is an address of the ${url.protocol} scheme; only http:// and https:// pages can be captured (nothing was captured)`,
    );
  }
  if (url.hostname === '') throw badInput(`${JSON.stringify(input)} has no host name; pass the full address`);
  if (url.username || url.password) {
    throw errorSaying(
      'bad-input',
      (next) =>
        `${JSON.stringify(abbreviate(input))} carries a user name or password; ${next.personaLogin} instead of putting credentials in the URL`,
    );
  }
  return url;
}

function abbreviate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
