import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { LEDGER_HEAD } from '../../electron/core/timestamp/token-queries.js';
import { localTsaForTests, type TsaMode, trustAndAskLocalTsaIn } from '../support/local-tsa.js';
import { runCustos, runCustosJson } from '../support/run-custos.js';
import { openRawDatabase } from '../support/sqlite.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';
import { blobFile, type ItemsJson } from './cli-fixtures.js';

const localTsa = localTsaForTests();
/** Tests that run `custos` several times: each run starts Node and tsx, slow on a busy machine. */
const SEVERAL_RUNS = 240_000;

interface StampJson {
  readonly covers: string;
  readonly imprint: string;
  readonly status: 'granted' | 'pending';
  readonly tokenSha256: string | null;
  readonly failures: readonly { readonly reason: string; readonly message: string }[];
}
interface RunJson {
  readonly authorities: readonly string[];
  readonly granted: readonly StampJson[];
  readonly pending: readonly StampJson[];
}
interface ShowJson {
  readonly authorities: readonly string[];
  readonly trustedRoots: readonly { readonly subject: string; readonly sha256: string }[];
  readonly pending: readonly {
    readonly covers: string;
    readonly attempts: number;
    readonly lastError: string | null;
  }[];
  readonly granted: number;
}

let temp: TempStore;
afterEach(async () => {
  await localTsa().setMode('ok');
  temp?.remove();
});

/** A store with a case, configured (in this process) to ask the local authority and trust its root. */
function configuredStore(authorities = [localTsa().url]): TempStore {
  temp = makeTempStore({ caseNumber: 'TS-CLI' });
  trustAndAskLocalTsaIn(temp, localTsa(), { authorities });
  return temp;
}

/** Imports one file; returns its item id and what the import said on stderr (its stamp attempt). */
async function importOne(name = 'photo.txt'): Promise<{ itemId: string; stderr: string }> {
  const file = temp.writeFile(name, `evidence ${name} ${Date.now()}\n`);
  const result = await runCustosJson<ItemsJson>(['import', file, '--case', 'TS-CLI'], { store: temp.dir });
  expect(result.status, result.stderr).toBe(0);
  return { itemId: result.json.items[0]?.id ?? '', stderr: result.stderr };
}

