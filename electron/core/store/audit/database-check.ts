import type { AuditCheck } from './audit-check.js';

/** SQLite's own integrity check of the database file (DESIGN.md invariant 5). */
export const databaseIntegrityCheck: AuditCheck = {
  name: 'database integrity',
  run: ({ db }) => ({
    problems: (db.pragma('integrity_check') as { integrity_check: string }[])
      .filter((row) => row.integrity_check !== 'ok')
      .map((row) => ({ subject: 'database', problem: `SQLite integrity check: ${row.integrity_check}` })),
  }),
};
