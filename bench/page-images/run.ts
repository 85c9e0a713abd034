import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { captureUrls } from '../../electron/core/capture/capture-service.js';
import { derivableItem } from '../../electron/core/derive/derive-items.js';
import { hashPageImages, imageHashDeriver } from '../../electron/core/media/image-hash-deriver.js';
import { EvidenceStore } from '../../electron/core/store/evidence-store.js';
import { photoPixels } from '../../test/support/photos.js';
import { makeBenchDir, printFigures, removeBenchDir, timed } from '../support/bench-kit.js';

const ROUNDS = Number(process.argv[2] ?? 5);
const PHOTOS = Number(process.argv[3] ?? 30);
const ICONS = 12;

const dir = makeBenchDir('page-images');
const files = new Map<string, { type: string; body: Buffer }>();
try {
  const tiles: string[] = [];
  for (let i = 0; i < PHOTOS; i++) {
    const [width, height] = i % 3 === 0 ? [1080, 1350] : [1080, 720];
    const photo = sharp(photoPixels(100 + i, width, height), { raw: { width, height, channels: 3 } });
    const [name, type, body] =
      i % 10 === 4
        ? [`p${i}.webp`, 'image/webp', await photo.webp({ quality: 80 }).toBuffer()]
        : i % 10 === 7
          ? [`p${i}.png`, 'image/png', await photo.png().toBuffer()]
          : [`p${i}.jpg`, 'image/jpeg', await photo.jpeg({ quality: 85 }).toBuffer()];
    files.set(`/${name}`, { type, body });
    tiles.push(
      `<article><img src="/a${i % ICONS}.png" width="40" height="40"><p>Post ${i}</p><img src="/${name}" width="540"></article>`,
    );
  }
  for (let i = 0; i < ICONS; i++) {
    const body = await sharp(photoPixels(500 + i, 40, 40), { raw: { width: 40, height: 40, channels: 3 } })
      .png()
      .toBuffer();
    files.set(`/a${i}.png`, { type: 'image/png', body });
  }
  const page = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Feed</title><style>
    article{width:560px;margin:12px auto;font:14px sans-serif}article img{display:block}</style></head>
    <body>${tiles.join('\n')}</body></html>`;
  files.set('/feed.html', { type: 'text/html; charset=utf-8', body: Buffer.from(page) });
  const imageBytes = [...files.values()]
    .filter((f) => f.type.startsWith('image/'))
    .reduce((n, f) => n + f.body.byteLength, 0);

  const server = http.createServer((req, res) => {
    const file = files.get(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': file.type, 'Content-Length': file.body.byteLength }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const store = EvidenceStore.openForWriting(path.join(dir, 'store'), { create: true });
  try {
    store.init({ name: 'Bench', agency: null, badge: null });
    store.createCase({ number: 'BENCH-PAGE', title: 'Page images bench' });
    const captured = await timed(() =>
      captureUrls(store, { urls: [new URL(`http://127.0.0.1:${port}/feed.html`)], caseRef: 'BENCH-PAGE' }),
    );
    const item = captured.value.items[0];
    if (!item)
      throw new Error(
        `the capture failed: ${captured.value.failures.map((f) => f.error.message).join('; ')}`,
      );
    const warc = item.artifacts.find((a) => a.role === 'warc')!;
    const derivable = derivableItem(store, item.id)!;
    const times: number[] = [];
    let rows = 0;
    let pageRows = 0;
    let scan = null;
    for (let round = 0; round < ROUNDS; round++) {
      const run = await timed(() => imageHashDeriver.extract(derivable));
      times.push(run.seconds);
      rows = run.value.rows.length;
      pageRows = run.value.rows.filter((r) => r.role === 'page-image').length;
      scan = run.value.scan;
    }
    const warcOnly: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      warcOnly.push(
        (await timed(() => hashPageImages([{ sha256: warc.sha256, file: store.blobs.pathOf(warc.sha256) }])))
          .seconds,
      );
    }
    times.sort((a, b) => a - b);
    warcOnly.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    const pagesMedian = warcOnly[Math.floor(warcOnly.length / 2)]!;
    printFigures(
      `Page images: deriver cost per capture (${PHOTOS} photos + ${ICONS} icons, median of ${ROUNDS})`,
      [
        ['load average at start', loadavg()[0]!.toFixed(1)],
        ['capture (page load to commit, before derivation)', `${(captured.seconds * 1000).toFixed(0)} ms`],
        [
          'WARC size',
          `${(warc.size / 1e6).toFixed(1)} MB (images served: ${(imageBytes / 1e6).toFixed(1)} MB)`,
        ],
        [
          'image-hash deriver, median',
          `${(median * 1000).toFixed(0)} ms (min ${(times[0]! * 1000).toFixed(0)}, max ${(times.at(-1)! * 1000).toFixed(0)})`,
        ],
        ['of which the WARC walk and page images', `${(pagesMedian * 1000).toFixed(0)} ms`],
        [
          'page images hashed',
          `${pageRows} (+ ${rows - pageRows} screenshots); scan ${JSON.stringify(scan)}`,
        ],
        ['throughput (page images alone)', `${(pageRows / pagesMedian).toFixed(1)} page images/s`],
      ],
    );
  } finally {
    store.close();
    server.close();
  }
} finally {
  removeBenchDir(dir);
}