const ledgerCount = (dir: string) => {
  const db = openRawDatabase(dir, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM ledger').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

function pendingRow(dir: string, covers: string): unknown {
  const db = openRawDatabase(dir, { readonly: true });
  try {
    return db
      .prepare("SELECT attempts, last_error FROM timestamp_tokens WHERE covers = ? AND status = 'pending'")
      .get(covers);
  } finally {
    db.close();
  }
}

describe('custos timestamp', () => {
  test.each<TsaMode>(['unavailable', 'refused', 'garbage', 'reject'])(
    'while the authority is %s, import succeeds, the item waits, `timestamp` exits 3, and a later run stamps it',
    async (mode) => {
      configuredStore();
      await localTsa().setMode(mode);
      const { itemId, stderr: importSaid } = await importOne();

      const down = await runCustosJson<RunJson>(['timestamp'], { store: temp.dir });
      expect(down.status, down.stderr).toBe(3);
      expect(down.json.granted).toEqual([]);
      expect(down.json.pending.map((p) => p.covers)).toEqual([itemId, LEDGER_HEAD]);
      expect(down.stderr).toMatch(/still pending .* run `custos timestamp` again/);
      // Tried once at import and once by `timestamp`, the reason kept for `timestamp --show`.
      // The import's stderr says what its own attempt did, should that attempt ever be missing.
      expect(
        pendingRow(temp.dir, itemId),
        `the import said:\n${importSaid}\n\`timestamp\` said:\n${down.stderr}`,
      ).toMatchObject({
        attempts: 2,
        last_error: expect.stringContaining(localTsa().url),
      });

      await localTsa().setMode('ok');
      const up = await runCustosJson<RunJson>(['timestamp'], { store: temp.dir });
      expect(up.status, up.stderr).toBe(0);
      expect(up.json.pending).toEqual([]);
      const token = up.json.granted.find((g) => g.covers === itemId);
      expect(token?.tokenSha256).toMatch(/^[0-9a-f]{64}$/);
      const verified = localTsa().opensslVerify(
        blobFile(temp.dir, token?.tokenSha256 ?? ''),
        token?.imprint ?? '',
      );
      expect(verified.output).toContain('Verification: OK');
    },
    SEVERAL_RUNS,
  );

  test(
    'an import while the authority answers is stamped at once, and `timestamp` then has nothing to do',
    async () => {
      configuredStore();
      const file = temp.writeFile('chat.txt', 'chat export\n');
      const imported = await runCustos(['import', file, '--case', 'TS-CLI'], { store: temp.dir });
      expect(imported.status, imported.stderr).toBe(0);
      expect(imported.stderr).toMatch(
        /timestamped item [0-9a-f-]+: \d{4}-\d\d-\d\dT[\d:.]+Z by CN=tsa test authority/,
      );
      const first = await runCustos(['timestamp'], { store: temp.dir });
      expect(first.status, first.stderr).toBe(0);
      expect(first.stdout).toContain(`granted  ${LEDGER_HEAD}`); // only the ledger head was left
      const second = await runCustos(['timestamp'], { store: temp.dir });
      expect(second.status, second.stderr).toBe(0);
      expect(second.stdout).toContain('Nothing to timestamp');
    },
    SEVERAL_RUNS,
  );

  test(
    'an authority under an untrusted root is refused: exit 3, naming why, the item still pending',
    async () => {
      configuredStore();
      await localTsa().setMode('untrusted');
      const { itemId } = await importOne();
      const result = await runCustosJson<RunJson>(['timestamp'], { store: temp.dir });
      expect(result.status).toBe(3);
      expect(result.json.pending.find((p) => p.covers === itemId)?.failures[0]?.reason).toBe(
        'untrusted-authority',
      );
      expect(result.stderr).toContain('does not chain to a trusted root');
    },
    SEVERAL_RUNS,
  );

  test(
    '--set-tsa and --add-root save the store settings, --show lists them, --tsa serves one run only',
    async () => {
      temp = makeTempStore({ caseNumber: 'TS-CLI' });
      const rootFile = temp.writeFile('root.pem', localTsa().caPem);
      const saved = await runCustosJson<ShowJson>(
        ['timestamp', '--set-tsa', localTsa().url, '--add-root', rootFile],
        {
          store: temp.dir,
        },
      );
      expect(saved.status, saved.stderr).toBe(0);
      expect(saved.json.authorities).toEqual([localTsa().url]);
      expect(saved.json.trustedRoots.map((r) => r.subject)).toEqual(['CN=Custos Test Root CA']);

      const other = 'http://127.0.0.1:9/other';
      const once = await runCustosJson<RunJson>(['timestamp', '--tsa', other, '--timeout', '2'], {
        store: temp.dir,
      });
      expect(once.status).toBe(3);
      expect(once.json.authorities).toEqual([other]);
      const show = await runCustosJson<ShowJson>(['timestamp', '--show'], { store: temp.dir });
      expect(show.json.authorities).toEqual([localTsa().url]);

      const cleared = await runCustosJson<ShowJson>(['timestamp', '--clear-tsa'], { store: temp.dir });
      expect(cleared.json.authorities).toEqual([]);
    },
    SEVERAL_RUNS,
  );

  test.each([
    [['timestamp'], /no time-stamping authority is configured; give one with --tsa URL/],
    [['timestamp', '--tsa', 'ftp://127.0.0.1/tsa'], /reached over http or https, not ftp:/],
    [['timestamp', '--tsa', 'not a url'], /not a URL/],
    [
      ['timestamp', '--timeout', 'soon', '--tsa', 'http://127.0.0.1:9/'],
      /--timeout soon: give a number of seconds/,
    ],
    [
      ['timestamp', '--set-tsa', 'http://127.0.0.1:9/', '--add-root', 'missing.pem'],
      /missing.pem cannot be read/,
    ],
    [
      ['timestamp', '--set-tsa', 'http://127.0.0.1:9/', '--tsa', 'http://127.0.0.1:9/'],
      /--tsa names authorities for one run/,
    ],
  ])('bad usage %j exits 2 with a clear message and writes nothing', async (args, message) => {
    temp = makeTempStore({ caseNumber: 'TS-CLI' });
    const before = ledgerCount(temp.dir);
    const result = await runCustos(args, { store: temp.dir, cwd: temp.base });
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(ledgerCount(temp.dir)).toBe(before);
    const db = openRawDatabase(temp.dir, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM timestamp_tokens').get()).toEqual({ n: 0 });
      expect(db.prepare("SELECT count(*) AS n FROM settings WHERE key LIKE 'timestamp.%'").get()).toEqual({
        n: 0,
      });
    } finally {
      db.close();
    }
  });

  test(
    'a PEM file without a certificate is refused with exit 2 and nothing is saved',
    async () => {
      temp = makeTempStore({ caseNumber: 'TS-CLI' });
      const notPem = temp.writeFile('notes.pem', 'not a certificate\n');
      const result = await runCustos(
        ['timestamp', '--set-tsa', 'http://127.0.0.1:9/', '--add-root', notPem],
        {
          store: temp.dir,
        },
      );
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`${path.basename(notPem)} holds no PEM certificate`);
      const show = await runCustosJson<ShowJson>(['timestamp', '--show'], { store: temp.dir });
      expect(show.json).toMatchObject({ authorities: [], trustedRoots: [] });
      expect(fs.existsSync(notPem)).toBe(true);
    },
    SEVERAL_RUNS,
  );
});
