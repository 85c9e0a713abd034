import type { BundleVerification, WaczVerification } from '../../../shared/api.js';
import type { MessageKey } from '../i18n/i18n.js';

type Problem = BundleVerification['problems'][number];

/** One check of a bundle as the verify screen lists it: green, or red with its problems named. */
export interface BundleCheck {
  readonly id: string;
  readonly label: MessageKey;
  readonly problems: readonly Problem[];
}

const MISSING_OR_EXTRA = /missing from the (bundle|WACZ)|is not listed in|a file was added|listed twice/;

/** A check as defined: what it is called and which problems are its own. */
interface CheckDefinition {
  readonly id: string;
  readonly label: MessageKey;
  readonly owns: (p: Problem) => boolean;
}

/** A bundle's checks in the order shown; a problem goes to the first check that owns it. */
const CHECKS: readonly CheckDefinition[] = [
  {
    id: 'structure',
    label: 'verify.check.structure',
    owns: (p) => p.path === '(zip)' || p.path === '(bundle)',
  },
  {
    id: 'signature',
    label: 'verify.check.signature',
    owns: (p) =>
      p.path === 'manifest.sig' ||
      p.path === 'SHA256SUMS.sig' ||
      p.path === 'signer.pem' ||
      /signed by key/.test(p.problem),
  },
  { id: 'files', label: 'verify.check.files', owns: (p) => MISSING_OR_EXTRA.test(p.problem) },
  {
    id: 'checksums',
    label: 'verify.check.checksums',
    owns: (p) => p.path === 'SHA256SUMS' || p.problem.includes('SHA256SUMS'),
  },
  { id: 'manifest', label: 'verify.check.manifest', owns: (p) => p.path === 'manifest.json' },
  { id: 'items', label: 'verify.check.items', owns: (p) => p.path.startsWith('items/') },
  { id: 'custody', label: 'verify.check.custody', owns: (p) => p.path.startsWith('custody') },
  { id: 'timestamps', label: 'verify.check.timestamps', owns: (p) => p.path.startsWith('timestamps/') },
];

/**
 * Sorts the report's problems into the checks a recipient thinks in: structure, signature, missing
 * or extra files, checksums, manifest, items, custody, timestamps. A changed artifact fails both
 * the checksum check and the item check, as the verifier reports it twice. Anything no check owns
 * is listed under "other problems", so nothing the verifier said is hidden.
 */
export function bundleChecks(report: BundleVerification): BundleCheck[] {
  return sortProblems(report.problems, CHECKS);
}

/** A WACZ's checks (`custos verify FILE.wacz`) in the order shown; the first owner takes a problem. */
const WACZ_CHECKS: readonly CheckDefinition[] = [
  { id: 'structure', label: 'verify.check.structure', owns: (p) => p.path === '(zip)' },
  { id: 'files', label: 'verify.check.waczFiles', owns: (p) => MISSING_OR_EXTRA.test(p.problem) },
  {
    id: 'resources',
    label: 'verify.check.resources',
    owns: (p) => /differs from datapackage\.json|datapackage\.json says/.test(p.problem),
  },
  { id: 'datapackage', label: 'verify.check.datapackage', owns: (p) => p.path === 'datapackage.json' },
  { id: 'timestamps', label: 'verify.check.timestamps', owns: (p) => p.problem.startsWith('timestamp') },
  {
    id: 'signature',
    label: 'verify.check.waczSignature',
    owns: (p) => p.path === 'datapackage-digest.json' || p.path.startsWith('custos/signer'),
  },
  {
    id: 'pages',
    label: 'verify.check.pages',
    owns: (p) =>
      p.path.startsWith('custos/') || p.path.startsWith('pages/') || /capture record/.test(p.problem),
  },
];

/**
 * Sorts a WACZ report's problems into the checks of the WACZ signing recommendation and Custos's
 * own records: structure, missing or extra files, resource hashes, datapackage.json and its digest,
 * the timestamp, the signature, the pages and capture records; anything else under "other problems".
 */
export function waczChecks(report: WaczVerification): BundleCheck[] {
  return sortProblems(report.problems, WACZ_CHECKS);
}

/** Puts each problem under the first check that owns it; the rest under "other problems". */
function sortProblems(problems: readonly Problem[], definitions: readonly CheckDefinition[]): BundleCheck[] {
  const checks = definitions.map((c) => ({ id: c.id, label: c.label, problems: [] as Problem[] }));
  const other: Problem[] = [];
  for (const problem of problems) {
    const index = definitions.findIndex((c) => c.owns(problem));
    if (index === -1) other.push(problem);
    else checks[index]?.problems.push(problem);
  }
  return other.length > 0
    ? [...checks, { id: 'other', label: 'verify.check.other', problems: other }]
    : checks;
}
