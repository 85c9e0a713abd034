import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { RUN_AGAIN } from '../errors.js';
import { certificateDer, pemCertificatesToDer, sharedCertificate, subjectName } from './certificates.js';
import { validateSignerChain } from './chain-validation.js';
import { type SignatureOutcome, verifySignerNatively } from './native-signature.js';
import { SHA256_OID } from './timestamp-request.js';
import { untrustedForStore } from './trust-advice.js';
import { trustAnchors } from './trusted-roots.js';

/** Why a token is not accepted; each names one distinct fault. */
export type TokenProblemReason =
  | 'malformed'
  | 'rejected'
  | 'unsupported-imprint'
  | 'imprint-mismatch'
  | 'nonce-mismatch'
  | 'signer-certificate-missing'
  | 'signer-not-bound'
  | 'not-a-timestamping-certificate'
  | 'signature-invalid'
  | 'untrusted-authority';

/** One fault found in a token, with a sentence for a person. */
export interface TokenProblem {
  readonly reason: TokenProblemReason;
  readonly message: string;
}

/** What verifying a token found. `ok` is true only when there is no problem at all. */
export interface TokenVerification {
  readonly ok: boolean;
  /** The authority's time (UTC, ISO 8601 with milliseconds), when the token could be read. */
  readonly genTime: string | null;
  /** The signing certificate's subject, e.g. `CN=…, O=…`. */
  readonly tsa: string | null;
  /** The imprint the token covers (hex). */
  readonly imprint: string | null;
  /** The token's serial number (hex) and the authority's policy OID. */
  readonly serial: string | null;
  readonly policy: string | null;
  /** The certificate path that was validated, signing certificate first, as PEM (empty if none was). */
  readonly chain: readonly string[];
  readonly problems: readonly TokenProblem[];
}

/** Options of `verifyToken`. */
export interface VerifyTokenOptions {
  /** The nonce sent in the request (hex): a client checks the reply answers its own request. */
  readonly expectedNonce?: string;
  /** Intermediate certificates to help build the path (e.g. a stored chain); never trusted as roots. */
  readonly untrustedPem?: readonly string[];
  /** Trust Node's root list as well as `trustedRootsPem` (default true). */
  readonly includeSystemRoots?: boolean;
}

const ID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const ID_CT_TST_INFO = '1.2.840.113549.1.9.16.1.4';
const ID_CONTENT_TYPE = '1.2.840.113549.1.9.3';
const ID_SIGNING_CERTIFICATE_V2 = '1.2.840.113549.1.9.16.2.47';
const ID_SIGNING_CERTIFICATE = '1.2.840.113549.1.9.16.2.12';
const ID_EXT_KEY_USAGE = '2.5.29.37';
const ID_KP_TIME_STAMPING = '1.3.6.1.5.5.7.3.8';
const HASH_BY_OID: Readonly<Record<string, string>> = {
  [SHA256_OID]: 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '1.3.14.3.2.26': 'sha1',
};
/** PKIFailureInfo bit numbers (RFC 3161 section 2.4.2). */
const FAIL_INFO_NAMES: Readonly<Record<number, string>> = {
  0: 'badAlg',
  2: 'badRequest',
  5: 'badDataFormat',
  14: 'timeNotAvailable',
  15: 'unacceptedPolicy',
  16: 'unacceptedExtension',
  17: 'addInfoNotAvailable',
  25: 'systemFailure',
};
const STATUS_NAMES = [
  'granted',
  'grantedWithMods',
  'rejection',
  'waiting',
  'revocationWarning',
  'revocationNotification',
];

/**
 * Verifies an RFC 3161 token as stored (a DER TimeStampResp) without any store: the authority
 * granted it; it covers `expectedImprintHex` with SHA-256; its signed attributes bind the signing
 * certificate (ESSCertIDv2, or ESSCertID from older authorities); that certificate carries the
 * critical timeStamping usage; the signature holds; and the certificate chains to one of the trusted
 * roots (Node's plus `trustedRootsPem`) with every certificate valid at the token's genTime — so a
 * token stays valid after its authority's certificate expires. Never throws on bad input.
 */
