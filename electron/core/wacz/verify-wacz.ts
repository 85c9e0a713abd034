/**
 * `custos verify FILE.wacz`: checks a WACZ with no store, as the WACZ specification and its signing
 * recommendation describe: every resource of datapackage.json against the file's bytes (streamed),
 * no file missing or added, datapackage.json against its digest, the digest's ECDSA signature,
 * and the digest's RFC 3161 token. For a WACZ Custos wrote it also checks that the workstation's
 * Ed25519 key vouches for the signing key and that each page's artifacts are the ones its custody
 * digest covers. Every difference is named by the file it concerns.
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { z } from 'zod';
import type { WaczTimestamp, WaczVerification } from '../../../shared/api.js';
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from '../bundle/format.js';
import { checkExpectedSigner } from '../bundle/verify-bundle.js';
import {
  type BundleProblem,
  hashEntry,
  type InspectedZip,
  inspectZip,
  isFileReadFailure,
  readEntryBytes,
  type ZipDirectory,
} from '../bundle/zip-reader.js';
import { errorSaying, type NextStep, RUN_AGAIN } from '../errors.js';
import { requireRegularFile } from '../regular-file.js';
import { sha256Hex } from '../store/canonical-json.js';
import { keyFingerprint, verifySignature } from '../store/signing-key.js';
import { describeVerifyReadFailure } from '../system-errors.js';
import { untrustedWithAdvice } from '../timestamp/trust-advice.js';
import { looksLikeWacz } from './verify-target.js';
import {
  anonymousSignatureSchema,
  datapackageSchema,
  digestFileSchema,
  keyBindingSchema,
  prefixedSha256,
  WACZ_FILES,
  waczItemsFileSchema,
} from './wacz-format.js';

/** How to verify a WACZ. */
export interface WaczVerifyOptions {
  /** The workstation key fingerprint (or the SHA-256 of the signing key's SPKI) the signer must have. */
  readonly expectSigner?: string;
  /** Root certificates (PEM) of time-stamping authorities the recipient trusts, besides Node's roots. */
  readonly tsaRootsPem?: readonly string[];
  readonly limits?: ZipLimits;
  /** Whose words the report's advice is in: the CLI's (`RUN_AGAIN`, the default) or the window's. */
  readonly next?: NextStep;
  /** The file's ZIP directory, already read (`verifyTargetOf`): not read again, and closed with the check. */
  readonly directory?: ZipDirectory | null;
}

/** The files a WACZ holds besides its resources: the manifest and its digest. */
const OUTSIDE_RESOURCES: ReadonlySet<string> = new Set([WACZ_FILES.datapackage, WACZ_FILES.digest]);
/** Curves the recommendation's ECDSA signatures use (as Node names them). */
const ECDSA_CURVES: ReadonlySet<string> = new Set(['prime256v1', 'secp384r1']);

/**
 * Verifies a WACZ (`checkWacz`); a read that the file's disk fails is that disk's failure (exit 3),
 * as for a bundle, never a problem of the WACZ.
 */
export async function verifyWacz(file: string, options: WaczVerifyOptions = {}): Promise<WaczVerification> {
  try {
    return await checkWacz(file, options);
  } catch (error) {
    throw describeVerifyReadFailure(error, file, 'the WACZ') ?? error;
  }
}

/** Verifies a WACZ file; throws bad input (exit 2) for a file that is not a WACZ. */
async function checkWacz(file: string, options: WaczVerifyOptions = {}): Promise<WaczVerification> {
  await requireRegularFile(file, file, 'nothing was verified');
  const expectSigner = checkExpectedSigner(options.expectSigner);
  const limits = options.limits ?? DEFAULT_ZIP_LIMITS;
  const zip = await inspectZip(file, limits, 'a WACZ', options.directory ?? undefined);
  try {
    refuseZipThatIsNoWacz(zip, file);
    const verification = await new WaczCheck(
      zip,
      limits,
      options.tsaRootsPem ?? [],
      expectSigner,
      options.next ?? RUN_AGAIN,
    ).run();
    zip.requireUnchanged(); // every finding above is of this very file
    return verification;
  } finally {
    await zip.close();
  }
}

/** A ZIP with no datapackage.json and none of a WACZ's files is not a WACZ: bad input, nothing checked. */
function refuseZipThatIsNoWacz(zip: InspectedZip, file: string): void {
  if (zip.refused || looksLikeWacz(zip.files.keys())) return;
  throw errorSaying(
    'bad-input',
    (next) =>
      `${file} is not a WACZ: the ZIP holds no datapackage.json (a WACZ's manifest) and no archive/ folder; check the file (a Custos bundle is checked ${next.verifyBundle})`,
  );
}

