import type { AuditReport, Problem, Progress } from '../../../shared/domain.js';
import { Cancelled, throwIfCancelled } from '../cancel.js';
import { asSentence, type CustosError, failureSaying, type NextStep, RUN_AGAIN } from '../errors.js';
import type { AuditCheck, AuditContext } from '../store/audit/audit-check.js';
import { EvidenceStore } from '../store/evidence-store.js';
import { restoreMovedAfter } from '../store/restore-pending.js';
import { readAnchor } from '../store/store-anchor.js';
import { AUDIT_CHECKS } from './audit-checks.js';

/** What the audit tells its caller of a restore beside it (restore-pending.ts). */
export interface AuditRestoreNotes {
  /**
   * Told, when another process holds the writer lock beside `restore-pending.json`, who that is:
   * as the audit ends (`end`: `restoreMovedAfter` waits for it before the report), or as it opens
   * the restored store to audit it again (`open`: `openForReadingWhenSettled` waits for it).
   */
  readonly onWait?: (holder: string | null, stage: 'open' | 'end') => void;
  /** Told when a restore overtook the audit, before it audits the restored store again. */
  readonly onRestored?: () => void;
  /**
   * The caller's cancel (the window's): each run stops at its next check, or its next blob
   * re-hashed, once it is aborted, the first run and the run on the restored store alike, and a
   * run on the restored store is not begun (`Cancelled`).
   */
  readonly signal?: AbortSignal;
}

/**
 * `custos audit`: runs every registered check over one read snapshot (WAL), so that it checks a
 * consistent state even while another process writes. Each difference is named by what it
 * affects; a check that cannot run at all (a table SQLite can no longer read) is itself a problem
 * naming what it could not check, and the others still run. `next` words the findings' advice
 * (the window passes its own). A store opened with a restore watch (`openForReadingWhenSettled`)
 * that a restore overtook while it was audited (`restoreMovedAfter`) is audited once more, opened
 * afresh: the restored store, `restore.onRestored` told first; the report is that run's alone.
 * `store` is closed before that open (it reads the database the restore set aside; closing it again
 * is harmless). Overtaken again, the audit gives no report (exit 3: `restoredWhileAuditing`).
 */
export async function runAudit(
  store: Pick<EvidenceStore, 'db' | 'blobs' | 'layout'> &
    Partial<Pick<EvidenceStore, 'restoreWatch' | 'close'>>,
  onProgress?: (progress: Progress) => void,
  checks: readonly AuditCheck[] = AUDIT_CHECKS,
  next: NextStep = RUN_AGAIN,
  restore: AuditRestoreNotes = {},
): Promise<AuditReport> {
  const onEndWait = (holder: string | null) => restore.onWait?.(holder, 'end');
  const run = { onProgress, checks, next, onWait: onEndWait, signal: restore.signal };
  const first = await auditOnce(store, run);
  if (first !== OVERTAKEN) return first;
  // Its connection reads the database the restore set aside (renamed, still held open): no second
  // handle beside the restored store's for the whole of the second run.
  store.close?.();
  throwIfCancelled(restore.signal); // the window answered the cancel at once: start no audit unseen
  restore.onRestored?.();
  const again = await EvidenceStore.openForReadingWhenSettled(store.layout.root, {
    forAudit: true,
    onWait: (holder) => restore.onWait?.(holder, 'open'),
  });
  try {
    const second = await auditOnce(again, run);
    if (second !== OVERTAKEN) return second;
  } finally {
    again.close();
  }
  throw restoredWhileAuditing();
}

/** What `auditOnce` gives for a run a restore overtook (its report is not the store's). */
const OVERTAKEN = Symbol('overtaken by a restore');

/** What each run of `runAudit` is given: its checks, whom it tells, and the caller's cancel. */
interface AuditRun {
  readonly onProgress: ((progress: Progress) => void) | undefined;
  readonly checks: readonly AuditCheck[];
  readonly next: NextStep;
  /** Told when another process holds the writer lock beside the marker at the run's end. */
  readonly onWait: (holder: string | null) => void;
  readonly signal: AbortSignal | undefined;
}

