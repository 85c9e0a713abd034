/**
 * The WACZ 1.1.1 package Custos writes (docs/BUNDLE-FORMAT.md, "The WACZ"): the fixed names, the
 * shapes of datapackage.json and datapackage-digest.json, and the schemas `verify` reads them with.
 * The WACZ layout is Webrecorder's; everything Custos adds lives under `custos/`, listed in
 * datapackage.json like every other file, as the specification asks of extra files.
 */
import { z } from 'zod';

/** The WACZ specification version written into datapackage.json. */
export const WACZ_VERSION = '1.1.1';

/** The WACZ's fixed files (declared without zod, for `custos verify` to tell a WACZ from a bundle). */
export { WACZ_FILES } from './wacz-files.js';

/** Where an item's WARC goes in the WACZ. */
export function warcPath(itemId: string): string {
  return `archive/${itemId}.warc.gz`;
}

/** The folder of an item's other artifacts (screenshots, MHTML, capture record…) in the WACZ. */
export function waczItemFolder(itemId: string): string {
  return `custos/items/${itemId}/`;
}

/** The first line of pages.jsonl (json-pages-1.0). */
export const PAGES_HEADER = { format: 'json-pages-1.0', id: 'pages', title: 'All Pages' } as const;

/** `sha256:<hex>`, the form of every hash in datapackage.json and its digest file. */
export function prefixedSha256(hex: string): string {
  return `sha256:${hex}`;
}

const prefixedHash = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be sha256: and 64 lowercase hex digits');

/** One file of the package in datapackage.json. */
export const resourceSchema = z.object({
  name: z.string().optional(),
  path: z.string().min(1),
  hash: prefixedHash,
  bytes: z.number().int().nonnegative(),
});

/** datapackage.json as `verify` needs it (other properties are kept but not required). */
export const datapackageSchema = z
  .object({
    profile: z.literal('data-package'),
    wacz_version: z.string(),
    resources: z.array(resourceSchema),
  })
  .passthrough();

/** datapackage.json as Custos writes it. */
export interface Datapackage {
  readonly profile: 'data-package';
  readonly wacz_version: string;
  readonly title: string;
  readonly description: string;
  readonly created: string;
  readonly modified: string;
  readonly software: string;
  readonly mainPageUrl?: string;
  readonly mainPageDate?: string;
  readonly resources: readonly z.infer<typeof resourceSchema>[];
}

/**
 * The anonymous signature of the WACZ Signing and Verification recommendation: ECDSA over the
 * UTF-8 bytes of `hash` (the `sha256:…` string), SHA-256, the signature as r‖s in base64 (what
 * WebCrypto gives and takes), the public key as SPKI DER in base64. The recommendation allows no
 * other property.
 */
export const anonymousSignatureSchema = z
  .object({
    hash: prefixedHash,
    created: z.string(),
    software: z.string(),
    version: z.string().optional(),
    signature: z.string().min(1),
    publicKey: z.string().min(1),
  })
  .strict();

/** The RFC 3161 token of the datapackage.json digest, carried beside `signedData` (a Custos extension). */
export const digestTimestampSchema = z.object({
  /** The same `sha256:…` the token's imprint covers. */
  hash: prefixedHash,
  /** The authority's reply as received, a DER TimeStampResp, in base64. */
  token: z.string().min(1),
  /** The authority's certificate chain (PEM), to help a verifier build the path; never trusted as a root. */
  chain: z.string(),
  tsa: z.string(),
  genTime: z.string(),
});

/** datapackage-digest.json: the digest of datapackage.json, its signature and (when stamped) its token. */
export const digestFileSchema = z
  .object({
    path: z.literal('datapackage.json'),
    hash: prefixedHash,
    signedData: z.record(z.string(), z.unknown()).optional(),
    timestamp: digestTimestampSchema.optional(),
  })
  .passthrough();

/** datapackage-digest.json as Custos writes it. */
export type DigestFile = z.infer<typeof digestFileSchema> & {
  readonly signedData: z.infer<typeof anonymousSignatureSchema>;
};

/** custos/signer.json: which ECDSA key signs this WACZ on behalf of which Ed25519 workstation key. */
export const keyBindingSchema = z.object({
  statement: z.string(),
  /** The ECDSA public key (SPKI DER, base64), the same as `signedData.publicKey`. */
  publicKey: z.string(),
  curve: z.string(),
  /** The workstation key's fingerprint (SHA-256 of its SPKI DER), as bundles and custody entries name it. */
  keyFingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  investigator: z.object({ name: z.string(), agency: z.string().nullable(), badge: z.string().nullable() }),
});

/** custos/signer.json's content. */
export type KeyBinding = z.infer<typeof keyBindingSchema>;

/** One item of custos/items.json. */
export const waczItemSchema = z.object({
  id: z.string(),
  url: z.string(),
  title: z.string().nullable(),
  capturedAt: z.string(),
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  artifacts: z.array(
    z.object({
      path: z.string(),
      role: z.string(),
      mediaType: z.string(),
      size: z.number().int().nonnegative(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
});

/** custos/items.json: the case, who exported it, and the items. */
export const waczItemsFileSchema = z.object({
  case: z.object({ id: z.string(), number: z.string(), title: z.string() }),
  exportedAt: z.string(),
  items: z.array(waczItemSchema),
});

/** custos/items.json's content. */
export type WaczItemsFile = z.infer<typeof waczItemsFileSchema>;
