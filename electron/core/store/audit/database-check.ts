import { integrityFindings } from '../integrity.js';
import type { AuditCheck } from './audit-check.js';

/**
 * SQLite's own integrity check of the database file (docs/ARCHITECTURE.md, evidence invariant 5), each finding naming
 * the table or index it affects, even where SQLite's whole-file check gives up on a damaged page.
 */
export const databaseIntegrityCheck: AuditCheck = {
  name: 'database integrity',
  run: ({ db }) => ({
    problems: integrityFindings(db, 'integrity_check').map((finding) => ({
      subject: 'database',
      problem: `SQLite integrity check: ${finding}`,
    })),
  }),
};
