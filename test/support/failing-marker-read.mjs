// Preloaded into a `custos` child (NODE_OPTIONS=--import=…) by the test of a restore's marker on a
// failing disk: every read of restore-pending.json with fs.readFileSync fails with EIO, as a
// failing disk's reads do. Nothing else is touched; the tests run on a sound disk.
import fs from 'node:fs';
import path from 'node:path';

const readFileSync = fs.readFileSync.bind(fs);
fs.readFileSync = (file, options) => {
  if (typeof file === 'string' && path.basename(file) === 'restore-pending.json')
    throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO', syscall: 'read', errno: -5 });
  return readFileSync(file, options);
};
