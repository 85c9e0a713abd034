import type { BundleVerification } from '../../../shared/api.js';
import type { MessageKey } from '../i18n/i18n.js';

type Problem = BundleVerification['problems'][number];

/** One check of a bundle as the verify screen lists it: green, or red with its problems named. */
export interface BundleCheck {
  readonly id: string;
  readonly label: MessageKey;
  readonly problems: readonly Problem[];
}

const MISSING_OR_EXTRA = /missing from the bundle|is not listed in|a file was added/;

/** The checks in the order shown; a problem goes to the first check that owns it. */
const CHECKS: readonly { id: string; label: MessageKey; owns: (p: Problem) => boolean }[] = [
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
  const checks = CHECKS.map((c) => ({ id: c.id, label: c.label, problems: [] as Problem[] }));
  const other: Problem[] = [];
  for (const problem of report.problems) {
    const index = CHECKS.findIndex((c) => c.owns(problem));
    if (index === -1) other.push(problem);
    else checks[index]?.problems.push(problem);
  }
  return other.length > 0
    ? [...checks, { id: 'other', label: 'verify.check.other', problems: other }]
    : checks;
}
