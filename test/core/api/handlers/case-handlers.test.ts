import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiService } from '../../../../electron/core/api/api-service.js';
import { storeLayout } from '../../../../electron/core/store/store-layout.js';
import { apiForStore } from '../../../support/api-for-store.js';
import { editStoreAnchor } from '../../../support/edited-anchor.js';
import { makeTempStore, type TempStore } from '../../../support/temp-store.js';

describe('the store folder the window names when the store cannot be opened', () => {
  let temp: TempStore | undefined;
  let api: ApiService | undefined;
  afterEach(() => {
    api?.close();
    temp?.remove();
  });

  it('is answered for a store whose store.json was edited, whose profile read is refused as an integrity failure', async () => {
    temp = makeTempStore();
    editStoreAnchor(temp.dir);
    const anchorFile = storeLayout(temp.dir).anchor;
    const before = fs.readFileSync(anchorFile);
    api = apiForStore(temp);

    const profile = await api.call('getProfile', {});
    expect(profile.ok).toBe(false);
    expect(!profile.ok && profile.error.kind).toBe('integrity');
    expect(await api.call('getStoreFolder', {})).toEqual({ ok: true, value: { storeDir: temp.dir } });
    // Asking wrote nothing: store.json is as the test left it.
    expect(fs.readFileSync(anchorFile)).toEqual(before);
  });
});
