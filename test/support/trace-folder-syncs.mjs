// Preloaded into a `custos` child (NODE_OPTIONS=--import=…) by the test of the order in which a
// restore's renames reach the disk: writes "rename FROM -> TO" for each fs.renameSync and
// "fsync folder DIR" for each fs.fsyncSync of a folder's descriptor to stderr (base names only),
// so that the test can see which renames a folder fsync made durable before the next. Nothing
// else is changed.
import fs from 'node:fs';
import path from 'node:path';

const folders = new Map();
const openSync = fs.openSync.bind(fs);
fs.openSync = (file, ...rest) => {
  const fd = openSync(file, ...rest);
  try {
    if (fs.fstatSync(fd).isDirectory()) folders.set(fd, path.basename(String(file)));
  } catch {
    // not ours to trace
  }
  return fd;
};
const closeSync = fs.closeSync.bind(fs);
fs.closeSync = (fd) => {
  folders.delete(fd);
  closeSync(fd);
};
const fsyncSync = fs.fsyncSync.bind(fs);
fs.fsyncSync = (fd) => {
  fsyncSync(fd);
  if (folders.has(fd)) fs.writeSync(2, `fsync folder ${folders.get(fd)}\n`);
};
const renameSync = fs.renameSync.bind(fs);
fs.renameSync = (from, to) => {
  renameSync(from, to);
  fs.writeSync(2, `rename ${path.basename(String(from))} -> ${path.basename(String(to))}\n`);
};