/** One verification of one open WACZ; collects problems and warnings as it goes. */
class WaczCheck {
  private readonly problems: BundleProblem[] = [];
  private readonly warnings: BundleProblem[] = [];
  /** SHA-256 (hex) of each resource as found in the ZIP. */
  private readonly found = new Map<string, string>();

  constructor(
    private readonly zip: InspectedZip,
    private readonly limits: ZipLimits,
    private readonly tsaRootsPem: readonly string[],
    private readonly expectSigner: string | undefined,
    private readonly next: NextStep,
  ) {
    this.problems.push(...zip.problems);
  }

  async run(): Promise<WaczVerification> {
    if (this.zip.refused) return this.report({});
    const datapackageBytes = await this.read(
      WACZ_FILES.datapackage,
      'is missing: a WACZ lists its files in it',
    );
    const datapackage = datapackageBytes
      ? this.parse(WACZ_FILES.datapackage, datapackageBytes, datapackageSchema)
      : null;
    if (datapackage) await this.checkResources(datapackage.resources);
    const datapackageSha256 = datapackageBytes ? sha256Hex(datapackageBytes) : null;
    const signature = datapackageSha256 ? await this.checkDigest(datapackageSha256) : null;
    const signer = signature ? await this.checkSigner(signature.key, signature.publicKey) : null;
    const caseInfo = await this.checkItems();
    return this.report({
      waczVersion: datapackage?.wacz_version ?? null,
      signer,
      publicKey: signature?.publicKey ?? null,
      created: signature?.created ?? null,
      software: signature?.software ?? null,
      datapackageSha256,
      case: caseInfo,
      pages: await this.countPages(),
      resources: datapackage?.resources.length ?? 0,
      timestamp: signature?.timestamp ?? null,
    });
  }

  private report(found: Partial<WaczVerification>): WaczVerification {
    return {
      valid: this.problems.length === 0,
      format: 'wacz',
      waczVersion: null,
      signer: null,
      signerChecked: this.expectSigner !== undefined,
      publicKey: null,
      created: null,
      software: null,
      datapackageSha256: null,
      case: null,
      pages: 0,
      resources: 0,
      timestamp: null,
      ...found,
      problems: this.problems,
      warnings: this.warnings,
    };
  }

  private problem(path: string, problem: string): void {
    this.problems.push({ path, problem });
  }

  /** Reads a small file whole; a missing or unreadable one is a problem (with `missing` saying why it matters). */
  private async read(name: string, missing: string): Promise<Buffer | null> {
    const entry = this.zip.files.get(name);
    if (!entry) {
      this.problem(name, missing);
      return null;
    }
    try {
      return await readEntryBytes(this.zip, entry, this.limits.maxControlFileBytes);
    } catch (error) {
      if (isFileReadFailure(error)) throw error; // the disk's or the path's, not the file's
      this.problem(name, `cannot be read: ${(error as Error).message}`);
      return null;
    }
  }

