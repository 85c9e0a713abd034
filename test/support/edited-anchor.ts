import fs from 'node:fs';
import { storeLayout } from '../../electron/core/store/store-layout.js';

/**
 * Edits the store's store.json as someone with a text editor might: the ledger's length raised by
 * five, so that its signature no longer verifies. Returns the file's bytes before the edit, to put
 * back (a restore from a backup).
 */
export function editStoreAnchor(dir: string): Buffer {
  const file = storeLayout(dir).anchor;
  const original = fs.readFileSync(file);
  const anchor = JSON.parse(original.toString('utf8')) as { ledger: { count: number } };
  fs.writeFileSync(
    file,
    JSON.stringify({ ...anchor, ledger: { ...anchor.ledger, count: anchor.ledger.count + 5 } }),
  );
  return original;
}
