import { auditReceivedBundles } from '../bundle/audit-received.js';
import { auditSelectors } from '../selectors/audit-selectors.js';
import { anchorCheck } from '../store/audit/anchor-check.js';
import { annotationCheck } from '../store/audit/annotation-check.js';
import type { AuditCheck } from '../store/audit/audit-check.js';
import { artifactBlobCheck, blobFolderCheck } from '../store/audit/blob-checks.js';
import { caseCheck } from '../store/audit/case-check.js';
import { databaseIntegrityCheck } from '../store/audit/database-check.js';
import { identityCheck } from '../store/audit/identity-check.js';
import { itemCheck } from '../store/audit/item-check.js';
import { ledgerCheck } from '../store/audit/ledger-check.js';
import { schemaCheck } from '../store/audit/schema-check.js';
import { timestampTokenCheck } from '../store/audit-timestamps.js';
import { auditWatches } from '../watch/audit-watches.js';

/**
 * Every check `custos audit` runs, in order (docs/ARCHITECTURE.md, evidence invariant 5). Each layer owns its checks;
 * adding one here is all it takes for the CLI, the app and the tests to run it. The blob folder
 * check comes last: it reports the blobs that none of the others referenced.
 */
export const AUDIT_CHECKS: readonly AuditCheck[] = [
  databaseIntegrityCheck,
  schemaCheck,
  ledgerCheck,
  anchorCheck,
  identityCheck,
  caseCheck,
  itemCheck,
  annotationCheck,
  artifactBlobCheck,
  timestampTokenCheck,
  { name: 'received bundles', run: ({ db }) => ({ problems: auditReceivedBundles(db) }) },
  { name: 'watches', run: ({ db }) => ({ problems: auditWatches(db) }) },
  { name: 'selectors', run: ({ db }) => ({ problems: auditSelectors(db) }) },
  blobFolderCheck,
];
