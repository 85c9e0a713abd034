/**
 * The key that signs a WACZ. The WACZ Signing and Verification recommendation signs with ECDSA,
 * and ReplayWeb.page checks an anonymous signature with a P-384 key; the workstation's key is
 * Ed25519, which neither knows. So each workstation has one ECDSA P-384 key derived from its
 * Ed25519 key: no second secret to store, back up or protect, the same key on every export, and
 * available wherever the workstation key signs (a key sealed by the app's keychain included).
 *
 * Derivation: the Ed25519 key signs a fixed message that nothing else ever signs (Ed25519 is
 * deterministic, RFC 8032, so the signature is always the same and known only to the key's
 * holder); HKDF-SHA-384 stretches it into the P-384 private scalar. The Ed25519 key then signs a
 * statement naming the P-384 public key (custos/signer.json), so a recipient who knows the
 * workstation's fingerprint knows the WACZ's signing key is the investigator's.
 */
import { createECDH, createPrivateKey, createPublicKey, hkdfSync, type KeyObject, sign } from 'node:crypto';
import type { Investigator } from '../../../shared/domain.js';
import type { Signer } from '../store/signing-key.js';
import type { KeyBinding } from './wacz-format.js';

/** The message whose Ed25519 signature seeds the derivation; it is never signed for anything else. */
const DERIVATION_MESSAGE =
  'custos WACZ signing key derivation, version 1: ECDSA P-384 from this Ed25519 key\n';
/** The order n of P-384's base point (FIPS 186-4, D.1.2.4). */
const P384_ORDER = BigInt(
  '0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973',
);
const P384_BYTES = 48;

/** The workstation's WACZ signing key: the private key and its public half as SPKI DER in base64. */
export interface WaczSigningKey {
  readonly privateKey: KeyObject;
  /** SPKI DER, base64: `signedData.publicKey`. */
  readonly publicKey: string;
  readonly curve: 'P-384';
}

/** Derives the workstation's ECDSA P-384 key from its Ed25519 key (the same key every time). */
export function deriveWaczSigningKey(signer: Signer): WaczSigningKey {
  const seed = signer.sign(Buffer.from(`${DERIVATION_MESSAGE}${signer.keyFingerprint}\n`, 'utf8'));
  // 64 bytes reduced modulo n-1, plus 1: a scalar in [1, n-1] with negligible bias (FIPS 186-4 B.4.1).
  const okm = Buffer.from(hkdfSync('sha384', seed, 'custos-wacz', 'p-384 private scalar', 64));
  const scalar = (BigInt(`0x${okm.toString('hex')}`) % (P384_ORDER - 1n)) + 1n;
  const d = Buffer.from(scalar.toString(16).padStart(P384_BYTES * 2, '0'), 'hex');
  const ecdh = createECDH('secp384r1');
  ecdh.setPrivateKey(d);
  const point = ecdh.getPublicKey(); // 0x04 ‖ x ‖ y
  const privateKey = createPrivateKey({
    format: 'jwk',
    key: {
      kty: 'EC',
      crv: 'P-384',
      d: d.toString('base64url'),
      x: point.subarray(1, 1 + P384_BYTES).toString('base64url'),
      y: point.subarray(1 + P384_BYTES).toString('base64url'),
    },
  });
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return { privateKey, publicKey: spki.toString('base64'), curve: 'P-384' };
}

/** The recommendation's signature of a `sha256:…` hash string: ECDSA with SHA-256, r‖s, base64. */
export function signDigestHash(key: WaczSigningKey, hash: string): string {
  return sign('sha256', Buffer.from(hash, 'utf8'), {
    key: key.privateKey,
    dsaEncoding: 'ieee-p1363',
  }).toString('base64');
}

/** custos/signer.json: the statement the workstation's Ed25519 key signs about the WACZ key. */
export function keyBinding(key: WaczSigningKey, investigator: Investigator): KeyBinding {
  return {
    statement:
      'The ECDSA key publicKey signs WACZ files (datapackage-digest.json) on behalf of the Custos workstation key keyFingerprint, whose Ed25519 public key is custos/signer.pem.',
    publicKey: key.publicKey,
    curve: key.curve,
    keyFingerprint: investigator.keyFingerprint,
    investigator: { name: investigator.name, agency: investigator.agency, badge: investigator.badge },
  };
}
