import fs from 'node:fs';
import path from 'node:path';
import { importFile } from '../../electron/core/import/import-file.js';
import type { EvidenceStore } from '../../electron/core/store/evidence-store.js';
import { REPO_ROOT } from './run-custos.js';

/** The multilingual advertisement fixtures (test/fixtures/ads/README.md says what each holds). */
export const ADS_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'ads');

/** The ad fixture files by name (README excluded). */
export const AD_FILES: readonly string[] = fs
  .readdirSync(ADS_DIR)
  .filter((name) => name !== 'README.md')
  .sort();

/** Imports every ad fixture into a case; returns the item id of each file by its name. */
export async function importAds(store: EvidenceStore, caseId: string): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const name of AD_FILES) ids[name] = (await importFile(store, caseId, path.join(ADS_DIR, name))).id;
  return ids;
}