/**
 * One run of the checks over one snapshot; `OVERTAKEN` when a restore moved the store meanwhile.
 * Aborted, it stops before its next check (and the blob check before its next blob): `Cancelled`.
 */
async function auditOnce(
  store: Pick<EvidenceStore, 'db' | 'blobs' | 'layout'> & Partial<Pick<EvidenceStore, 'restoreWatch'>>,
  { onProgress, checks, next, onWait, signal }: AuditRun,
): Promise<AuditReport | typeof OVERTAKEN> {
  throwIfCancelled(signal); // an open that waited (for a settle) is not run
  const problems: Problem[] = [];
  const notices: Problem[] = [];
  // Before the snapshot: a store.json read later may be a writer's, rewritten for entries
  // committed after the snapshot began, and would make the database look truncated.
  const anchor = outcomeOf(() => readAnchor(store.layout.anchor));
  const context: AuditContext = {
    db: store.db,
    blobs: store.blobs,
    layout: store.layout,
    referencedBlobs: new Set(),
    counts: { items: 0, artifacts: 0, blobs: 0, bytes: 0, ledgerEntries: 0 },
    onProgress,
    next,
    signal,
    anchorBeforeSnapshot: () => {
      if ('error' in anchor) throw anchor.error;
      return anchor.value;
    },
  };
  store.db.exec('BEGIN'); // a read snapshot for the whole audit
  try {
    // It begins here, right after store.json was read, not at a check's first read: a write
    // between the two could record 'store.anchored' (committed only once store.json is written)
    // where the anchor above was read missing, a false "missing" finding.
    beginReadSnapshot(store.db);
    for (const check of checks) {
      throwIfCancelled(signal);
      try {
        const found = await check.run(context);
        problems.push(...(found.problems ?? []));
        notices.push(...(found.notices ?? []));
      } catch (error) {
        if (error instanceof Cancelled) throw error; // the user's, not a check that could not run
        problems.push({
          subject: check.name,
          problem: `could not be checked: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
    }
  } finally {
    endReadSnapshot(store.db);
  }
  throwIfCancelled(signal); // the last check done: no wait at the end for a report nobody reads
  // `onWait` is told when another process holds the writer lock beside the marker at the end.
  if (store.restoreWatch && (await restoreMovedAfter(store.layout, store.restoreWatch, { onWait })))
    return OVERTAKEN;
  return { clean: problems.length === 0, counts: { ...context.counts }, problems, notices };
}

/**
 * The refusal of a report restores overtook twice (exit 3, not a finding): the audit's connection kept
 * reading the database the restore set aside, while store.json (read once, before the snapshot)
 * and the marker may already be the restore's, so the report could say the store was tampered
 * with ("its history was replaced") when it was restored, or vouch for a database no longer in place.
 */
function restoredWhileAuditing(): CustosError {
  return failureSaying(
    (next) =>
      `the store was restored while the audit ran (a restore put another database in place, or an interrupted one was finished or undone), so the audit checked a store that is no longer there and its report is left out; nothing was written. ${asSentence(next.audit)} again`,
  );
}

/**
 * Ends the audit's read transaction. On a damaged database SQLite may already have ended it, or
 * refuse the COMMIT with the damage it met: the audit has named that damage among its problems,
 * so ending the snapshot must not replace its report with a bare "database disk image is malformed".
 */
function endReadSnapshot(db: EvidenceStore['db']): void {
  if (!db.inTransaction) return;
  try {
    db.exec('COMMIT');
  } catch {
    if (db.inTransaction) db.exec('ROLLBACK');
  }
}

/** Takes the read snapshot `BEGIN` deferred; a database that cannot be read is left for the checks to report. */
function beginReadSnapshot(db: EvidenceStore['db']): void {
  try {
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch {
    // databaseIntegrityCheck says what is wrong with it, as before.
  }
}

/** What `read` returned, or the error it threw, to be answered (or thrown) later. */
function outcomeOf<T>(read: () => T): { readonly value: T } | { readonly error: unknown } {
  try {
    return { value: read() };
  } catch (error) {
    return { error };
  }
}
