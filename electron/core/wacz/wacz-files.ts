/** The fixed names of the WACZ Custos writes (docs/BUNDLE-FORMAT.md, "The WACZ"); wacz-format.ts has its shapes. */

/** The WACZ's fixed files, and the folder of what Custos adds beside the web archive. */
export const WACZ_FILES = {
  datapackage: 'datapackage.json',
  digest: 'datapackage-digest.json',
  pages: 'pages/pages.jsonl',
  index: 'indexes/index.cdxj',
  /** Case, exporter and every item with its artifacts' paths and hashes in this WACZ. */
  items: 'custos/items.json',
  /** Line n: the RFC 8785 bytes of item n's capture record, whose SHA-256 is its digest. */
  itemRecords: 'custos/item-records.jsonl',
  /** The statement, signed by the workstation's Ed25519 key, that the ECDSA key signs for it. */
  keyBinding: 'custos/signer.json',
  keyBindingSignature: 'custos/signer.json.sig',
  signerKey: 'custos/signer.pem',
} as const;