export async function verifyToken(
  der: Uint8Array,
  expectedImprintHex: string,
  trustedRootsPem: readonly string[],
  options: VerifyTokenOptions = {},
): Promise<TokenVerification> {
  const checked = await checkedToken(der, options.untrustedPem ?? []);
  if ('problem' in checked) return failed([checked.problem]);
  const { tstInfo } = checked;
  const problems: TokenProblem[] = [];
  const genTime = tstInfo.genTime.toISOString();
  const imprint = hex(tstInfo.messageImprint.hashedMessage.valueBlock.valueHexView);
  const facts = {
    genTime,
    imprint,
    serial: hex(tstInfo.serialNumber.valueBlock.valueHexView),
    policy: tstInfo.policy,
  };

  if (tstInfo.messageImprint.hashAlgorithm.algorithmId !== SHA256_OID) {
    problems.push({
      reason: 'unsupported-imprint',
      message: `the token's imprint uses algorithm ${tstInfo.messageImprint.hashAlgorithm.algorithmId}, not SHA-256`,
    });
  } else if (imprint !== expectedImprintHex.toLowerCase()) {
    problems.push({
      reason: 'imprint-mismatch',
      message: `the token covers the digest ${imprint}, not ${expectedImprintHex.toLowerCase()}`,
    });
  }
  if (options.expectedNonce !== undefined) {
    const got = tstInfo.nonce ? tstInfo.nonce.toBigInt() : undefined;
    if (got !== BigInt(`0x${options.expectedNonce}`)) {
      problems.push({
        reason: 'nonce-mismatch',
        message: `the reply carries ${got === undefined ? 'no nonce' : `nonce ${got.toString(16)}`}, not the nonce sent (${options.expectedNonce}): it does not answer this request (a replayed or misdirected reply)`,
      });
    }
  }

  if (!checked.signer) {
    problems.push({
      reason: 'signer-certificate-missing',
      message:
        "the token does not carry the authority's signing certificate, so its signature cannot be checked",
    });
    return { ...failed(problems), ...facts };
  }
  const { signer, certificates, tsa, signature } = checked;
  problems.push(...checked.attributeProblems);
  if (!checked.timeStampingUsage) {
    problems.push({
      reason: 'not-a-timestamping-certificate',
      message: `the signing certificate (${tsa}) lacks the critical timeStamping extended key usage RFC 3161 requires`,
    });
  }
  if (!signature.verified) {
    problems.push({
      reason: 'signature-invalid',
      message: `the token's signature does not verify (${signature.message}): it was changed after the authority signed it`,
    });
  }
  const trusted = trustAnchors(trustedRootsPem, certificates, {
    includeSystemRoots: options.includeSystemRoots,
  });
  // A chain is only worth validating under a sound signature (and only then is its result cached).
  const chain = signature.verified
    ? await validateSignerChain(checked.cms, signer, certificates, trusted, tstInfo.genTime)
    : { verified: false, message: signature.message, pathPem: [] };
  if (signature.verified && !chain.verified) {
    problems.push({
      reason: 'untrusted-authority',
      // Kept in the CLI's words (a refused stamp's reason is stored); the app's API words it its way.
      message: untrustedForStore(
        `the authority's certificate (${tsa}) does not chain to a trusted root valid at ${genTime} (${chain.message})`,
        RUN_AGAIN,
      ),
    });
  }
  return {
    ok: problems.length === 0,
    ...facts,
    tsa,
    chain: chain.pathPem,
    problems,
  };
}

/** What a token yields before any trust decision: its certificates, its signer and whether the signature holds. */
interface CheckedToken {
  readonly tstInfo: pkijs.TSTInfo;
  readonly cms: pkijs.SignedData;
  readonly certificates: readonly pkijs.Certificate[];
  readonly signer: pkijs.Certificate | undefined;
  readonly tsa: string;
  readonly attributeProblems: readonly TokenProblem[];
  readonly timeStampingUsage: boolean;
  readonly signature: SignatureOutcome;
}

