import { randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** The OID of SHA-256, the only imprint algorithm Custos asks for. */
export const SHA256_OID = '2.16.840.1.101.3.4.2.1';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A DER TimeStampReq ready to send, with the nonce the reply must echo. */
export interface TimestampRequest {
  readonly der: Uint8Array;
  /** The nonce as a hex string of its unsigned value. */
  readonly nonce: string;
}

/**
 * Builds an RFC 3161 TimeStampReq over a SHA-256 imprint (an item digest or a ledger hash, as hex),
 * with a fresh 64-bit nonce (so a replayed reply is caught) and certReq (so the reply carries the
 * authority's certificate, which verification needs).
 */
export function buildTimestampRequest(imprintHex: string): TimestampRequest {
  if (!SHA256_HEX.test(imprintHex)) throw new TypeError(`not a SHA-256 hex digest: ${imprintHex}`);
  const nonceBytes = randomBytes(8);
  // A positive INTEGER with no leading zero byte: DER forbids both a sign bit and padding.
  nonceBytes[0] = ((nonceBytes[0] ?? 0) & 0x7f) | 0x40;
  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({
        algorithmId: SHA256_OID,
        algorithmParams: new asn1js.Null(),
      }),
      hashedMessage: new asn1js.OctetString({ valueHex: Buffer.from(imprintHex, 'hex') }),
    }),
    nonce: new asn1js.Integer({ valueHex: nonceBytes }),
    certReq: true,
  });
  return { der: new Uint8Array(request.toSchema().toBER()), nonce: nonceBytes.toString('hex') };
}
