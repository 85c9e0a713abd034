/**
 * Completes an address typed without its scheme, as a browser's address bar does: `example.com/x`
 * becomes `https://example.com/x`. Only text that starts with a host name (with a dot and a
 * top-level domain), `localhost` or an IPv4 address is completed; anything else (`not a url`,
 * `javascript:…`, `file:///…`) is returned as typed, for the capture service to refuse with its
 * reason. The capture bar and the batch dialog both use it and show the address they will capture.
 */

/** A host name, `localhost` or an IPv4 address at the start, with an optional port, then a path, query, fragment or the end. */
const BARE_HOST =
  /^(?:(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,}|localhost|\d{1,3}(?:\.\d{1,3}){3})(?::\d{1,5})?(?:[/?#]|$)/iu;

/** The address with `https://` put in front when it was typed without a scheme; otherwise as typed (trimmed). */
export function completeAddress(text: string): string {
  const address = text.trim();
  if (address.startsWith('//')) return completeAddress(address.slice(2));
  return BARE_HOST.test(address) ? `https://${address}` : address;
}
