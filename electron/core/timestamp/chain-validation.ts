/**
 * Validates a token signer's certificate chain to the trust anchors at the token's genTime, with
 * pkijs's chain engine as `SignedData.verify({ checkChain: true })` runs it, and remembers the
 * outcome: an authority signs thousands of tokens with one certificate, and its chain needs
 * validating once. The outcome depends only on the certificates (their exact DER), the anchors and
 * which of them are within their validity period at genTime, so that is the key: a token whose
 * genTime falls on the other side of any certificate's notBefore or notAfter is validated afresh.
 * Tokens that carry revocation data (CRLs, OCSP) are validated every time.
 */
import { createHash } from 'node:crypto';
import * as pkijs from 'pkijs';
import { certificateDer, derToPem } from './certificates.js';

/** Whether the chain holds, why not, and the path validated (signing certificate first, PEM). */
export interface ChainOutcome {
  readonly verified: boolean;
  readonly message: string;
  readonly pathPem: readonly string[];
}

const OCSP_REVOCATION_FORMAT = '1.3.6.1.5.5.7.48.1.1';
const outcomes = new Map<string, ChainOutcome>();
const OUTCOMES_KEPT = 256;

/** A certificate's identity (SHA-256 of its DER) and validity period, computed once per parsed certificate. */
const facts = new WeakMap<
  pkijs.Certificate,
  { readonly id: string; readonly from: number; readonly to: number }
>();

function factsOf(certificate: pkijs.Certificate) {
  let known = facts.get(certificate);
  if (!known) {
    known = {
      id: createHash('sha256').update(certificateDer(certificate)).digest('hex'),
      from: certificate.notBefore.value.getTime(),
      to: certificate.notAfter.value.getTime(),
    };
    facts.set(certificate, known);
  }
  return known;
}

/** The cache key: the signer, every certificate and anchor by its DER hash, each with whether it is valid at `at`. */
function chainKey(
  signer: pkijs.Certificate,
  certificates: readonly pkijs.Certificate[],
  anchors: readonly pkijs.Certificate[],
  at: number,
): string {
  const line = (certificate: pkijs.Certificate) => {
    const { id, from, to } = factsOf(certificate);
    return `${id}:${from <= at && at <= to ? 1 : 0}`;
  };
  return [
    `signer ${line(signer)}`,
    `certificates ${[...new Set(certificates.map(line))].sort().join(' ')}`,
    `anchors ${[...new Set(anchors.map(line))].sort().join(' ')}`,
  ].join('\n');
}

/** Whether `cms` carries revocation data, which makes the outcome depend on more than the key. */
function hasRevocationData(cms: pkijs.SignedData): boolean {
  return (cms.crls?.length ?? 0) > 0 || (cms.ocsps?.length ?? 0) > 0;
}

/** Validates the signer's chain to `anchors` at `genTime` (cached, see the module comment). */
export async function validateSignerChain(
  cms: pkijs.SignedData,
  signer: pkijs.Certificate,
  certificates: readonly pkijs.Certificate[],
  anchors: readonly pkijs.Certificate[],
  genTime: Date,
): Promise<ChainOutcome> {
  const key = hasRevocationData(cms) ? null : chainKey(signer, certificates, anchors, genTime.getTime());
  const known = key === null ? undefined : outcomes.get(key);
  if (known) return known;
  const outcome = await runChainEngine(cms, signer, certificates, anchors, genTime);
  if (key !== null) {
    if (outcomes.size >= OUTCOMES_KEPT) outcomes.clear();
    outcomes.set(key, outcome);
  }
  return outcome;
}

/** pkijs's chain validation, set up exactly as `SignedData.verify` sets it up with `checkChain`. */
async function runChainEngine(
  cms: pkijs.SignedData,
  signer: pkijs.Certificate,
  certificates: readonly pkijs.Certificate[],
  anchors: readonly pkijs.Certificate[],
  checkDate: Date,
): Promise<ChainOutcome> {
  const engine = new pkijs.CertificateChainValidationEngine({
    checkDate,
    certs: certificates.filter((certificate) => pkijs.checkCA(certificate, signer) !== null),
    trustedCerts: [...anchors],
  });
  engine.certs.push(signer);
  for (const crl of cms.crls ?? []) {
    if ('thisUpdate' in crl) engine.crls.push(crl);
    else if (crl.otherRevInfoFormat === OCSP_REVOCATION_FORMAT)
      engine.ocsps.push(new pkijs.BasicOCSPResponse({ schema: crl.otherRevInfo }));
  }
  engine.ocsps.push(...(cms.ocsps ?? []));
  try {
    const result = await engine.verify({ passedWhenNotRevValues: false });
    return result.result
      ? {
          verified: true,
          message: '',
          pathPem: (result.certificatePath ?? []).map((c) => derToPem(certificateDer(c))),
        }
      : {
          verified: false,
          message: `Validation of signer's certificate failed: ${result.resultMessage}`,
          pathPem: [],
        };
  } catch (error) {
    const detail =
      error instanceof Object && 'resultMessage' in error ? String(error.resultMessage) : String(error);
    return {
      verified: false,
      message: `Validation of signer's certificate failed with error: ${detail}`,
      pathPem: [],
    };
  }
}
