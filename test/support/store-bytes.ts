import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Each file of a store folder with its bytes, by path, SQLite's shared-memory index aside (a
 * reader's open makes it); a write-ahead log is listed only when it holds anything (a read-only
 * connection leaves an empty one behind). Equal before and after: nothing was written.
 */
export function storeBytes(dir: string): Record<string, string> {
  const bytes: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (!entry.isFile() || entry.name.endsWith('-shm')) continue;
    const content = fs.readFileSync(file);
    if (entry.name.endsWith('-wal') && content.length === 0) continue;
    bytes[path.relative(dir, file)] = createHash('sha256').update(content).digest('hex');
  }
  return bytes;
}
