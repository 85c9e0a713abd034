/**
 * Remotes given badly: exit 2 with a message that says what to write, and nothing stored. No S3
 * engine is needed (nothing here reaches one; the Ceph tests are in test/core/remote/).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCustos, runCustosJson } from '../support/run-custos.js';
import { makeTempDir, makeTempStore, removeTempDir, type TempStore } from '../support/temp-store.js';
import { CLI_TEST_TIMEOUT_MS } from './cli-fixtures.js';

describe(
  'custos remote, push and pull with bad input',
  () => {
    let temp: TempStore;
    let home: string;

    beforeAll(() => {
      temp = makeTempStore({ caseNumber: 'BE-1' });
      home = makeTempDir();
    });
    afterAll(() => {
      temp.remove();
      removeTempDir(home);
    });

    it.each([
      [['remote', 'add', 'agency', 'https://bucket/x'], 'write it as s3://BUCKET/PREFIX'],
      [['remote', 'add', 'agency', 's3://Bad_Bucket/x'], 'is not a valid bucket name'],
      [['remote', 'add', 'agency', 's3://evidence/x', '--endpoint', 'not a url'], 'is not a URL'],
      [['remote', 'add', 'a b', 's3://evidence/x'], 'is not a remote name'],
      [['push', '--case', 'BE-1'], 'no remote is configured'],
      [['pull', '--case', 'BE-1', '--remote', 'agency'], 'no remote named agency'],
    ])('`custos %j` exits 2 saying %s, and stores no remote', async (args, message) => {
      const result = await runCustos(args, { store: temp.dir });
      expect(result.status, result.stderr).toBe(2);
      expect(result.stderr).toContain(message);
      const listed = await runCustosJson<{ remotes: unknown[] }>(['remote', 'list'], { store: temp.dir });
      expect(listed.json.remotes).toEqual([]);
    });

    it('a push with no credentials anywhere exits 2 naming the AWS variables, and records nothing', async () => {
      const added = await runCustos(
        ['remote', 'add', 'agency', 's3://evidence/team', '--endpoint', 'http://127.0.0.1:9'],
        { store: temp.dir },
      );
      expect(added.status, added.stderr).toBe(0);
      const env = {
        HOME: home,
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        AWS_SESSION_TOKEN: undefined,
        AWS_PROFILE: undefined,
        AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
        AWS_EC2_METADATA_DISABLED: 'true',
      };
      const pushed = await runCustos(['push', '--case', 'BE-1', '--retention-days', 'ten'], {
        store: temp.dir,
        env,
      });
      expect(pushed.status).toBe(2);
      expect(pushed.stderr).toContain('--retention-days ten is not a whole number');
      const again = await runCustos(['push', '--case', 'BE-1'], { store: temp.dir, env });
      expect(again.status).toBe(2);
      expect(again.stderr).toContain('set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
      const log = await runCustosJson<{ entries: { action: string }[] }>(['log'], { store: temp.dir });
      expect(log.json.entries.map((e) => e.action)).not.toContain('remote.push');
    });
  },
  CLI_TEST_TIMEOUT_MS,
);
