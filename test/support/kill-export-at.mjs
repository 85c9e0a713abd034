// Preloaded into a `custos export` child (NODE_OPTIONS=--import=…) by the test of an export killed
// midway: once more than CUSTOS_TEST_KILL_EXPORT_AFTER bytes of the bundle's file are written
// (its `.NAME.PID.partial`, export-file.ts), the process writes "killed after N bytes of NAME" to
// stderr and kills itself with SIGKILL, as a power cut or `kill -9` would stop it there, with the
// bundle half written. Nothing else is touched.
import fs from 'node:fs';
import path from 'node:path';

const limit = Number(process.env.CUSTOS_TEST_KILL_EXPORT_AFTER);
const createWriteStream = fs.createWriteStream.bind(fs);
fs.createWriteStream = (file, options) => {
  const stream = createWriteStream(file, options);
  const name = path.basename(String(file));
  if (!/^\..+\.\d+\.partial$/.test(name)) return stream;
  // The stream counts the bytes the disk took before it calls back: wrap the callback.
  for (const method of ['_write', '_writev']) {
    const original = stream[method];
    if (typeof original !== 'function') continue;
    stream[method] = function (...args) {
      const done = args.pop();
      return original.call(this, ...args, (error) => {
        if (!error && stream.bytesWritten > limit) {
          fs.writeSync(2, `killed after ${stream.bytesWritten} bytes of ${name}\n`);
          process.kill(process.pid, 'SIGKILL');
        }
        done(error);
      });
    };
  }
  return stream;
};
