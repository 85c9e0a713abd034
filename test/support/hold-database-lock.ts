// Child process for tests: opens a store's database with no Custos code, as a database browser or
// a backup tool would, and holds an exclusive SQLite lock on it until killed, so that no other
// connection can read it (SQLITE_BUSY). Prints "holding" on stdout once the lock is held.
import { openRawDatabase } from './sqlite.js';

const [dir] = process.argv.slice(2);
if (!dir) throw new Error('usage: hold-database-lock.ts STORE_DIR');
const db = openRawDatabase(dir);
db.pragma('locking_mode = EXCLUSIVE');
db.exec('BEGIN EXCLUSIVE');
process.stdout.write('holding\n');
// The timer must reference the connection: better-sqlite3 closes a collected one, dropping the lock.
setInterval(() => db.open, 60_000);
