import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { buildTimestampRequest } from '../../../electron/core/timestamp/timestamp-request.js';
import { verifyToken } from '../../../electron/core/timestamp/verify-token.js';
import { localTsaForTests, type TsaMode } from '../../support/local-tsa.js';

const digest = (text: string) => createHash('sha256').update(text).digest('hex');
const DIGEST = digest('capture record of item 1');

const localTsa = localTsaForTests();

/** Posts a request for `imprint` to the local authority in `mode` and returns the reply as received. */
async function reply(mode: TsaMode, imprint = DIGEST): Promise<{ der: Buffer; nonce: string }> {
  await localTsa().setMode(mode);
  const request = buildTimestampRequest(imprint);
  const response = await fetch(localTsa().url, { method: 'POST', body: request.der });
  return { der: Buffer.from(await response.arrayBuffer()), nonce: request.nonce };
}

const verifyOffline = (der: Uint8Array, imprint: string, roots: string[], nonce?: string) =>
  verifyToken(der, imprint, roots, { includeSystemRoots: false, expectedNonce: nonce });

/**
 * A token the local authority stamped under a certificate that expires 2 s after it is issued,
 * stamped while that certificate was valid (its genTime at or before `notAfter`). Issuing the
 * certificate and stamping took up to 2.1 s on a loaded machine (load 8, two test files beside):
 * the token was then stamped by an expired certificate, which is not what the test is about, so
 * it is asked for again under a new certificate until one is stamped in time.
 */
async function stampedBeforeExpiry(): Promise<{ notAfter: Date; der: Buffer }> {
  for (;;) {
    const notAfter = await localTsa().useExpiringCertificate(2);
    const { der } = await reply('expiring');
    const { genTime } = await verifyOffline(der, DIGEST, [localTsa().caPem]);
    // An unreadable reply is given back as it is: the test's checks then say what is wrong with it.
    if (genTime === null || Date.parse(genTime) <= notAfter.getTime()) return { notAfter, der };
  }
}

