// Preloaded into a `custos` child (NODE_OPTIONS=--import=…) by tests of a bundle on a failing
// disk: every stream read of an entry's bytes (a read stream with a start) of the file named by
// CUSTOS_TEST_FAILING_FILE, or of any file whose path matches the regular expression
// CUSTOS_TEST_FAILING_PATTERN (a sealed bundle's decrypted copy, whose temporary name is not known
// beforehand), fails with EIO, as a USB stick's reads do. With CUSTOS_TEST_FAILING_AFTER=N, every
// stream read of the file (a whole-file read too, such as the decryption of a .age file) gives
// its first N bytes, then fails so. Nothing else is touched; the tests run on a sound disk, where
// no read fails by itself.
import fs from 'node:fs';
import { Readable } from 'node:stream';

const failing = process.env.CUSTOS_TEST_FAILING_FILE;
const pattern = process.env.CUSTOS_TEST_FAILING_PATTERN;
const matching = pattern ? new RegExp(pattern) : null;
const after = process.env.CUSTOS_TEST_FAILING_AFTER;
const createReadStream = fs.createReadStream.bind(fs);
fs.createReadStream = (file, options) => {
  const named = typeof file === 'string' && (file === failing || matching?.test(file));
  if (!named || (after === undefined && options?.start === undefined)) return createReadStream(file, options);
  const eio = Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO', syscall: 'read', errno: -5 });
  let head = after === undefined ? Buffer.alloc(0) : fs.readFileSync(file).subarray(0, Number(after));
  return new Readable({
    read() {
      if (head.length === 0) return this.destroy(eio);
      this.push(head);
      head = Buffer.alloc(0);
    },
  });
};
