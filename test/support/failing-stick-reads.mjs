// Preloaded into a `custos` child (NODE_OPTIONS=--import=…) by tests of a bundle on a failing
// disk: every stream read of an entry's bytes (a read stream with a start) of the file named by
// CUSTOS_TEST_FAILING_FILE fails with EIO, as a USB stick's reads do. Nothing else is touched;
// the tests run on a sound disk, where no read fails by itself.
import fs from 'node:fs';
import { Readable } from 'node:stream';

const failing = process.env.CUSTOS_TEST_FAILING_FILE;
const createReadStream = fs.createReadStream.bind(fs);
fs.createReadStream = (file, options) => {
  if (file !== failing || options?.start === undefined) return createReadStream(file, options);
  const eio = Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO', syscall: 'read', errno: -5 });
  return new Readable({
    read() {
      this.destroy(eio);
    },
  });
};