describe('verifyToken', () => {
  test('a token from a trusted authority verifies, with its genTime and authority, and openssl ts -verify agrees', async () => {
    const before = Date.now();
    const { der, nonce } = await reply('ok');
    const result = await verifyToken(der, DIGEST, [localTsa().caPem], { expectedNonce: nonce });
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.imprint).toBe(DIGEST);
    expect(result.tsa).toBe('CN=tsa test authority');
    expect(result.policy).toBe('1.2.3.4.1');
    expect(Date.parse(result.genTime ?? '')).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 1000);
    expect(result.chain).toHaveLength(2);
    expect(result.chain[1]).toBe(localTsa().caPem);
    const openssl = localTsa().opensslVerify(der, DIGEST);
    expect(openssl.output).toContain('Verification: OK');
    expect(openssl.status).toBe(0);
  });

  test('a token changed after the authority signed it is refused as signature-invalid', async () => {
    const { der } = await reply('ok');
    const tampered = Buffer.from(der);
    // Move the genTime's year inside the signed TSTInfo: "2026…" becomes "2036…".
    const year = String(new Date().getUTCFullYear());
    const at = tampered.indexOf(Buffer.from(`${year}`), tampered.indexOf(Buffer.from([0x18])));
    expect(at).toBeGreaterThan(0);
    tampered[at + 2] = tampered[at + 2] === 0x39 ? 0x38 : (tampered[at + 2] ?? 0) + 1;
    const result = await verifyOffline(tampered, DIGEST, [localTsa().caPem]);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.reason)).toEqual(['signature-invalid']);
    expect(localTsa().opensslVerify(tampered, DIGEST).status).not.toBe(0);
  });

  test('a token whose signature value was altered is refused as signature-invalid', async () => {
    const { der } = await reply('ok');
    const tampered = Buffer.from(der);
    // The signature value is the reply's last field (OpenSSL adds no unsigned attributes).
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 0x01;
    const result = await verifyOffline(tampered, DIGEST, [localTsa().caPem]);
    expect(result.problems.map((p) => p.reason)).toEqual(['signature-invalid']);
    expect(localTsa().opensslVerify(tampered, DIGEST).status).not.toBe(0);
  });

  test('a chain found valid once counts again only under the same roots (the chain cache keys on them)', async () => {
    const { der } = await reply('ok');
    expect((await verifyOffline(der, DIGEST, [localTsa().caPem])).ok).toBe(true);
    const reasons = async (roots: string[]) =>
      (await verifyOffline(der, DIGEST, roots)).problems.map((p) => p.reason);
    expect(await reasons([])).toEqual(['untrusted-authority']);
    expect(await reasons([localTsa().rogueCaPem])).toEqual(['untrusted-authority']);
    expect(await reasons([localTsa().caPem])).toEqual([]);
  });

  test('a token over another digest is refused as imprint-mismatch, naming both digests', async () => {
    const { der } = await reply('other-digest');
    const result = await verifyOffline(der, DIGEST, [localTsa().caPem]);
    expect(result.problems.map((p) => p.reason)).toEqual(['imprint-mismatch']);
    expect(result.problems[0]?.message).toContain(DIGEST);
    expect(result.problems[0]?.message).toContain(digest('another document'));
    expect(localTsa().opensslVerify(der, DIGEST).status).not.toBe(0);
  });

  test('a reply carrying another nonce than the one sent is refused as nonce-mismatch', async () => {
    const { der, nonce } = await reply('wrong-nonce');
    const result = await verifyOffline(der, DIGEST, [localTsa().caPem], nonce);
    expect(result.problems.map((p) => p.reason)).toEqual(['nonce-mismatch']);
    // The token itself is sound: only the check against the request catches the replay.
    expect((await verifyOffline(der, DIGEST, [localTsa().caPem])).ok).toBe(true);
  });

  test('an authority under an untrusted root is refused, even though its token carries that root', async () => {
    const { der, nonce } = await reply('untrusted');
    const withNodeRoots = await verifyToken(der, DIGEST, [localTsa().caPem], { expectedNonce: nonce });
    expect(withNodeRoots.ok).toBe(false);
    expect(withNodeRoots.problems.map((p) => p.reason)).toEqual(['untrusted-authority']);
    expect(withNodeRoots.problems[0]?.message).toContain('--add-root');
    expect(withNodeRoots.chain).toEqual([]);
    // Trusting its root (a user's explicit choice) is what makes it acceptable.
    const trusted = await verifyOffline(der, DIGEST, [localTsa().rogueCaPem], nonce);
    expect(trusted.problems).toEqual([]);
  });

  test('a token whose authority certificate expired after stamping still verifies at its genTime', async () => {
    const { notAfter, der } = await stampedBeforeExpiry();
    await new Promise((resolve) => setTimeout(resolve, notAfter.getTime() - Date.now() + 1100));
    expect(Date.now()).toBeGreaterThan(notAfter.getTime());
    const result = await verifyOffline(der, DIGEST, [localTsa().caPem]);
    expect(result.problems).toEqual([]);
    expect(Date.parse(result.genTime ?? '')).toBeLessThanOrEqual(notAfter.getTime());
    // OpenSSL checks the chain at the current time unless told the genTime.
    const now = localTsa().opensslVerify(der, DIGEST, { untrusted: localTsa().expiringCertFile });
    expect(now.output).toContain('certificate has expired');
    const atGenTime = localTsa().opensslVerify(der, DIGEST, {
      untrusted: localTsa().expiringCertFile,
      attime: new Date(result.genTime ?? ''),
    });
    expect(atGenTime.status).toBe(0);
  });

  test("a rejection is reported as rejected with the authority's own reason", async () => {
    const { der } = await reply('reject');
    const result = await verifyOffline(der, DIGEST, [localTsa().caPem]);
    expect(result.problems.map((p) => p.reason)).toEqual(['rejected']);
    expect(result.problems[0]?.message).toContain('status rejection');
    expect(result.problems[0]?.message).toContain('badAlg');
  });

  test('bytes that are not a TimeStampResp are reported as malformed, never thrown', async () => {
    const { der } = await reply('garbage');
    const garbage = await verifyOffline(der, DIGEST, [localTsa().caPem]);
    expect(garbage.problems.map((p) => p.reason)).toEqual(['malformed']);
    const { der: good } = await reply('ok');
    const trailing = await verifyOffline(Buffer.concat([good, Buffer.from([0])]), DIGEST, [localTsa().caPem]);
    expect(trailing.problems[0]?.message).toContain('stray byte');
    expect((await verifyOffline(new Uint8Array(0), DIGEST, [localTsa().caPem])).problems[0]?.reason).toBe(
      'malformed',
    );
  });

  test('bytes the DER decoder throws on (a GeneralizedTime that is no time: random bytes hit it now and then) are malformed, never thrown', async () => {
    for (const hex of ['18047a7a7a7a', '3006180461626364']) {
      const result = await verifyOffline(Buffer.from(hex, 'hex'), DIGEST, [localTsa().caPem]);
      expect(result.problems.map((p) => p.reason)).toEqual(['malformed']);
      expect(result.problems[0]?.message).toContain('it is not DER (Wrong input string for conversion)');
    }
  });
  test('a signed attribute with no value (its SET emptied: a changed byte in a received token or a reply) is a problem of the token, never a thrown error', async () => {
    const { der } = await reply('ok');
    const oids = {
      'content-type': '06092a864886f70d010903',
      'message-digest': '06092a864886f70d010904',
      'signing-certificate-v2': '060b2a864886f70d010910022f',
    };
    for (const [what, oid] of Object.entries(oids)) {
      const at = der.indexOf(Buffer.from(oid, 'hex'));
      expect(at, what).toBeGreaterThan(0);
      const emptied = Buffer.from(der);
      // The SET after the attribute's type: its length 0, its old content left as a sibling.
      const setAt = at + oid.length / 2;
      expect(emptied[setAt], what).toBe(0x31);
      emptied[setAt + 1] = 0;
      const result = await verifyOffline(emptied, DIGEST, [localTsa().caPem]);
      expect(result.ok, what).toBe(false);
      expect(result.problems.length, what).toBeGreaterThan(0);
    }
  });
});