/**
 * The last few tokens checked, by the hash of their bytes and of the certificates given to help:
 * verify and the trust classification ask about the same token several times (against the
 * recipient's roots, the public ones, the investigator's), and its signature needs checking once.
 */
const checkedTokens = new Map<string, Promise<CheckedToken | { problem: TokenProblem }>>();
const CHECKED_TOKENS_KEPT = 8;

function checkedToken(
  der: Uint8Array,
  untrustedPem: readonly string[],
): Promise<CheckedToken | { problem: TokenProblem }> {
  const key = createHash('sha256')
    .update(der)
    .update(`\0${untrustedPem.join('\0')}`)
    .digest('hex');
  let checked = checkedTokens.get(key);
  if (checked) checkedTokens.delete(key);
  else {
    const parsed = parseToken(der);
    checked = 'problem' in parsed ? Promise.resolve(parsed) : checkToken(parsed, untrustedPem);
  }
  checkedTokens.set(key, checked);
  if (checkedTokens.size > CHECKED_TOKENS_KEPT) checkedTokens.delete(checkedTokens.keys().next().value!);
  return checked;
}

async function checkToken(
  { signedData, certificates: embedded, tstInfo }: Extract<ParsedToken, { signedData: pkijs.SignedData }>,
  untrustedPem: readonly string[],
): Promise<CheckedToken> {
  const signerInfo = signedData.signerInfos[0];
  // The same certificate bytes give the same object in every token, so what is learnt about it is kept.
  const certificates = [
    ...embedded,
    ...untrustedPem.flatMap((pem) => pemCertificatesToDer(pem)).flatMap(tryParse),
  ];
  const signer = signerInfo ? findSigner(signerInfo, certificates) : undefined;
  // pkijs verifies a TSTInfo only against the timestamped data itself, which a verifier of a digest
  // does not have; the imprint is compared by the caller, so the CMS is checked as plain signed content.
  const cms = signedData;
  const eContent = signedData.encapContentInfo.eContent;
  cms.encapContentInfo.eContentType = pkijs.ContentInfo.DATA;
  cms.certificates = certificates;
  if (!signerInfo || !signer)
    return {
      tstInfo,
      cms,
      certificates,
      signer: undefined,
      tsa: '',
      attributeProblems: [],
      timeStampingUsage: false,
      signature: { verified: false, message: 'no signer' },
    };
  const signature =
    (eContent && verifySignerNatively(signerInfo, signer, eContent)) ??
    (await runCmsVerify(cms, { checkChain: false, checkDate: tstInfo.genTime }));
  return {
    tstInfo,
    cms,
    certificates,
    signer,
    tsa: subjectName(signer),
    attributeProblems: checkSignedAttributes(signerInfo, signer),
    timeStampingUsage: hasCriticalTimeStampingUsage(signer),
    signature,
  };
}

type ParsedToken =
  | {
      signedData: pkijs.SignedData;
      /** The certificates the token carries, parsed once per process (`sharedCertificate`). */
      certificates: pkijs.Certificate[];
      tstInfo: pkijs.TSTInfo;
    }
  | { problem: TokenProblem };

