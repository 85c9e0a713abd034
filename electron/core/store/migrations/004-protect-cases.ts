import type { WritableDB } from '../database.js';

/**
 * Cases become append-only like the evidence tables: a case's number and title are what its
 * signed `case.create` entry says, and a renamed or deleted case would silently re-label evidence.
 */
export function migration004ProtectCases(db: WritableDB): void {
  db.exec(`
    CREATE TRIGGER cases_no_update BEFORE UPDATE ON cases
    BEGIN SELECT RAISE(ABORT, 'cases is append-only: a case is never renamed or renumbered'); END;
    CREATE TRIGGER cases_no_delete BEFORE DELETE ON cases
    BEGIN SELECT RAISE(ABORT, 'cases is append-only: a case is never deleted'); END;
  `);
}
