/**
 * The WACZ's CDXJ index over its WARCs, made by warcio's own indexer (Webrecorder's reference
 * implementation, the one ReplayWeb.page's engine shares): one line per response, redirect or
 * resource, `urlkey timestamp {json}`, sorted bytewise as CDXJ readers expect. The WARCs are read as
 * streams, record by record; only the index lines are kept in memory.
 */
import fs from 'node:fs';
import { loadLibrary } from '../capture/engine/load-library.js';

const { CDXIndexer } = loadLibrary<typeof import('warcio')>('warcio');

/** A WARC to index: the name the index gives it (its file name in `archive/`) and where it is on disk. */
export interface WarcSource {
  readonly name: string;
  readonly file: string;
}

/** The CDXJ lines of these WARCs, sorted, each ending in a newline. */
export async function cdxjIndex(warcs: readonly WarcSource[]): Promise<string> {
  const indexer = new CDXIndexer({ format: 'cdxj' });
  const lines: Buffer[] = [];
  for (const warc of warcs) {
    const stream = fs.createReadStream(warc.file, { highWaterMark: 1024 * 1024 });
    try {
      for await (const entry of indexer.iterIndex([{ filename: warc.name, reader: stream }]))
        lines.push(Buffer.from(indexer.serializeCDXJ(entry), 'utf8'));
    } finally {
      stream.destroy();
    }
  }
  return Buffer.concat(lines.sort(Buffer.compare)).toString('utf8');
}
