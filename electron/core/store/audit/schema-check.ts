import { schemaFindings } from '../store-schema.js';
import type { AuditCheck } from './audit-check.js';

/**
 * The database's tables, indexes, views and triggers against those Custos's migrations make at the
 * schema version it records: a dropped append-only trigger (the evidence could then be edited), an
 * added view, an altered table, or a version set back below what the tables are, each named.
 */
export const schemaCheck: AuditCheck = {
  name: 'database schema',
  run: ({ db }) => ({
    problems: schemaFindings(db).map((problem) => ({ subject: 'database schema', problem })),
  }),
};