function parseToken(der: Uint8Array): ParsedToken {
  const malformed = (detail: string): { problem: TokenProblem } => ({
    problem: { reason: 'malformed', message: `not a valid RFC 3161 TimeStampResp: ${detail}` },
  });
  let asn1: ReturnType<typeof asn1js.fromBER>;
  try {
    // asn1js reports most undecodable bytes in its result, but throws for a GeneralizedTime whose
    // text is not a time ("Wrong input string for conversion"): random bytes from an authority, or
    // a token in a received bundle, must still be a malformed token, never a crashed command.
    asn1 = asn1js.fromBER(der);
  } catch (error) {
    return malformed(`it is not DER (${error instanceof Error ? error.message : String(error)})`);
  }
  if (asn1.offset === -1) return malformed(`it is not DER (${asn1.result.error || 'undecodable'})`);
  if (asn1.offset !== der.byteLength)
    return malformed(`${der.byteLength - asn1.offset} stray byte(s) follow it`);
  let response: pkijs.TimeStampResp;
  try {
    response = new pkijs.TimeStampResp({ schema: asn1.result });
  } catch {
    return malformed('its structure is not a TimeStampResp');
  }
  const status = response.status.status;
  if (status !== pkijs.PKIStatus.granted && status !== pkijs.PKIStatus.grantedWithMods) {
    return { problem: { reason: 'rejected', message: describeRefusal(response.status) } };
  }
  const contentInfo = response.timeStampToken;
  if (!contentInfo || contentInfo.contentType !== ID_SIGNED_DATA)
    return malformed('it holds no signed token');
  try {
    // The certificates are parsed apart, each once per process: pkijs parsing them again inside
    // every token cost a third of a token check. A certificate that cannot be read still fails it.
    const content = contentInfo.content as asn1js.Sequence;
    const certificates = embeddedCertificateDers(content).map((certificate) =>
      sharedCertificate(certificate),
    );
    const signedData = new pkijs.SignedData({
      schema: new asn1js.Sequence({ value: content.valueBlock.value.filter((b) => !isCertificateSet(b)) }),
    });
    const eContent = signedData.encapContentInfo.eContent;
    if (signedData.encapContentInfo.eContentType !== ID_CT_TST_INFO || !eContent) {
      return malformed('the signed content is not a TSTInfo');
    }
    return { signedData, certificates, tstInfo: pkijs.TSTInfo.fromBER(eContent.getValue()) };
  } catch (error) {
    return malformed(`the signed token cannot be read (${error instanceof Error ? error.message : error})`);
  }
}

function describeRefusal(status: pkijs.PKIStatusInfo): string {
  const text = (status.statusStrings ?? []).map((s) => s.valueBlock.value).join(' ');
  const bits = status.failInfo ? setBits(status.failInfo) : [];
  const reasons = bits.map((bit) => FAIL_INFO_NAMES[bit] ?? `bit ${bit}`);
  return `the authority refused the request: status ${STATUS_NAMES[status.status] ?? status.status}${text ? ` ("${text}")` : ''}${reasons.length ? `, ${reasons.join(', ')}` : ''}`;
}

function setBits(bitString: asn1js.BitString): number[] {
  const bytes = bitString.valueBlock.valueHexView;
  const bits: number[] = [];
  bytes.forEach((byte, index) => {
    for (let bit = 0; bit < 8; bit++) if (byte & (0x80 >> bit)) bits.push(index * 8 + bit);
  });
  return bits;
}

/** The signer's certificate, by issuer and serial number or by subject key identifier (RFC 5652). */
function findSigner(signerInfo: pkijs.SignerInfo, certificates: readonly pkijs.Certificate[]) {
  const sid = signerInfo.sid;
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    return certificates.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber));
  }
  const block = sid as asn1js.Constructed & asn1js.OctetString;
  const keyId = block.idBlock.isConstructed
    ? (block.valueBlock.value[0] as asn1js.OctetString).valueBlock.valueHexView
    : block.valueBlock.valueHexView;
  return certificates.find(
    (c) =>
      createHash('sha1')
        .update(c.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView)
        .digest('hex') === hex(keyId),
  );
}

/** The content-type attribute names a TSTInfo, and an ESS attribute binds the signing certificate. */
function checkSignedAttributes(signerInfo: pkijs.SignerInfo, signer: pkijs.Certificate): TokenProblem[] {
  const attributes = signerInfo.signedAttrs?.attributes ?? [];
  const problems: TokenProblem[] = [];
  const contentType = attributes.find((a) => a.type === ID_CONTENT_TYPE)?.values?.[0];
  if (
    !(contentType instanceof asn1js.ObjectIdentifier) ||
    contentType.valueBlock.toString() !== ID_CT_TST_INFO
  ) {
    problems.push({
      reason: 'malformed',
      message: 'the signed content-type attribute does not name a TSTInfo',
    });
  }
  const v2 = attributes.find((a) => a.type === ID_SIGNING_CERTIFICATE_V2)?.values?.[0];
  const v1 = attributes.find((a) => a.type === ID_SIGNING_CERTIFICATE)?.values?.[0];
  const certHash = v2 ? essCertHash(v2, 'sha256') : v1 ? essCertHash(v1, 'sha1', true) : undefined;
  if (!certHash) {
    problems.push({
      reason: 'signer-not-bound',
      message:
        'the token has no readable signing-certificate attribute (ESSCertIDv2), so its certificate could be swapped',
    });
  } else {
    const actual = createHash(certHash.algorithm).update(certificateDer(signer)).digest('hex');
    if (actual !== certHash.hash) {
      problems.push({
        reason: 'signer-not-bound',
        message: `the signing-certificate attribute names another certificate (${certHash.algorithm} ${certHash.hash}) than the one that signed (${actual})`,
      });
    }
  }
  return problems;
}

