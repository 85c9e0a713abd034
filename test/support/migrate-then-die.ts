// Child process for tests: upgrades the database of the store at STORE_DIR as the app's upgrade
// thread does (`migrate`, all migrations in one transaction), and kills itself with SIGKILL at the
// moment the last migration has run all its statements and sets `user_version`, inside the
// transaction and before its commit, after printing "migrated": a crash in the middle of an
// upgrade, at a chosen moment instead of a random one.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import type { WritableDB } from '../../electron/core/store/database.js';
import { migrate, SCHEMA_VERSION } from '../../electron/core/store/migrations/index.js';
import { storeLayout } from '../../electron/core/store/store-layout.js';

const [dir] = process.argv.slice(2);
if (!dir) throw new Error('usage: migrate-then-die.ts STORE_DIR');
const db = new Database(storeLayout(dir).database);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
const dying = new Proxy(db, {
  get(target, name) {
    if (name === 'pragma')
      return (source: string, options?: Database.PragmaOptions) => {
        if (source === `user_version = ${SCHEMA_VERSION}`) {
          fs.writeSync(1, 'migrated\n');
          process.kill(process.pid, 'SIGKILL'); // the transaction is still open
        }
        return target.pragma(source, options);
      };
    const value = Reflect.get(target, name, target);
    return typeof value === 'function' ? value.bind(target) : value;
  },
}) as WritableDB;
migrate(dying);
throw new Error('the upgrade ended without the kill');
