import { CustosError, operationFailure } from '../../errors.js';

/**
 * The cause of a capture failure that never reached a server (DNS, refused, unreachable network,
 * timeout, dropped connection): a watch records such a check as unreachable, not as a removal.
 */
export class NetworkUnreachable extends Error {
  constructor(readonly code: string) {
    super(code);
    this.name = 'NetworkUnreachable';
  }
}

/** Whether a capture failed because the server could not be reached at all. */
export function isUnreachableFailure(error: unknown): boolean {
  return error instanceof CustosError && error.cause instanceof NetworkUnreachable;
}

/**
 * Turns the browser's network error for the page itself (`net::ERR_…`) into a message that says
 * what happened and what to try. Nothing is stored for such a page: there is no page to preserve.
 */
export function navigationFailure(url: URL, errorText: string, failedAt?: string): CustosError {
  const code = errorText.replace(/^net::/, '');
  const where = url.host;
  let reason: string;
  let unreachable = true;
  if (code === 'ERR_NAME_NOT_RESOLVED' || code === 'ERR_NAME_RESOLUTION_FAILED') {
    reason = `the host name ${url.hostname} could not be resolved (DNS failure); check the address and the network`;
  } else if (code === 'ERR_CONNECTION_REFUSED') {
    reason = `the server at ${where} refused the connection; check the address and port, or whether the site is down`;
  } else if (/^ERR_(CERT_|SSL_|BAD_SSL|TLS)/.test(code) || code === 'ERR_CERTIFICATE_TRANSPARENCY_REQUIRED') {
    unreachable = false;
    reason = `the secure (TLS) connection to ${where} failed (${code}): the server's certificate or TLS setup is not trusted, and Custos does not capture over an untrusted connection`;
  } else if (
    /^ERR_(INTERNET_DISCONNECTED|ADDRESS_UNREACHABLE|NETWORK_CHANGED|NETWORK_ACCESS_DENIED)$/.test(code)
  ) {
    reason = `the network is not reachable (${code}); check this workstation's connection`;
  } else if (/TIMED_OUT$/.test(code)) {
    reason = `the server at ${where} did not answer in time (${code})`;
  } else if (/^ERR_(CONNECTION_RESET|CONNECTION_CLOSED|EMPTY_RESPONSE|CONNECTION_ABORTED)$/.test(code)) {
    reason = `the server at ${where} closed the connection without a page (${code})`;
  } else if (code === 'ERR_ABORTED') {
    unreachable = false;
    reason =
      'the address did not lead to a page the browser shows (it may be a file download); nothing was captured';
  } else if (code === 'ERR_UNSAFE_PORT') {
    unreachable = false;
    reason = `${unsafePortPlace(url, failedAt)} (ERR_UNSAFE_PORT): Chromium keeps it for other services (mail, X11 and the like), so no page served there can be captured`;
  } else if (code === 'ERR_TOO_MANY_REDIRECTS') {
    unreachable = false;
    reason = 'the address redirects in a loop (ERR_TOO_MANY_REDIRECTS)';
  } else {
    unreachable = false;
    reason = `the browser could not load it (${code})`;
  }
  return operationFailure(
    `could not capture ${url.href}: ${reason}`,
    unreachable ? { cause: new NetworkUnreachable(code) } : undefined,
  );
}

/**
 * Which port the browser refused: the address's own, or the one a redirect led to (the requested
 * address's port is then an open one, and naming it would send the investigator the wrong way).
 */
function unsafePortPlace(url: URL, failedAt: string | undefined): string {
  let failed: URL = url;
  try {
    if (failedAt) failed = new URL(failedAt);
  } catch {
    // not an address: the requested one stands
  }
  const port = failed.port || (failed.protocol === 'https:' ? '443' : '80');
  return failed.href === url.href
    ? `the browser never connects to port ${port}`
    : `the address redirected to ${failed.href}, on port ${port}, which the browser never connects to`;
}
