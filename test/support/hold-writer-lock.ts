// Child process for tests: opens a store for writing (taking the writer lock) and holds it until
// killed. With --mid-transaction it also leaves a write transaction open (an uncommitted case),
// as a capture in progress would. With --lock-only it takes the writer lock and opens nothing (a
// writer still on its way to the store, which settles nothing meanwhile). Prints "holding" on
// stdout once the lock is held.
import { EvidenceStore } from '../../electron/core/store/evidence-store.js';
import { storeLayout } from '../../electron/core/store/store-layout.js';
import { WriterLock } from '../../electron/core/store/writer-lock.js';

const [dir, mode] = process.argv.slice(2);
if (!dir) throw new Error('usage: hold-writer-lock.ts STORE_DIR [--mid-transaction | --lock-only]');
if (mode === '--lock-only') {
  const layout = storeLayout(dir);
  const lock = WriterLock.acquireNow(layout.writerLock, layout.writerLockInfo);
  process.stdout.write('holding\n');
  setInterval(() => lock, 60_000); // referenced, so that the lock's connection is never collected
} else holdStore();

function holdStore(): void {
  const store = EvidenceStore.openForWriting(dir!);
  if (mode === '--mid-transaction') {
    const investigator = store.requireInvestigator();
    store.db.exec('BEGIN IMMEDIATE');
    store.db
      .prepare(
        "INSERT INTO cases (id, number, title, created_at, created_by) VALUES ('uncommitted', 'UNCOMMITTED', 'never committed', ?, ?)",
      )
      .run(new Date().toISOString(), investigator.id);
  }
  process.stdout.write('holding\n');
  // The timer must reference the store: an unreachable store is garbage-collected, and
  // better-sqlite3 closes a collected connection, which would silently drop the lock.
  setInterval(() => store.layout, 60_000);
}
