import type { Problem } from '../../../../shared/domain.js';
import { throwIfCancelled } from '../../cancel.js';
import { LAST_SWEEP_SETTING, type SweepRecord } from '../evidence-store.js';
import * as q from '../queries.js';
import type { AuditCheck } from './audit-check.js';

/** Every blob an artifact references, re-hashed: missing, changed or resized blobs are named with their items. */
export const artifactBlobCheck: AuditCheck = {
  name: 'artifact blobs',
  run: async ({ db, blobs, counts, referencedBlobs, onProgress, signal }) => {
    const problems: Problem[] = [];
    const referenced = [...q.iterateReferencedBlobs(db)];
    const totalBytes = referenced.reduce((sum, blob) => sum + blob.size, 0);
    counts.bytes = totalBytes;
    let bytesDone = 0;
    onProgress?.({ done: 0, total: totalBytes, label: 're-hashing blobs' });
    for (const blob of referenced) {
      // The audit's longest work: a cancel stops it at the next blob, or within one (a video of gigabytes).
      throwIfCancelled(signal);
      referencedBlobs.add(blob.sha256);
      const found = await blobs.rehash(
        blob.sha256,
        (n) => {
          bytesDone += n;
          onProgress?.({ done: bytesDone, total: totalBytes, label: 're-hashing blobs' });
        },
        signal,
      );
      const owners = q.itemsReferencingBlob(db, blob.sha256).join(', ');
      const subject = `blob ${blob.sha256}`;
      if (!found)
        problems.push({ subject, problem: `missing from the blob folder (artifact of item ${owners})` });
      else if (found.sha256 !== blob.sha256) {
        problems.push({
          subject,
          problem: `content changed: it now hashes to ${found.sha256} (artifact of item ${owners})`,
        });
      } else if (found.size !== blob.size) {
        problems.push({
          subject,
          problem: `size is ${found.size} bytes, the artifact records ${blob.size} (item ${owners})`,
        });
      }
    }
    return { problems };
  },
};

/**
 * The blob folder as a whole, run after every check that references blobs: blobs nothing
 * references and leftover temporary files are notices (left by an interrupted write), never
 * deleted here; what the last writer swept from the temporary folder is a notice too.
 */
export const blobFolderCheck: AuditCheck = {
  name: 'blob folder',
  run: async ({ db, blobs, counts, referencedBlobs }) => {
    const notices: Problem[] = [];
    const sweep = q.getSetting(db, LAST_SWEEP_SETTING);
    if (sweep !== undefined) {
      const { at, files, bytes, swept } = JSON.parse(sweep) as SweepRecord;
      notices.push({
        subject: 'temporary files',
        problem: `${files} file(s), ${bytes} bytes, left by interrupted writes were swept at ${at} by the next writer${swept?.length ? ` (${swept.join(', ')})` : ''}; they held no committed evidence`,
      });
    }
    for await (const name of blobs.list()) {
      counts.blobs++;
      if (!referencedBlobs.has(name)) {
        notices.push({
          subject: `blob ${name}`,
          problem: 'no item references it (left by an interrupted capture or import); kept, not deleted',
        });
      }
    }
    for (const temp of await blobs.leftoverTempFiles()) {
      notices.push({
        subject: `temporary file ${temp}`,
        problem: 'left by an interrupted write; holds no committed evidence',
      });
    }
    return { notices };
  },
};