  private parse<T extends z.ZodTypeAny>(name: string, bytes: Buffer, schema: T): z.infer<T> | null {
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      this.problem(name, `is not valid JSON (${(error as Error).message})`);
      return null;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      this.problem(
        name,
        `is not as the WACZ specification describes it: ${issue?.path.join('.') || '(root)'} ${issue?.message}`,
      );
      return null;
    }
    return parsed.data;
  }

  /** Every resource's bytes and size against datapackage.json; every file of the ZIP listed there. */
  private async checkResources(resources: readonly z.infer<typeof datapackageSchema>['resources'][number][]) {
    const listed = new Set<string>();
    for (const resource of resources) {
      if (listed.has(resource.path)) this.problem(resource.path, 'is listed twice in datapackage.json');
      listed.add(resource.path);
      const entry = this.zip.files.get(resource.path);
      if (!entry) {
        this.problem(
          resource.path,
          'is listed in datapackage.json but missing from the WACZ: a file was removed',
        );
        continue;
      }
      let hex: string;
      try {
        hex = await hashEntry(this.zip, entry);
      } catch (error) {
        if (isFileReadFailure(error)) throw error;
        this.problem(resource.path, `cannot be read: ${(error as Error).message}`);
        continue;
      }
      this.found.set(resource.path, hex);
      if (prefixedSha256(hex) !== resource.hash)
        this.problem(
          resource.path,
          `content differs from datapackage.json: it hashes to ${prefixedSha256(hex)}, datapackage.json says ${resource.hash}`,
        );
      else if (entry.size !== resource.bytes)
        this.problem(resource.path, `is ${entry.size} bytes, datapackage.json says ${resource.bytes}`);
    }
    for (const name of this.zip.files.keys()) {
      if (!listed.has(name) && !OUTSIDE_RESOURCES.has(name))
        this.problem(name, 'is not listed in datapackage.json: a file was added');
    }
  }

  /** datapackage.json against its digest, the digest's signature, and its timestamp. */
  private async checkDigest(datapackageSha256: string) {
    const name = WACZ_FILES.digest;
    const bytes = await this.read(
      name,
      'is missing: the WACZ is not signed, so nothing proves who made it or that it is whole',
    );
    const digest = bytes ? this.parse(name, bytes, digestFileSchema) : null;
    if (!digest) return null;
    const actual = prefixedSha256(datapackageSha256);
    if (digest.hash !== actual)
      this.problem(
        WACZ_FILES.datapackage,
        `does not match its digest: it hashes to ${actual}, datapackage-digest.json says ${digest.hash} (the file list was edited)`,
      );
    const signedData = digest.signedData;
    if (!signedData) {
      this.problem(name, 'carries no signature (signedData): nothing proves who made the WACZ');
      return null;
    }
    if ('domain' in signedData || 'domainCert' in signedData) {
      this.problem(
        name,
        `is signed with a domain certificate (signedData.domain), which ${this.next.verifier} does not check; check it with a WACZ tool that does (py-wacz validate)`,
      );
      return null;
    }
    const signed = this.parse(name, Buffer.from(JSON.stringify(signedData)), anonymousSignatureSchema);
    if (!signed) return null;
    if (signed.hash !== digest.hash)
      this.problem(
        name,
        `signedData.hash (${signed.hash}) is not the digest's hash (${digest.hash}): the signature is over another datapackage.json`,
      );
    const key = this.ecdsaKey(signed.publicKey);
    if (key && !this.signatureHolds(key, signed.hash, signed.signature))
      this.problem(
        name,
        'signedData.signature does not verify with signedData.publicKey: the digest, the signature or the key was changed',
      );
    const timestamp = digest.timestamp
      ? await this.checkTimestamp(digest.timestamp, digest.hash, datapackageSha256)
      : null;
    return {
      key,
      publicKey: signed.publicKey,
      created: signed.created,
      software: signed.software,
      timestamp,
    };
  }

  private ecdsaKey(publicKey: string): KeyObject | null {
    try {
      const key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
      const curve = key.asymmetricKeyDetails?.namedCurve ?? '';
      if (key.asymmetricKeyType === 'ec' && ECDSA_CURVES.has(curve)) return key;
      this.problem(
        WACZ_FILES.digest,
        `signedData.publicKey is not an ECDSA P-256 or P-384 key (${key.asymmetricKeyType} ${curve})`,
      );
    } catch (error) {
      this.problem(
        WACZ_FILES.digest,
        `signedData.publicKey is not a public key (${(error as Error).message})`,
      );
    }
    return null;
  }

  /** ECDSA with SHA-256 over the hash string's UTF-8 bytes; r‖s as WebCrypto writes it, DER as OpenSSL does. */
  private signatureHolds(key: KeyObject, hash: string, signature: string): boolean {
    const data = Buffer.from(hash, 'utf8');
    const bytes = Buffer.from(signature, 'base64');
    try {
      return (
        verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, bytes) ||
        verify('sha256', data, { key, dsaEncoding: 'der' }, bytes)
      );
    } catch {
      return false;
    }
  }

  private async checkTimestamp(
    timestamp: NonNullable<z.infer<typeof digestFileSchema>['timestamp']>,
    digestHash: string,
    datapackageSha256: string,
  ): Promise<WaczTimestamp> {
    const name = WACZ_FILES.digest;
    if (timestamp.hash !== digestHash)
      this.problem(name, `timestamp.hash (${timestamp.hash}) is not the digest's hash (${digestHash})`);
    // asn1js and pkijs are loaded only for a WACZ that carries a token (the CLI reads this module
    // for every verify, to tell a WACZ from a bundle).
    const { checkBundledToken } = await import('../bundle/bundled-token-check.js');
    const check = await checkBundledToken(
      Buffer.from(timestamp.token, 'base64'),
      datapackageSha256,
      timestamp.chain || null,
      this.tsaRootsPem,
    );
    for (const fault of check.faults) this.problem(name, `timestamp: ${fault}`);
    if (check.untrusted)
      this.warnings.push({
        path: name,
        problem: `timestamp: ${untrustedWithAdvice(check.untrusted, this.next)}`,
      });
    return {
      tsa: check.verification.tsa ?? timestamp.tsa,
      tsaUrl: timestamp.tsa,
      time: check.verification.genTime,
      valid: check.faults.length === 0,
      trusted: check.faults.length === 0 && check.untrusted === null,
      problem: check.faults[0] ?? null,
    };
  }

  /**
   * Who signed: the workstation key that vouches for the signing key in custos/signer.json (a WACZ
   * from Custos), else the signing key itself (its SPKI's SHA-256); compared with --expect-signer.
   */
  private async checkSigner(key: KeyObject | null, publicKey: string): Promise<string | null> {
    const ecdsaFingerprint = sha256Hex(Buffer.from(publicKey, 'base64'));
    let signer = ecdsaFingerprint;
    if (this.zip.files.has(WACZ_FILES.keyBinding)) signer = (await this.checkKeyBinding(publicKey)) ?? signer;
    if (
      key &&
      this.expectSigner !== undefined &&
      this.expectSigner !== signer &&
      this.expectSigner !== ecdsaFingerprint
    )
      this.problem(
        WACZ_FILES.digest,
        `is signed for key ${signer}, not the key you expected (${this.expectSigner})`,
      );
    return signer;
  }

  /** custos/signer.json: signed by custos/signer.pem, and naming the key that signed the digest. */
  private async checkKeyBinding(publicKey: string): Promise<string | null> {
    const binding = await this.read(WACZ_FILES.keyBinding, 'is missing');
    const signature = await this.read(
      WACZ_FILES.keyBindingSignature,
      'is missing: nothing signs custos/signer.json',
    );
    const pem = await this.read(WACZ_FILES.signerKey, 'is missing: custos/signer.json cannot be checked');
    if (!binding || !signature || !pem) return null;
    const statement = this.parse(WACZ_FILES.keyBinding, binding, keyBindingSchema);
    let fingerprint: string;
    try {
      fingerprint = keyFingerprint(pem.toString('utf8'));
    } catch (error) {
      this.problem(WACZ_FILES.signerKey, `is not a public key (${(error as Error).message})`);
      return null;
    }
    if (!verifySignature(pem.toString('utf8'), binding, signature))
      this.problem(
        WACZ_FILES.keyBindingSignature,
        'does not verify custos/signer.json with custos/signer.pem',
      );
    if (statement && statement.keyFingerprint !== fingerprint)
      this.problem(
        WACZ_FILES.keyBinding,
        `names workstation key ${statement.keyFingerprint}, but custos/signer.pem is ${fingerprint}`,
      );
    if (statement && statement.publicKey !== publicKey)
      this.problem(WACZ_FILES.keyBinding, 'names another signing key than signedData.publicKey');
    return fingerprint;
  }

  /** custos/items.json and item-records.jsonl: each record hashes to its digest, each artifact is the one it lists. */
  private async checkItems() {
    if (!this.zip.files.has(WACZ_FILES.items)) return null;
    const bytes = await this.read(WACZ_FILES.items, 'is missing');
    const records = await this.read(
      WACZ_FILES.itemRecords,
      "is missing: the items' digests cannot be recomputed",
    );
    const items = bytes ? this.parse(WACZ_FILES.items, bytes, waczItemsFileSchema) : null;
    if (!items || !records) return items?.case ?? null;
    const lines = records.toString('utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    if (lines.length !== items.items.length)
      this.problem(WACZ_FILES.itemRecords, `has ${lines.length} lines for ${items.items.length} items`);
    items.items.forEach((item, index) => {
      const line = lines[index];
      if (line !== undefined && sha256Hex(Buffer.from(line, 'utf8')) !== item.digest)
        this.problem(
          WACZ_FILES.itemRecords,
          `line ${index + 1} does not hash to item ${item.id}'s digest ${item.digest}`,
        );
      const recorded = new Set(line ? recordArtifactHashes(line) : []);
      for (const artifact of item.artifacts) {
        if (!recorded.has(artifact.sha256))
          this.problem(
            artifact.path,
            `is not an artifact of item ${item.id}'s capture record (its digest does not cover it)`,
          );
        const found = this.found.get(artifact.path);
        if (found !== undefined && found !== artifact.sha256)
          this.problem(
            artifact.path,
            `hashes to ${found}, item ${item.id}'s capture record says ${artifact.sha256}`,
          );
      }
    });
    return items.case;
  }

  private async countPages(): Promise<number> {
    const entry = this.zip.files.get(WACZ_FILES.pages);
    if (!entry) {
      this.problem(WACZ_FILES.pages, 'is missing: a WACZ lists its pages in it');
      return 0;
    }
    let lines = 0;
    try {
      await hashEntry(this.zip, entry, (chunk) => {
        for (const byte of chunk) if (byte === 0x0a) lines++;
      });
    } catch (error) {
      if (isFileReadFailure(error)) throw error;
      return 0; // already named by the resource check
    }
    return Math.max(0, lines - 1);
  }
}

/** The artifact hashes a canonical capture record lists (empty when the line is not one). */
function recordArtifactHashes(line: string): string[] {
  try {
    const record = JSON.parse(line) as { artifacts?: { sha256?: unknown }[] };
    return (record.artifacts ?? []).flatMap((a) => (typeof a.sha256 === 'string' ? [a.sha256] : []));
  } catch {
    return [];
  }
}
