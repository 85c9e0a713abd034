import { execFile, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { EvidenceStore } from '../../electron/core/store/evidence-store.js';
import { addTrustedRoots, setAuthorities } from '../../electron/core/timestamp/timestamp-settings.js';
import { suiteResource } from './suite-resource.js';
import { makeTempDir, removeTempDir, type TempStore } from './temp-store.js';

const run = promisify(execFile);

/**
 * How the local authority behaves:
 * - `ok`: a valid token from the test TSA (critical timeStamping usage, chained to the test CA);
 * - `unavailable`: HTTP 503; `refused`: nothing listens on the port; `hang`: never answers (until
 *   `endHanging`);
 * - `garbage`: HTTP 200 with random bytes; `reject`: a real OpenSSL rejection (badAlg);
 * - `wrong-nonce`: a valid token that answers another request's nonce;
 * - `other-digest`: a valid token over another digest than the one asked;
 * - `untrusted`: a valid token from a TSA under another CA (whose root the token itself carries);
 * - `expiring`: a valid token from a TSA certificate that expires seconds later (`useExpiringCertificate`).
 */
export type TsaMode =
  | 'ok'
  | 'unavailable'
  | 'refused'
  | 'hang'
  | 'garbage'
  | 'reject'
  | 'wrong-nonce'
  | 'other-digest'
  | 'untrusted'
  | 'expiring';

/** What `openssl ts -verify` said. */
export interface OpensslResult {
  readonly status: number | null;
  readonly output: string;
}

/** A running local RFC 3161 authority on 127.0.0.1 (see `startLocalTsa`). */
export interface LocalTsa {
  /** The URL to POST requests to (stays the same when the authority goes down and comes back). */
  readonly url: string;
  /** The folder with the test CA and TSA files. */
  readonly dir: string;
  /** The test root certificate: PEM text and file. */
  readonly caPem: string;
  readonly caFile: string;
  /** The TSA certificate (for `openssl ts -verify -untrusted`). */
  readonly tsaCertFile: string;
  /** The root of the `untrusted` mode's CA. */
  readonly rogueCaPem: string;
  /** How many requests reached the server. */
  readonly requests: number;
  /**
   * Answers the requests `hang` holds with HTTP 503, as an authority that gives up at last: a test
   * sees a request settle without waiting out the client's timeout.
   */
  endHanging(): void;
  /** Changes the behaviour; `refused` stops listening and any other mode listens again on the same port. */
  setMode(mode: TsaMode): Promise<void>;
  /**
   * Issues a TSA certificate (same key) valid from an hour ago until `seconds` from now and switches
   * to `expiring`. Returns the certificate's notAfter time.
   */
  useExpiringCertificate(seconds: number): Promise<Date>;
  /** The expiring certificate's file (after `useExpiringCertificate`). */
  readonly expiringCertFile: string;
  /** Runs `openssl ts -verify -digest HEX -in TSR -CAfile CA -untrusted TSA` (optionally `-attime`). */
  opensslVerify(
    tsr: string | Uint8Array,
    digestHex: string,
    options?: { readonly untrusted?: string; readonly attime?: Date; readonly caFile?: string },
  ): OpensslResult;
  /** Stops the server and deletes its files. */
  stop(): Promise<void>;
}

/**
 * Starts a real RFC 3161 authority for tests: OpenSSL's `ts -reply` behind a node:http server on
 * 127.0.0.1, with a test CA and TSA certificates made by OpenSSL in a temp folder, able to misbehave
 * on demand (see `TsaMode`).
 */
export async function startLocalTsa(): Promise<LocalTsa> {
  const dir = makeTempDir('custos-tsa-');
  const file = (name: string) => path.join(dir, name);
  await makeCertificates(dir);
  fs.writeFileSync(file('ts.cnf'), tsConfig(dir));

  let mode: TsaMode = 'ok';
  let requests = 0;
  const hung = new Set<http.ServerResponse>();
  let sequence = 0;
  const server = http.createServer((req, res) => {
    requests++;
    // Held at once, in the same turn as the count, so that a test that saw the count can end it.
    if (mode === 'hang') {
      hung.add(res);
      res.on('close', () => hung.delete(res));
      return;
    }
    handle(req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const query = Buffer.concat(chunks);
    const current = mode;
    if (current === 'unavailable') {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('down for maintenance');
      return;
    }
    if (current === 'garbage') {
      res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(randomBytes(300));
      return;
    }
    const section = { reject: 'tsa_reject', untrusted: 'tsa_rogue', expiring: 'tsa_expiring' }[
      current as 'reject' | 'untrusted' | 'expiring'
    ];
    const id = ++sequence;
    const queryFile = file(`q${id}.tsq`);
    const replyFile = file(`r${id}.tsr`);
    fs.writeFileSync(queryFile, alterQuery(query, current));
    await run('openssl', [
      'ts',
      '-reply',
      '-config',
      file('ts.cnf'),
      '-section',
      section ?? 'tsa_ok',
      '-queryfile',
      queryFile,
      '-out',
      replyFile,
    ]);
    const reply = fs.readFileSync(replyFile);
    fs.rmSync(queryFile);
    fs.rmSync(replyFile);
    res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(reply);
  }

  await listen(server, 0);
  const port = (server.address() as AddressInfo).port;
  const caPem = fs.readFileSync(file('ca.pem'), 'utf8');

  const tsa: LocalTsa = {
    url: `http://127.0.0.1:${port}/tsa`,
    dir,
    caPem,
    caFile: file('ca.pem'),
    tsaCertFile: file('tsa.pem'),
    rogueCaPem: fs.readFileSync(file('rogue-ca.pem'), 'utf8'),
    expiringCertFile: file('tsa-expiring.pem'),
    get requests() {
      return requests;
    },
    endHanging() {
      for (const res of hung) res.writeHead(503, { 'content-type': 'text/plain' }).end('gave up');
      hung.clear();
    },
    async setMode(next) {
      const wasListening = server.listening;
      mode = next;
      if (next === 'refused' && wasListening) await close(server);
      if (next !== 'refused' && !wasListening) await listen(server, port);
    },
    async useExpiringCertificate(seconds) {
      const notAfter = await issueExpiringCertificate(dir, seconds);
      await tsa.setMode('expiring');
      return notAfter;
    },
    opensslVerify(tsr, digestHex, options = {}) {
      const tsrFile = typeof tsr === 'string' ? tsr : file(`verify-${++sequence}.tsr`);
      if (typeof tsr !== 'string') fs.writeFileSync(tsrFile, tsr);
      const args = [
        'ts',
        '-verify',
        '-digest',
        digestHex,
        '-in',
        tsrFile,
        '-CAfile',
        options.caFile ?? file('ca.pem'),
      ];
      args.push('-untrusted', options.untrusted ?? file('tsa.pem'));
      if (options.attime) args.push('-attime', String(Math.floor(options.attime.getTime() / 1000)));
      const result = spawnSync('openssl', args, { encoding: 'utf8' });
      return { status: result.status, output: `${result.stdout}${result.stderr}` };
    },
    async stop() {
      if (server.listening) await close(server);
      removeTempDir(dir);
    },
  };
  return tsa;
}

/** A query as the misbehaving modes rewrite it before OpenSSL answers it. */
function alterQuery(query: Buffer, mode: TsaMode): Buffer {
  if (mode !== 'wrong-nonce' && mode !== 'other-digest') return query;
  const request = pkijs.TimeStampReq.fromBER(query);
  if (mode === 'wrong-nonce') {
    request.nonce = new asn1js.Integer({ valueHex: Buffer.from('0123456789abcdef', 'hex') });
  } else {
    const other = createHash('sha256').update('another document').digest();
    request.messageImprint.hashedMessage = new asn1js.OctetString({ valueHex: other });
  }
  return Buffer.from(request.toSchema().toBER());
}

function listen(server: http.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function close(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Requests left hanging (`hang` mode) would keep the server open forever.
    server.closeAllConnections();
  });
}

const TSA_EXTENSIONS = `
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

async function openssl(dir: string, args: string[]): Promise<void> {
  await run('openssl', args, { cwd: dir });
}

/** The test CA (EC P-256), its TSA (RSA 2048), and a rogue CA with its own TSA (EC). */
async function makeCertificates(dir: string): Promise<void> {
  fs.writeFileSync(path.join(dir, 'tsa.ext'), `[tsa]\n${TSA_EXTENSIONS}`);
  const root = (name: string, cn: string) =>
    openssl(dir, [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.pem`,
      '-subj',
      `/CN=${cn}`,
      '-days',
      '3650',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
  const tsa = async (name: string, ca: string, key: string[], serial: string) => {
    await openssl(dir, [
      'req',
      '-new',
      ...key,
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-subj',
      `/CN=${name} test authority`,
      '-out',
      `${name}.csr`,
    ]);
    await openssl(dir, [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${ca}.pem`,
      '-CAkey',
      `${ca}.key`,
      '-set_serial',
      serial,
      '-days',
      '365',
      '-extfile',
      'tsa.ext',
      '-extensions',
      'tsa',
      '-out',
      `${name}.pem`,
    ]);
  };
  await Promise.all([root('ca', 'Custos Test Root CA'), root('rogue-ca', 'Rogue Root CA')]);
  await Promise.all([
    tsa('tsa', 'ca', ['-newkey', 'rsa:2048'], '2'),
    tsa('rogue-tsa', 'rogue-ca', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], '3'),
  ]);
  fs.writeFileSync(path.join(dir, 'serial'), '01\n');
  fs.mkdirSync(path.join(dir, 'cadb'));
  fs.writeFileSync(path.join(dir, 'cadb', 'index.txt'), '');
  fs.writeFileSync(path.join(dir, 'cadb', 'serial'), '10\n');
}

/** `openssl ca` is the OpenSSL 3.0 way to give a certificate an exact notAfter. */
async function issueExpiringCertificate(dir: string, seconds: number): Promise<Date> {
  const stamp = (date: Date) => `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
  const notAfter = new Date(Math.floor(Date.now() / 1000) * 1000 + seconds * 1000);
  fs.writeFileSync(
    path.join(dir, 'ca.cnf'),
    `[ca]\ndefault_ca = test_ca\n[test_ca]\ndir = ${path.join(dir, 'cadb')}\ndatabase = $dir/index.txt\nserial = $dir/serial\nnew_certs_dir = $dir\ndefault_md = sha256\npolicy = any\nunique_subject = no\n[any]\ncommonName = supplied\n[tsa]\n${TSA_EXTENSIONS}`,
  );
  await openssl(dir, [
    'ca',
    '-batch',
    '-config',
    'ca.cnf',
    '-cert',
    'ca.pem',
    '-keyfile',
    'ca.key',
    '-in',
    'tsa.csr',
    '-out',
    'tsa-expiring.pem',
    '-startdate',
    stamp(new Date(Date.now() - 3600_000)),
    '-enddate',
    stamp(notAfter),
    '-extensions',
    'tsa',
    '-notext',
  ]);
  return notAfter;
}

function tsConfig(dir: string): string {
  const section = (name: string, cert: string, key: string, extra = '') => `
[${name}]
dir = ${dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/${cert}
signer_key = $dir/${key}
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.2
digests = sha256, sha384, sha512
accuracy = secs:1
clock_precision_digits = 3
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
${extra}`;
  return [
    '[tsa]\ndefault_tsa = tsa_ok',
    section('tsa_ok', 'tsa.pem', 'tsa.key'),
    section('tsa_expiring', 'tsa-expiring.pem', 'tsa.key'),
    // The rogue authority ships its own root inside the token: a verifier must still refuse it.
    section('tsa_rogue', 'rogue-tsa.pem', 'rogue-tsa.key', 'certs = $dir/rogue-ca.pem'),
    section('tsa_reject', 'tsa.pem', 'tsa.key').replace(
      'digests = sha256, sha384, sha512',
      'digests = sha512',
    ),
  ].join('\n');
}

/** Starts one local authority for a test file (before its tests) and stops it after them. */
export function localTsaForTests(): () => LocalTsa {
  return suiteResource('the local authority', startLocalTsa, (tsa) => tsa.stop());
}

/** Options of `trustAndAskLocalTsa`. */
export interface TrustAndAskOptions {
  /** The authorities the store asks, in order: the local one unless told; none leaves them unset. */
  readonly authorities?: readonly string[];
}

/**
 * Sets a store up as the investigator would to have it stamped by the local authority: trusts its
 * test root (added as `ca.pem`), then asks it (or `authorities`) for timestamps. Both settings are
 * custody entries, in that order.
 */
export function trustAndAskLocalTsa(
  store: EvidenceStore,
  tsa: LocalTsa,
  options: TrustAndAskOptions = {},
): void {
  addTrustedRoots(store, tsa.caPem, 'ca.pem');
  const authorities = options.authorities ?? [tsa.url];
  if (authorities.length) setAuthorities(store, authorities);
}

/**
 * `trustAndAskLocalTsa` on a temp store that is closed (for a CLI child or the API service to open
 * next): opens it for writing, sets it up and closes it again.
 */
export function trustAndAskLocalTsaIn(
  temp: TempStore,
  tsa: LocalTsa,
  options: TrustAndAskOptions = {},
): void {
  const store = temp.open();
  try {
    trustAndAskLocalTsa(store, tsa, options);
  } finally {
    store.close();
  }
}
