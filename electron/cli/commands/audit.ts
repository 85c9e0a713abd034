import type { Command } from 'commander';
import { integrityFailure } from '../../core/errors.js';
import { outputFor, sayWaitingForSettle, storeDirFor } from '../context.js';
import { formatBytes } from '../output.js';

/** `custos audit` */
export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description(
      're-hash every blob, recompute every item digest, walk the ledger chain, check every signature against the key store.json anchors, compare the schema with the one Custos makes and run SQLite integrity_check; exit 1 when anything differs',
    )
    .addHelpText('after', '\nExamples:\n  custos audit\n  custos audit --json > audit-2026-05-12.json')
    .action(async function (this: Command) {
      // Opened for the audit: a database that no longer matches its anchor is named among the problems.
      const out = outputFor(this);
      const { EvidenceStore } = await import('../../core/store/evidence-store.js');
      const { runAudit } = await import('../../core/audit/run-audit.js');
      const beforeReading = sayWaitingForSettle(out);
      const beforeReport = sayWaitingForSettle(out, 'giving its report'); // a write took the lock as the audit ended
      const beforeAgain = sayWaitingForSettle(out, 'auditing the restored store'); // after the note that it does
      const store = await EvidenceStore.openForReadingWhenSettled(storeDirFor(this), {
        forAudit: true,
        onWait: beforeReading,
      });
      try {
        const report = await runAudit(
          store,
          (progress) =>
            out.progress({
              ...progress,
              label: `${progress.label} ${formatBytes(progress.done)} of ${formatBytes(progress.total)}`,
            }),
          undefined,
          undefined,
          {
            onWait: (holder, stage) => (stage === 'end' ? beforeReport : beforeAgain)(holder),
            onRestored: () =>
              out.message(
                'note: the store was restored while the audit ran; auditing the restored store again',
              ),
          },
        );
        out.progressDone();
        if (out.json) out.result(report);
        else {
          const { counts } = report;
          out.line(
            `Audited ${counts.items} items, ${counts.artifacts} artifacts, ${counts.blobs} blobs (${formatBytes(counts.bytes)}), ${counts.ledgerEntries} custody entries.`,
          );
          for (const problem of report.problems) out.line(`PROBLEM  ${problem.subject}: ${problem.problem}`);
          for (const notice of report.notices) out.line(`notice   ${notice.subject}: ${notice.problem}`);
          out.line(
            report.clean
              ? 'Clean: everything matches.'
              : `FAILED: ${report.problems.length} problem(s) found.`,
          );
        }
        if (!report.clean)
          throw integrityFailure(`audit found ${report.problems.length} problem(s)`, { cause: 'reported' });
      } finally {
        out.progressDone(); // an error that ends the audit is printed on a line of its own
        store.close();
      }
    });
}
