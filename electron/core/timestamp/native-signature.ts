/**
 * Checks a CMS signer's signature with Node's own crypto (OpenSSL) instead of pkijs's WebCrypto
 * path, which cost most of a token check: the message-digest attribute must equal the hash of the
 * signed content, and the signature over the DER of the signed attributes must verify with the
 * signing certificate's key. The same rules pkijs's `SignedData.verify` applies; an algorithm not
 * handled here (RSASSA-PSS, for one) gives `undefined` and the caller asks pkijs.
 */
import {
  createHash,
  createPublicKey,
  constants as cryptoConstants,
  type KeyObject,
  verify,
} from 'node:crypto';
import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';

/** The outcome of a signature check, as `runCmsVerify` reports it. */
export interface SignatureOutcome {
  readonly verified: boolean;
  readonly message: string;
}

const ID_CONTENT_TYPE = '1.2.840.113549.1.9.3';
const ID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const DIGEST_BY_OID: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
/** Signature algorithms that name their own digest: RSA PKCS #1 v1.5, ECDSA and Ed25519 (null digest). */
const SIGNATURE_BY_OID: Readonly<Record<string, { readonly digest: string | null; readonly rsa: boolean }>> =
  {
    '1.2.840.113549.1.1.5': { digest: 'sha1', rsa: true },
    '1.2.840.113549.1.1.11': { digest: 'sha256', rsa: true },
    '1.2.840.113549.1.1.12': { digest: 'sha384', rsa: true },
    '1.2.840.113549.1.1.13': { digest: 'sha512', rsa: true },
    '1.2.840.10045.4.3.2': { digest: 'sha256', rsa: false },
    '1.2.840.10045.4.3.3': { digest: 'sha384', rsa: false },
    '1.2.840.10045.4.3.4': { digest: 'sha512', rsa: false },
    '1.3.101.112': { digest: null, rsa: false },
  };

/** Public keys by certificate (certificates are shared objects, see `sharedCertificate`). */
const keys = new WeakMap<pkijs.Certificate, KeyObject>();

function publicKeyOf(certificate: pkijs.Certificate): KeyObject {
  let key = keys.get(certificate);
  if (!key) {
    const spki = Buffer.from(certificate.subjectPublicKeyInfo.toSchema().toBER());
    key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    keys.set(certificate, key);
  }
  return key;
}

/** The bytes a CMS signature covers as content: an OCTET STRING's value, else the whole encoding (as pkijs takes them). */
function contentBytes(eContent: asn1js.OctetString): Uint8Array {
  return eContent.idBlock.tagClass === 1 && eContent.idBlock.tagNumber === 4
    ? new Uint8Array(eContent.getValue())
    : eContent.valueBlock.valueBeforeDecodeView;
}

/**
 * Verifies `signerInfo`'s signature over `eContent` with `signer`'s key, natively; undefined when
 * the algorithms are not among those handled here (the caller then verifies with pkijs).
 */
export function verifySignerNatively(
  signerInfo: pkijs.SignerInfo,
  signer: pkijs.Certificate,
  eContent: asn1js.OctetString,
): SignatureOutcome | undefined {
  const digest = DIGEST_BY_OID[signerInfo.digestAlgorithm.algorithmId];
  const algorithm = signerInfo.signatureAlgorithm.algorithmId;
  const scheme =
    algorithm === RSA_ENCRYPTION ? { digest: digest ?? null, rsa: true } : SIGNATURE_BY_OID[algorithm];
  const attributes = signerInfo.signedAttrs;
  // Without signed attributes the signature covers the content itself: rare in tokens, left to pkijs.
  if (!digest || !scheme || !attributes) return undefined;
  const has = (type: string) => attributes.attributes.find((a) => a.type === type);
  if (!has(ID_CONTENT_TYPE))
    return { verified: false, message: 'the signed attributes lack the mandatory content-type' };
  const messageDigest = has(ID_MESSAGE_DIGEST)?.values?.[0]; // an empty SET leaves no values
  if (!(messageDigest instanceof asn1js.OctetString))
    return { verified: false, message: 'the signed attributes lack the mandatory message-digest' };
  const actual = createHash(digest).update(contentBytes(eContent)).digest();
  if (!actual.equals(Buffer.from(messageDigest.valueBlock.valueHexView)))
    return {
      verified: false,
      message: "the signed content's digest does not match its message-digest attribute",
    };
  try {
    const key = publicKeyOf(signer);
    const signed = new Uint8Array(attributes.encodedValue);
    const signature = signerInfo.signature.valueBlock.valueHexView;
    const ok = scheme.rsa
      ? verify(scheme.digest, signed, { key, padding: cryptoConstants.RSA_PKCS1_PADDING }, signature)
      : verify(scheme.digest, signed, { key, dsaEncoding: 'der' }, signature);
    return { verified: ok, message: ok ? '' : 'the signature value does not match' };
  } catch (error) {
    return { verified: false, message: error instanceof Error ? error.message : String(error) };
  }
}
