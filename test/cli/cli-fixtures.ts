import { execFileSync } from 'node:child_process';
import { BlobStore } from '../../electron/core/store/blob-store.js';
import { storeLayout } from '../../electron/core/store/store-layout.js';

/** An artifact as `import`, `items` and `item show` print it with --json (the contract's fields). */
export interface ArtifactJson {
  readonly role: string;
  readonly mediaType: string;
  readonly size: number;
  readonly sha256: string;
}

/** An item as `import --json` and `items --json` print it (the contract's fields). */
export interface ItemJson {
  readonly id: string;
  readonly url: string | null;
  readonly digest: string;
  readonly artifacts: readonly ArtifactJson[];
}

/** `{"items": […]}`, the shape every item-printing command shares. */
export interface ItemsJson {
  readonly items: readonly ItemJson[];
}

/** The SHA-256 of a file as coreutils' `sha256sum` computes it (no Custos code involved). */
export function sha256sum(file: string): string {
  const output = execFileSync('sha256sum', ['--', file]).toString('utf8');
  return output.slice(0, 64);
}

/** Where a store keeps the blob with this SHA-256. */
export function blobFile(storeDir: string, sha256: string): string {
  const layout = storeLayout(storeDir);
  return new BlobStore(layout.blobs, layout.blobTemp).pathOf(sha256);
}

/** The SHA-256 of zero bytes. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * Bound for a test or hook that runs `custos` several times. Each run loads the TypeScript sources
 * (a second when idle); on a busy two-core machine that becomes tens of seconds, and a test must not
 * fail for it (timing is measured in bench/, not asserted here).
 */
export const CLI_TEST_TIMEOUT_MS = 300_000;
