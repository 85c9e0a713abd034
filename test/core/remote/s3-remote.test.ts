/**
 * Cases shared through S3 with Object Lock, against a real Ceph RADOS Gateway (one per file,
 * scripts/s3-test-server.sh) and real `custos` processes. Each test uses its own key prefix in the
 * one bucket, so they share the cluster without sharing objects.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
  PutObjectRetentionCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiService } from '../../../electron/core/api/api-service.js';
import type { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import type { ApiResult } from '../../../shared/api.js';
import { CLI_TEST_TIMEOUT_MS } from '../../cli/cli-fixtures.js';
import { runCustos, runCustosJson, spawnCustos, waitForCustos } from '../../support/run-custos.js';
import { cephMissing, type S3TestServer, startS3TestServer } from '../../support/s3-test-server.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

if (cephMissing) console.warn(`S3 remote tests skipped: ${cephMissing}`);

interface ItemsJson {
  items: { id: string; digest: string; artifacts: { sha256: string; size: number }[] }[];
}

describe.skipIf(cephMissing !== null)('S3 remotes on Ceph RGW', () => {
  let s3: S3TestServer;
  const stores: TempStore[] = [];

  beforeAll(async () => {
    s3 = await startS3TestServer();
  }, 120_000);
  afterAll(async () => {
    for (const store of stores) store.remove();
    await s3?.stop();
  });

  /** A store of its own investigator with the remote `agency` at this prefix. */
  async function storeWithRemote(investigator: string, prefix: string, caseNumber?: string) {
    const store = makeTempStore({ investigator: { name: investigator }, caseNumber });
    stores.push(store);
    const added = await custos(store, [
      'remote',
      'add',
      'agency',
      `s3://${s3.bucket}/${prefix}`,
      '--endpoint',
      s3.endpoint,
    ]);
    expect(added.status, added.stderr).toBe(0);
    return store;
  }
  function custos(store: TempStore, args: string[]) {
    return runCustos(args, { store: store.dir, env: s3.env, timeoutMs: 120_000 });
  }
  async function importFile(store: TempStore, caseRef: string, name: string, content: string | Buffer) {
    const file = store.writeFile(name, content);
    const result = await runCustosJson<ItemsJson>(['import', file, '--case', caseRef], { store: store.dir });
    expect(result.status, result.stderr).toBe(0);
    return result.json.items[0]!;
  }
  /** Reads a store in this process (quicker than a `custos` run for what the test only looks at). */
  function read<T>(store: TempStore, look: (open: EvidenceStore) => T): T {
    const open = store.openForReading();
    try {
      return look(open);
    } finally {
      open.close();
    }
  }

  it(
    'two investigators push to one case and pull each other’s items: each item names who captured it, audit is clean, an export carries both keys; pushing an unchanged case again sends nothing',
    async () => {
      const ana = await storeWithRemote('Ana Ruiz', 'team', 'BE-1');
      const ben = await storeWithRemote('Ben Okafor', 'team');
      const anaItem = await importFile(ana, 'BE-1', 'ad.txt', 'boat to Lampedusa, 2000 EUR');
      const pushed = await custos(ana, ['push', '--case', 'BE-1', '--retention-days', '1']);
      expect(pushed.status, pushed.stderr).toBe(0);
      expect(pushed.stdout).toContain('1 blob(s) sent');
      const again = await custos(ana, ['push', '--case', 'BE-1']);
      expect(again.status, again.stderr).toBe(0);
      expect(again.stdout).toContain('nothing sent');

      const first = await custos(ben, ['pull', '--case', ana.caseId!]);
      expect(first.status, first.stderr).toBe(0);
      const benItem = await importFile(ben, 'BE-1', 'profile.txt', 'broker profile');
      expect((await custos(ben, ['push', '--case', 'BE-1'])).status).toBe(0);
      const back = await runCustosJson<{
        segments: { signer: string; items: { id: string; status: string }[] }[];
      }>(['pull', '--case', 'BE-1'], { store: ana.dir, env: s3.env });
      expect(back.status, back.stderr).toBe(0);
      expect(back.json.segments.flatMap((s) => s.items)).toEqual([
        { id: benItem.id, digest: benItem.digest, status: 'imported' },
      ]);

      for (const store of [ana, ben]) {
        const captors = read(store, (open) =>
          open.listItems('BE-1').map((i) => [i.id, open.getItem(i.id).record.investigator.name]),
        );
        expect(captors.sort()).toEqual(
          [
            [anaItem.id, 'Ana Ruiz'],
            [benItem.id, 'Ben Okafor'],
          ].sort(),
        );
        const audit = await runCustos(['audit'], { store: store.dir });
        expect(audit.status, audit.stdout + audit.stderr).toBe(0);
      }

      const bundle = `${ana.base}/BE-1.zip`;
      expect(
        (await runCustos(['export', '--case', 'BE-1', '--out', bundle], { store: ana.dir })).status,
      ).toBe(0);
      const verified = await runCustosJson<{ valid: boolean }>(['verify', bundle]);
      expect(verified.json.valid).toBe(true);
      const manifest = JSON.parse(
        execFileSync('unzip', ['-p', bundle, 'manifest.json'], {
          encoding: 'utf8',
        }),
      ) as { exporter: { name: string }; keys: { name?: string }[] };
      expect([manifest.exporter.name, ...manifest.keys.map((k) => k.name)].sort()).toEqual([
        'Ana Ruiz',
        'Ben Okafor',
      ]);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'under COMPLIANCE retention the engine refuses to delete a pushed object or shorten its retention, and an overwrite leaves the locked version byte for byte',
    async () => {
      const ana = await storeWithRemote('Ana Ruiz', 'locked', 'BE-2');
      const item = await importFile(ana, 'BE-2', 'ad.txt', 'locked evidence');
      const pushed = await custos(ana, ['push', '--case', 'BE-2', '--retention-days', '2', '--legal-hold']);
      expect(pushed.status, pushed.stderr).toBe(0);
      const Key = `locked/blobs/sha256/${item.artifacts[0]!.sha256}`;
      const head = await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key }));
      expect(head.ObjectLockMode).toBe('COMPLIANCE');
      expect(head.ObjectLockLegalHoldStatus).toBe('ON');
      const version = { Bucket: s3.bucket, Key, VersionId: head.VersionId };

      await expect(s3.client.send(new DeleteObjectCommand(version))).rejects.toMatchObject({
        name: 'AccessDenied',
      });
      await expect(
        s3.client.send(
          new PutObjectRetentionCommand({
            ...version,
            Retention: { Mode: 'COMPLIANCE', RetainUntilDate: new Date(Date.now() + 3_600_000) },
          }),
        ),
      ).rejects.toMatchObject({ name: 'AccessDenied' });
      const overwrite = await s3.client.send(
        new PutObjectCommand({ Bucket: s3.bucket, Key, Body: 'forged', ContentMD5: md5('forged') }),
      );
      expect(overwrite.VersionId).not.toBe(head.VersionId);
      const kept = await s3.client.send(new GetObjectCommand(version));
      expect(await kept.Body!.transformToString()).toBe('locked evidence');
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'a byte changed in a blob, or a blob gone, on the remote fails the pull with exit 1 naming each object, and nothing is imported',
    async () => {
      const ana = await storeWithRemote('Ana Ruiz', 'tampered', 'BE-3');
      const changed = await importFile(ana, 'BE-3', 'a.txt', 'price 2000 EUR');
      const gone = await importFile(ana, 'BE-3', 'b.txt', 'meeting point');
      expect((await custos(ana, ['push', '--case', 'BE-3'])).status).toBe(0);
      const changedKey = `tampered/blobs/sha256/${changed.artifacts[0]!.sha256}`;
      const goneKey = `tampered/blobs/sha256/${gone.artifacts[0]!.sha256}`;
      await s3.client.send(
        new PutObjectCommand({
          Bucket: s3.bucket,
          Key: changedKey,
          Body: 'price 2001 EUR',
          ContentMD5: md5('price 2001 EUR'),
        }),
      );
      await s3.client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: goneKey }));

      const carl = await storeWithRemote('Carl Diaz', 'tampered');
      const pulled = await custos(carl, ['pull', '--case', ana.caseId!]);
      expect(pulled.status).toBe(1);
      expect(pulled.stderr).toContain(`${changedKey}: hashes to`);
      expect(pulled.stderr).toContain(`${goneKey}: is missing`);
      expect(pulled.stderr).toContain('nothing was imported');
      expect(read(carl, (open) => open.listCases())).toEqual([]);
      expect(read(carl, (open) => open.ledger().map((e) => e.action))).not.toContain('remote.pull');
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'a push killed with kill -9 in the middle of a multipart upload is resumed by pushing again, and the other workstation pulls the whole blob',
    async () => {
      const ana = await storeWithRemote('Ana Ruiz', 'resumed', 'BE-4');
      const big = await importFile(ana, 'BE-4', 'video.bin', crypto.randomBytes(40 * 1024 * 1024));
      const Key = `resumed/blobs/sha256/${big.artifacts[0]!.sha256}`;
      const child = spawnCustos(['push', '--case', 'BE-4'], { store: ana.dir, env: s3.env });
      const ended = waitForCustos(child, { timeoutMs: 120_000 });
      // Killed once the engine holds the upload's first parts: the object itself does not exist yet.
      while (child.exitCode === null) {
        const uploads = await s3.client.send(
          new ListMultipartUploadsCommand({ Bucket: s3.bucket, Prefix: Key }),
        );
        if ((uploads.Uploads ?? []).length > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      child.kill('SIGKILL');
      expect((await ended).signal).toBe('SIGKILL');
      await expect(s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key }))).rejects.toMatchObject({
        name: 'NotFound',
      });

      const resumed = await custos(ana, ['push', '--case', 'BE-4']);
      expect(resumed.status, resumed.stderr).toBe(0);
      const head = await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key }));
      expect(head.ContentLength).toBe(big.artifacts[0]!.size);
      const left = await s3.client.send(new ListMultipartUploadsCommand({ Bucket: s3.bucket, Prefix: Key }));
      expect(left.Uploads ?? []).toEqual([]);

      const ben = await storeWithRemote('Ben Okafor', 'resumed');
      const pulled = await custos(ben, ['pull', '--case', ana.caseId!]);
      expect(pulled.status, pulled.stderr).toBe(0);
      expect(read(ben, (open) => open.listItems('BE-4').map((i) => i.digest))).toEqual([big.digest]);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    "the app's API lists the remote, pushes a case and pulls it into another workstation, naming who pushed",
    async () => {
      const ana = await storeWithRemote('Ana Ruiz', 'app', 'BE-5');
      const ben = await storeWithRemote('Ben Okafor', 'app');
      const item = await importFile(ana, 'BE-5', 'ad.txt', 'crossing on Friday');
      const saved = { ...process.env };
      Object.assign(process.env, s3.env);
      const anaApi = createApiService({ storeDir: ana.dir, exportDir: ana.base, watchTickMs: false });
      const benApi = createApiService({ storeDir: ben.dir, exportDir: ben.base, watchTickMs: false });
      try {
        expect(value(await anaApi.call('listRemotes', {}))).toEqual([
          { name: 'agency', url: `s3://${s3.bucket}/app/`, endpoint: s3.endpoint, region: 'us-east-1' },
        ]);
        expect(value(await anaApi.call('pushCase', { caseRef: 'BE-5' }))).toMatchObject({
          remote: 'agency',
          items: 1,
          blobsUploaded: 1,
          changed: true,
        });
        expect(value(await benApi.call('pullCase', { caseRef: ana.caseId! }))).toMatchObject({
          case: { id: ana.caseId, number: 'BE-5' },
          segments: [{ investigator: 'Ana Ruiz', new: true, items: [{ id: item.id, status: 'imported' }] }],
        });
      } finally {
        anaApi.close();
        benApi.close();
        process.env = saved;
      }
    },
    CLI_TEST_TIMEOUT_MS,
  );
});

function value(result: ApiResult<unknown>): unknown {
  if (!result.ok) throw new Error(`${result.error.kind}: ${result.error.message}`);
  return result.value;
}

function md5(text: string): string {
  return crypto.createHash('md5').update(text).digest('base64');
}
