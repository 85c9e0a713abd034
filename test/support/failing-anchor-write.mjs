// Preloaded into a `custos` child (NODE_OPTIONS=--import=…) by the test of a restore whose
// store.json cannot be rewritten: every rename onto store.json fails with ENOSPC, as a full disk's
// write of its temporary file would stop it. Nothing else is touched.
import fs from 'node:fs';
import path from 'node:path';

const renameSync = fs.renameSync.bind(fs);
fs.renameSync = (from, to) => {
  if (path.basename(String(to)) === 'store.json')
    throw Object.assign(new Error(`ENOSPC: no space left on device, rename '${from}' -> '${to}'`), {
      code: 'ENOSPC',
      syscall: 'rename',
      errno: -28,
    });
  renameSync(from, to);
};
