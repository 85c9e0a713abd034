import type { AuditReport, Problem, Progress } from '../../../../shared/domain.js';
import type { NextStep } from '../../errors.js';
import type { BlobStore } from '../blob-store.js';
import type { ReadableDB } from '../database.js';
import type { readAnchor } from '../store-anchor.js';
import type { StoreLayout } from '../store-layout.js';

/** The counts an audit reports; each check adds what it counted. */
export type AuditCounts = { -readonly [K in keyof AuditReport['counts']]: number };

/** What every audit check sees: one read snapshot of one store. */
export interface AuditContext {
  readonly db: ReadableDB;
  readonly blobs: BlobStore;
  readonly layout: StoreLayout;
  /** Blobs referenced by what the checks so far have read; the blob folder check runs last and reads it. */
  readonly referencedBlobs: Set<string>;
  readonly counts: AuditCounts;
  readonly onProgress?: (progress: Progress) => void;
  /** The caller's cancel: a long check looks at it between its steps (`throwIfCancelled`). */
  readonly signal?: AbortSignal;
  /** Whose words a finding's advice is in: the CLI's (`RUN_AGAIN`) or the window's (`WINDOW_AGAIN`). */
  readonly next: NextStep;
  /**
   * `store.json` as read just before the snapshot began (`readAnchor`'s answer, or the error its
   * read threw, thrown again): a writer rewrites it only after its commit, so it never names more
   * entries than the snapshot holds. Read during the audit, one rewritten for a write committed
   * since the snapshot began names entries the snapshot cannot see.
   */
  readonly anchorBeforeSnapshot: () => ReturnType<typeof readAnchor>;
}

/** What one check found: problems fail the audit, notices do not. */
export interface AuditFindings {
  readonly problems?: readonly Problem[];
  readonly notices?: readonly Problem[];
}

/**
 * One part of `custos audit`. The registry (`core/audit/audit-checks.ts`) lists them in order, so
 * that a layer above the store (bundles, watches) adds its own checks without the store knowing it.
 */
export interface AuditCheck {
  /** Names the check when it cannot run (a corrupted table), e.g. `items`. */
  readonly name: string;
  run(context: AuditContext): AuditFindings | Promise<AuditFindings>;
}
