import { integrityFindings } from '../integrity.js';
import type { AuditCheck } from './audit-check.js';
import { integrityFindingsOnThread } from './integrity-thread.js';

/**
 * SQLite's own integrity check of the database file (docs/ARCHITECTURE.md, evidence invariant 5), each finding naming
 * the table or index it affects, even where SQLite's whole-file check gives up on a damaged page.
 * It runs on a worker thread of its own (integrity-thread.ts): a minute on a large store, which the
 * app's window and its Cancel would otherwise wait out.
 */
export const databaseIntegrityCheck: AuditCheck = {
  name: 'database integrity',
  run: async ({ db, signal }) => ({
    problems: (
      await integrityFindingsOnThread(db.name, () => integrityFindings(db, 'integrity_check'), signal)
    ).map((finding) => ({
      subject: 'database',
      problem: `SQLite integrity check: ${finding}`,
    })),
  }),
};
