import fs from 'node:fs/promises';
import type { CaptureRecord } from '../../../shared/domain.js';
import { perceptualHash } from '../media/perceptual-hash.js';
import type { EvidenceStore } from '../store/evidence-store.js';
import * as q from '../store/queries.js';
import type { PageObservation } from './classify-check.js';

/**
 * What a captured item shows, for the classifier: status and addresses from its capture record,
 * the visible text from its `text` artifact and, unless the caller already knows it (a baseline's
 * hash is kept in its check), the perceptual hash of its full-page `screenshot`.
 */
export async function observeItem(
  store: EvidenceStore,
  itemId: string,
  knownScreenshotHash?: string | null,
): Promise<PageObservation> {
  const item = q.findItem(store.db, itemId);
  if (!item) throw new Error(`item ${itemId} of a watch is missing from the store`);
  const { metadata } = JSON.parse(item.recordJson) as CaptureRecord;
  const artifacts = q.listArtifacts(store.db, item.id);
  const text = artifacts.find((a) => a.role === 'text');
  const screenshot = artifacts.find((a) => a.role === 'screenshot');
  return {
    httpStatus: typeof metadata.httpStatus === 'number' ? metadata.httpStatus : 0,
    requestedUrl: String(metadata.requestedUrl ?? item.source),
    finalUrl: String(metadata.finalUrl ?? item.url ?? item.source),
    title: String(metadata.title ?? item.title ?? ''),
    text: text ? await fs.readFile(store.blobs.pathOf(text.sha256), 'utf8') : '',
    screenshotHash:
      knownScreenshotHash !== undefined
        ? knownScreenshotHash
        : screenshot
          ? await perceptualHash(await fs.readFile(store.blobs.pathOf(screenshot.sha256)))
          : null,
  };
}
