import type { BundleVerification } from '../../../shared/api.js';
import type { MessageKey } from '../i18n/i18n.js';

/** One check of a bundle as the verify screen lists it: green, or red with its problems named. */
export interface BundleCheck {
  readonly id: string;
  readonly label: MessageKey;
  readonly problems: readonly { readonly path: string; readonly problem: string }[];
}

const CHECKS: readonly { id: string; label: MessageKey; owns: (path: string) => boolean }[] = [
  { id: 'structure', label: 'verify.check.structure', owns: (p) => p === '(zip)' || p === '(bundle)' },
  {
    id: 'signature',
    label: 'verify.check.signature',
    owns: (p) => p === 'manifest.sig' || p === 'signer.pem',
  },
  { id: 'manifest', label: 'verify.check.manifest', owns: (p) => p === 'manifest.json' },
  { id: 'checksums', label: 'verify.check.checksums', owns: (p) => p === 'SHA256SUMS' },
  { id: 'items', label: 'verify.check.items', owns: (p) => p.startsWith('items/') },
  { id: 'custody', label: 'verify.check.custody', owns: (p) => p.startsWith('custody') },
  { id: 'timestamps', label: 'verify.check.timestamps', owns: (p) => p.startsWith('timestamps/') },
];

/**
 * Sorts the report's problems into the checks a recipient thinks in (structure, signature,
 * checksums, manifest, items, custody, timestamps), each under the first check that owns it (a
 * changed artifact that no longer matches SHA256SUMS fails the checksum check); anything else
 * falls under "no missing or extra files".
 */
export function bundleChecks(report: BundleVerification): BundleCheck[] {
  const checks = CHECKS.map((c) => ({
    id: c.id,
    label: c.label,
    problems: [] as BundleCheck['problems'][number][],
  }));
  const other: BundleCheck['problems'][number][] = [];
  for (const problem of report.problems) {
    const index = CHECKS.findIndex((c) => c.owns(problem.path));
    if (index === -1) other.push(problem);
    else checks[index]?.problems.push(problem);
  }
  return [...checks, { id: 'files', label: 'verify.check.files', problems: other }];
}
