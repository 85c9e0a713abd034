import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import type { WritableDB } from '../../electron/core/store/database.js';
import { EvidenceStore } from '../../electron/core/store/evidence-store.js';
import { appendLedgerEntry } from '../../electron/core/store/ledger.js';
import * as q from '../../electron/core/store/queries.js';
import { generateSigningKey } from '../../electron/core/store/signing-key.js';
import { openRawDatabase } from './sqlite.js';

/**
 * Appends `count` entries to the store's database in `dir` signed by a new key, not the
 * workstation's, as someone editing the file would (a raw handle, no access to the workstation's
 * key). With `listKey` (the default) the key is also added to the investigators table, as the
 * forger would to make the entries look vouched for; with `introduce` as well, a `store.init`
 * entry signed by that key introduces it first (the first of the `count`), as `init` does, so that
 * the investigator row matches a signed entry. Returns the forged key's fingerprint.
 */
export function appendForeignEntries(
  dir: string,
  count: number,
  options: { readonly listKey?: boolean; readonly introduce?: boolean } = {},
): string {
  const key = generateSigningKey();
  const privateKey = createPrivateKey(key.privateKeyPem);
  const investigatorId = randomUUID();
  const db = openRawDatabase(dir) as WritableDB;
  try {
    db.transaction(() => {
      if (options.listKey ?? true)
        q.insertInvestigator(db, {
          id: investigatorId,
          name: 'Someone else',
          agency: null,
          badge: null,
          keyFingerprint: key.fingerprint,
          publicKeyPem: key.publicKeyPem,
          createdAt: new Date().toISOString(),
        });
      const signer = {
        investigatorId,
        keyFingerprint: key.fingerprint,
        publicKeyPem: key.publicKeyPem,
        sign: (data: Buffer) => sign(null, data, privateKey),
      };
      if (options.introduce)
        appendLedgerEntry(db, signer, {
          action: 'store.init',
          caseId: null,
          subject: investigatorId,
          details: {
            investigator: { name: 'Someone else', agency: null, badge: null },
            keyFingerprint: key.fingerprint,
            publicKeyPem: key.publicKeyPem,
          },
        });
      for (let i = options.introduce ? 1 : 0; i < count; i++)
        appendLedgerEntry(db, signer, {
          action: 'case.create',
          caseId: null,
          subject: 'forged',
          details: {},
        });
    })();
  } finally {
    db.close();
  }
  return key.fingerprint;
}

/** The ledger of the store in `dir` as Custos reads it for an audit: each entry's action, hash and details. */
export function ledgerOf(dir: string): { action: string; hash: string; details: Record<string, unknown> }[] {
  const reader = EvidenceStore.openForReading(dir, { forAudit: true });
  try {
    return reader.ledger().map((e) => ({ action: e.action, hash: e.hash, details: { ...e.details } }));
  } finally {
    reader.close();
  }
}
