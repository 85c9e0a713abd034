/**
 * Golden snapshot of the schema each released migration makes (test/fixtures/schema/NNN.json, one
 * file a version, normalised as the audit's schema comparison normalises it). The audit compares
 * every store with the schema the migrations make now, so an edit of a released migration, even a
 * `--` comment inside a CREATE TABLE, would make every existing store audit as tampered.
 *
 * A new migration has no snapshot yet: write its file once with
 *   CUSTOS_WRITE_SCHEMA_SNAPSHOT=1 npx vitest run test/core/store/schema-snapshot.test.ts
 * (then `npx biome check --write test/fixtures/schema`) and commit it. The flag only writes
 * versions that have no file; it never rewrites a released one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { SCHEMA_VERSION } from '../../../electron/core/store/migrations/index.js';
import { type SchemaObject, schemaOfEachVersion } from '../../../electron/core/store/store-schema.js';
import { REPO_ROOT } from '../../support/run-custos.js';

const SNAPSHOTS = path.join(REPO_ROOT, 'test/fixtures/schema');
const WRITE_NEW = process.env.CUSTOS_WRITE_SCHEMA_SNAPSHOT === '1';

function snapshotFile(version: number): string {
  return path.join(SNAPSHOTS, `${String(version).padStart(3, '0')}.json`);
}

const schemas = schemaOfEachVersion();

describe('released migrations are never edited (add a new migration instead)', () => {
  test.each(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1))(
    'migration %i makes exactly the schema it made when it was released',
    (version) => {
      const made = schemas[version] as readonly SchemaObject[];
      const file = snapshotFile(version);
      if (!fs.existsSync(file)) {
        if (!WRITE_NEW)
          expect.fail(
            `no schema snapshot for migration ${version} (${file}): a new migration's is written once with CUSTOS_WRITE_SCHEMA_SNAPSHOT=1 npx vitest run test/core/store/schema-snapshot.test.ts, then committed`,
          );
        fs.mkdirSync(SNAPSHOTS, { recursive: true });
        fs.writeFileSync(file, `${JSON.stringify(made, null, 2)}\n`);
      }
      const released = JSON.parse(fs.readFileSync(file, 'utf8')) as SchemaObject[];
      expect(
        made,
        `the schema migration ${version} makes differs from the one it made when released (${file}). Released migrations must never be edited: every existing store would audit as tampered. Put the edit back and add a new migration instead`,
      ).toEqual(released);
    },
  );
});
