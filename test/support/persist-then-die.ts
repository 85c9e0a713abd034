// Child process for tests: stages FILE… as items of case CASE in the store at STORE_DIR (blobs in
// one BlobBatch, as `importFiles` groups them), makes the batch durable under the blobs' names
// (BlobBatch.persist: the files' fsyncs, the renames, the folders' fsync round), prints
// "persisted" and kills itself with SIGKILL before committing anything: a crash between a group's
// last fsync and its commit, at a chosen moment instead of a random one.
import { stageFile } from '../../electron/core/import/import-file.js';
import { EvidenceStore } from '../../electron/core/store/evidence-store.js';

const [dir, caseRef, ...files] = process.argv.slice(2);
if (!dir || !caseRef || files.length === 0)
  throw new Error('usage: persist-then-die.ts STORE_DIR CASE FILE…');
const store = EvidenceStore.openForWriting(dir);
const caseId = store.getCase(caseRef).id;
const batch = store.blobs.batch();
for (const file of files) await stageFile(batch, caseId, file, undefined, { blockingReads: true }); // as the CLI stages them
await batch.persist();
process.stdout.write('persisted\n', () => process.kill(process.pid, 'SIGKILL'));
