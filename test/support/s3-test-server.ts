/**
 * One real Ceph RADOS Gateway for a test file (scripts/s3-test-server.sh): started in `beforeAll`,
 * stopped in `afterAll`, in its own state folder. Tests skip only when the Ceph programs are not
 * installed (`cephMissing` says which); a cluster that is installed but does not come up fails.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { REPO_ROOT } from './run-custos.js';
import { makeTempDir, removeTempDir } from './temp-store.js';

const run = promisify(execFile);
const SCRIPT = path.join(REPO_ROOT, 'scripts', 's3-test-server.sh');
const PROGRAMS = ['ceph-mon', 'ceph-osd', 'radosgw', 'radosgw-admin', 'ceph', 'ceph-authtool', 'monmaptool'];

/** Why the S3 tests cannot run here (a Ceph program is not installed), or null when they can. */
export const cephMissing: string | null = (() => {
  const dirs = (process.env.PATH ?? '').split(path.delimiter);
  const absent = PROGRAMS.filter((p) => !dirs.some((d) => fs.existsSync(path.join(d, p))));
  return absent.length === 0
    ? null
    : `Ceph is not installed (${absent.join(', ')} missing): apt-get install ceph-mon ceph-osd radosgw, as .ci/run does`;
})();

/** A running gateway: its endpoint, credentials and Object Lock bucket. */
export interface S3TestServer {
  readonly endpoint: string;
  readonly bucket: string;
  /** The AWS variables a `custos` child process needs to reach it. */
  readonly env: Readonly<Record<string, string>>;
  /** An SDK client for the test's own checks and tampering. */
  readonly client: S3Client;
  stop(): Promise<void>;
}

/** Starts the gateway (about 3 s); throws with the script's reason when it does not come up. */
export async function startS3TestServer(): Promise<S3TestServer> {
  const state = path.join(makeTempDir('custos-s3-'), 'ceph');
  const env = { ...process.env, CUSTOS_S3_STATE: state };
  let stdout: string;
  try {
    ({ stdout } = await run('bash', [SCRIPT, 'start'], { env, timeout: 120_000 }));
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    await run('bash', [SCRIPT, 'stop'], { env }).catch(() => undefined);
    throw new Error(`the test S3 gateway did not start: ${e.stderr || e.message}`);
  }
  const values = Object.fromEntries(
    stdout
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  ) as Record<string, string>;
  const awsEnv = {
    AWS_ACCESS_KEY_ID: values.AWS_ACCESS_KEY_ID!,
    AWS_SECRET_ACCESS_KEY: values.AWS_SECRET_ACCESS_KEY!,
    AWS_REGION: 'us-east-1',
  };
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const client = new S3Client({
    endpoint: values.S3_ENDPOINT,
    region: 'us-east-1',
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials: { accessKeyId: awsEnv.AWS_ACCESS_KEY_ID, secretAccessKey: awsEnv.AWS_SECRET_ACCESS_KEY },
  });
  return {
    endpoint: values.S3_ENDPOINT!,
    bucket: values.S3_BUCKET!,
    env: awsEnv,
    client,
    async stop() {
      client.destroy();
      await run('bash', [SCRIPT, 'stop'], { env });
      removeTempDir(path.dirname(state));
    },
  };
}