/** The first certificate hash of a SigningCertificate(V2) attribute value (RFC 5035 / RFC 2634). */
function essCertHash(
  value: unknown,
  defaultAlgorithm: string,
  v1 = false,
): { algorithm: string; hash: string } | undefined {
  const certs = (value as asn1js.Sequence).valueBlock?.value?.[0] as asn1js.Sequence | undefined;
  const first = certs?.valueBlock?.value?.[0] as asn1js.Sequence | undefined;
  const fields = first?.valueBlock?.value ?? [];
  let algorithm = defaultAlgorithm;
  let index = 0;
  if (!v1 && fields[0] instanceof asn1js.Sequence) {
    const oid = fields[0].valueBlock.value[0];
    const name = oid instanceof asn1js.ObjectIdentifier ? HASH_BY_OID[oid.valueBlock.toString()] : undefined;
    if (!name) return undefined;
    algorithm = name;
    index = 1;
  }
  const hash = fields[index];
  return hash instanceof asn1js.OctetString
    ? { algorithm, hash: hex(hash.valueBlock.valueHexView) }
    : undefined;
}

function hasCriticalTimeStampingUsage(certificate: pkijs.Certificate): boolean {
  const extension = certificate.extensions?.find((e) => e.extnID === ID_EXT_KEY_USAGE);
  const usage = extension?.parsedValue as pkijs.ExtKeyUsage | undefined;
  return Boolean(extension?.critical && usage?.keyPurposes?.includes(ID_KP_TIME_STAMPING));
}

async function runCmsVerify(
  cms: pkijs.SignedData,
  params: { checkChain: boolean; checkDate: Date; trustedCerts?: pkijs.Certificate[] },
): Promise<{ verified: boolean; message: string; path: pkijs.Certificate[] }> {
  try {
    const result = await cms.verify({ signer: 0, extendedMode: true, ...params });
    return {
      verified: result.signatureVerified === true,
      message: result.signatureVerified ? '' : 'the signature value does not match',
      path: result.certificatePath,
    };
  } catch (error) {
    return { verified: false, message: error instanceof Error ? error.message : String(error), path: [] };
  }
}

/** Whether a SignedData member is its `[0] certificates` set. */
function isCertificateSet(block: asn1js.AsnType): boolean {
  return block.idBlock.tagClass === 3 && block.idBlock.tagNumber === 0;
}

/** The exact DER of each X.509 certificate a SignedData carries (its `[0] certificates` set), in order. */
function embeddedCertificateDers(content: asn1js.Sequence): Uint8Array[] {
  const set = content.valueBlock.value.find(isCertificateSet);
  const members = (set?.valueBlock as { value?: asn1js.AsnType[] } | undefined)?.value ?? [];
  return members
    .filter((b) => b.idBlock.tagClass === 1 && b.idBlock.tagNumber === 16)
    .map((b) => b.valueBeforeDecodeView);
}

function tryParse(der: Uint8Array): pkijs.Certificate[] {
  try {
    return [sharedCertificate(der)];
  } catch {
    return [];
  }
}

function failed(problems: TokenProblem[]): TokenVerification {
  return {
    ok: false,
    genTime: null,
    tsa: null,
    imprint: null,
    serial: null,
    policy: null,
    chain: [],
    problems,
  };
}

function hex(bytes: ArrayBuffer | Uint8Array): string {
  return Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('hex');
}
