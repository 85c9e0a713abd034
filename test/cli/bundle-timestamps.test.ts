import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readZip, tamper } from '../core/bundle/bundle-fixtures.js';
import { localTsaForTests, trustAndAskLocalTsaIn } from '../support/local-tsa.js';
import { runCustos, runCustosJson } from '../support/run-custos.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';

const localTsa = localTsaForTests();
/** Tests that run `custos` several times: each run starts Node and tsx, slow on a busy machine. */
const SEVERAL_RUNS = 240_000;

interface VerifyJson {
  readonly valid: boolean;
  readonly items: readonly { readonly id: string; readonly trustedTime: string | null }[];
  readonly timestamps: readonly {
    readonly file: string;
    readonly covers: string;
    readonly tsa: string;
    readonly time: string;
    readonly valid: boolean;
    readonly problem: string | null;
    readonly trust: string | null;
    readonly rootEntry: number | null;
  }[];
  readonly problems: readonly { readonly path: string; readonly problem: string }[];
  readonly warnings: readonly { readonly path: string; readonly problem: string }[];
}

describe('custos export and verify with trusted timestamps', () => {
  let temp: TempStore;
  let bundle: string;
  beforeAll(async () => {
    temp = makeTempStore({ caseNumber: 'TS-B' });
    trustAndAskLocalTsaIn(temp, localTsa());
    const imported = await runCustos(
      ['import', temp.writeFile('ad.txt', 'crossing Tuesday\n'), '--case', 'TS-B'],
      { store: temp.dir },
    );
    expect(imported.status).toBe(0);
    expect(imported.stderr).toMatch(/timestamped item/);
    bundle = path.join(temp.base, 'TS-B.zip');
  }, SEVERAL_RUNS);
  afterAll(() => temp.remove());

  test(
    'export says the ledger head was stamped, and verify --tsa-roots --json gives each trusted time',
    async () => {
      const exported = await runCustos(['export', '--case', 'TS-B', '--out', bundle], { store: temp.dir });
      expect(exported.status).toBe(0);
      expect(exported.stdout).toMatch(
        /Ledger head timestamped: \S+ by CN=tsa test authority; 2 timestamp\(s\) in the bundle/,
      );
      const verified = await runCustosJson<VerifyJson>(['verify', bundle, '--tsa-roots', localTsa().caFile]);
      expect(verified.status).toBe(0);
      expect(verified.json.valid).toBe(true);
      expect(verified.json.timestamps.map((t) => t.covers)).toContain('ledger-head');
      for (const t of verified.json.timestamps) {
        expect(t).toMatchObject({
          valid: true,
          problem: null,
          tsa: 'CN=tsa test authority',
          trust: 'recipient-root',
        });
      }
      expect(verified.json.items[0]?.trustedTime).toBe(
        verified.json.timestamps.find((t) => t.covers === verified.json.items[0]?.id)?.time,
      );
    },
    SEVERAL_RUNS,
  );

  test(
    'without the authority root, verify exits 0 but warns that only the investigator trusted it, naming the custody entry the bundle carries',
    async () => {
      const result = await runCustos(['verify', bundle]);
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(
        /WARNING {2}timestamps\/\S+\.tsr: NOT publicly trusted: trusted only because the investigator added its root \(CN=[^)]*\) in custody entry \d+/,
      );
      const json = await runCustosJson<VerifyJson>(['verify', bundle]);
      const rootEntry = json.json.timestamps[0]?.rootEntry;
      expect(json.json.timestamps.every((t) => t.trust === 'investigator-root')).toBe(true);
      const custody = (await readZip(bundle)).get('custody.jsonl')!.toString('utf8').trim().split('\n');
      const entry = custody.map((line) => JSON.parse(line)).find((e) => e.seq === rootEntry);
      expect(entry).toMatchObject({
        action: 'timestamp.root-added',
        details: { pem: expect.stringContaining('BEGIN CERTIFICATE') },
      });
      expect(result.stdout).toMatch(/Trusted time NOT established for 1 of 1 item/);
      expect(result.stdout).toMatch(/NOT TRUSTED/);
    },
    SEVERAL_RUNS,
  );

  test(
    'a tampered token makes verify exit 1 naming the .tsr file',
    async () => {
      const files = await readZip(bundle);
      const tsr = [...files.keys()].find((name) => name.endsWith('.tsr') && !name.includes('ledger-head'))!;
      const bad = await tamper(bundle, path.join(temp.base, 'bad.zip'), (f) => {
        const der = Buffer.from(f.get(tsr)!);
        der[der.length - 1]! ^= 0xff;
        f.set(tsr, der);
      });
      const result = await runCustosJson<VerifyJson>(['verify', bad, '--tsa-roots', localTsa().caFile]);
      expect(result.status).toBe(1);
      expect(result.json.problems.some((p) => p.path === tsr && /signature-invalid/.test(p.problem))).toBe(
        true,
      );
    },
    SEVERAL_RUNS,
  );

  test(
    'a --tsa-roots file that is missing or holds no certificate is bad input (exit 2)',
    async () => {
      const missing = await runCustos(['verify', bundle, '--tsa-roots', path.join(temp.base, 'nope.pem')]);
      expect(missing.status).toBe(2);
      expect(missing.stderr).toMatch(/nope\.pem cannot be read/);
      const notPem = await runCustos(['verify', bundle, '--tsa-roots', temp.writeFile('x.pem', 'hello')]);
      expect(notPem.status).toBe(2);
      expect(notPem.stderr).toMatch(/holds no PEM certificate/);
    },
    SEVERAL_RUNS,
  );

  test(
    'export succeeds while the authority is down, and says the head was not stamped',
    async () => {
      await localTsa().setMode('unavailable');
      try {
        const result = await runCustos(
          ['export', '--case', 'TS-B', '--out', path.join(temp.base, 'down.zip')],
          {
            store: temp.dir,
          },
        );
        expect(result.status).toBe(0);
        expect(result.stdout).toMatch(
          /Ledger head NOT timestamped \(.*503.*\).*`custos timestamp` requests it later/,
        );
      } finally {
        await localTsa().setMode('ok');
      }
    },
    SEVERAL_RUNS,
  );
});
