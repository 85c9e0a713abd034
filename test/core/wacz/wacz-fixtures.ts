/**
 * WACZ files made as other tools make them (no custos/ folder), for the tests of `verifyWacz`.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';

const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** A WACZ of one page, signed anonymously with a P-256 key and a DER signature (as OpenSSL-based tools write it). */
export function otherToolsWacz(
  signedData: (hash: string) => Record<string, unknown> | undefined,
): Map<string, Buffer> {
  const files = new Map<string, Buffer>([
    ['archive/data.warc.gz', Buffer.from('not really a warc, but the bytes are what is hashed')],
    ['indexes/index.cdxj', Buffer.from('com,example)/ 20240101000000 {"url":"https://example.com/"}\n')],
    [
      'pages/pages.jsonl',
      Buffer.from(
        '{"format":"json-pages-1.0","id":"pages"}\n{"url":"https://example.com/","ts":"2024-01-01T00:00:00Z"}\n',
      ),
    ],
  ]);
  const datapackage = Buffer.from(
    JSON.stringify({
      profile: 'data-package',
      wacz_version: '1.1.1',
      resources: [...files].map(([p, data]) => ({
        name: path.basename(p),
        path: p,
        hash: sha256(data),
        bytes: data.length,
      })),
    }),
  );
  const hash = sha256(datapackage);
  files.set('datapackage.json', datapackage);
  const signed = signedData(hash);
  files.set(
    'datapackage-digest.json',
    Buffer.from(
      JSON.stringify({ path: 'datapackage.json', hash, ...(signed ? { signedData: signed } : {}) }),
    ),
  );
  return files;
}
