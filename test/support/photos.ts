import sharp from 'sharp';

/** What a phone writes into a photo's EXIF, as sharp's `withExif` takes it. */
export const PHONE_EXIF = {
  IFD0: { Make: 'Apple', Model: 'iPhone 12', Software: '17.1.2' },
  IFD2: {
    DateTimeOriginal: '2024:05:01 14:32:10',
    OffsetTimeOriginal: '+03:00',
    LensModel: 'iPhone 12 back camera',
  },
  IFD3: {
    GPSLatitudeRef: 'N',
    GPSLatitude: '32/1 53/1 3000/100',
    GPSLongitudeRef: 'E',
    GPSLongitude: '13/1 10/1 4500/100',
    GPSAltitudeRef: '0',
    GPSAltitude: '12/1',
    GPSDateStamp: '2024:05:01',
    GPSTimeStamp: '11/1 32/1 10/1',
  },
} as const;

/**
 * A photograph-like picture (smooth gradients and a few shapes, different for each seed), as raw
 * RGB pixels: perceptual hashes of two different seeds are far apart, as those of two photos are.
 */
export function photoPixels(seed: number, width = 640, height = 480): Buffer {
  const pixels = Buffer.alloc(width * height * 3);
  let state = seed * 2654435761;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const blobs = Array.from({ length: 6 }, () => ({
    x: random() * width,
    y: random() * height,
    r: 40 + random() * 160,
    color: [random() * 255, random() * 255, random() * 255],
  }));
  const tilt = random() * 2 - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      let c = [((x + tilt * y) / width) * 120 + 60, (y / height) * 140 + 40, 200 - (x / width) * 120];
      for (const b of blobs) {
        if ((x - b.x) ** 2 + (y - b.y) ** 2 < b.r ** 2) c = b.color;
      }
      pixels[o] = c[0]!;
      pixels[o + 1] = c[1]!;
      pixels[o + 2] = c[2]!;
    }
  }
  return pixels;
}

/** A JPEG photo (seeded as `photoPixels`), with the given EXIF when there is one. */
export async function makePhoto(
  seed: number,
  options: {
    exif?: Record<string, Record<string, string>>;
    width?: number;
    height?: number;
    quality?: number;
  } = {},
): Promise<Buffer> {
  const width = options.width ?? 640;
  const height = options.height ?? 480;
  const image = sharp(photoPixels(seed, width, height), { raw: { width, height, channels: 3 } }).jpeg({
    quality: options.quality ?? 90,
  });
  return (options.exif ? image.withExif(options.exif) : image).toBuffer();
}

/** The same picture as another account would repost it: resized, re-encoded at a lower quality, as WebP or PNG. */
export async function repost(photo: Buffer, format: 'jpeg' | 'webp' | 'png' = 'jpeg'): Promise<Buffer> {
  const resized = sharp(photo).resize(400);
  if (format === 'webp') return resized.webp({ quality: 60 }).toBuffer();
  if (format === 'png') return resized.png().toBuffer();
  return resized.jpeg({ quality: 55 }).toBuffer();
}

/**
 * A PNG as tall as a very long page's full screenshot (1280 px wide), with a photo-like pattern,
 * made by sharp without ever holding its pixels in memory (a small picture scaled up as it streams).
 */
export async function makeTallScreenshot(file: string, height: number): Promise<void> {
  const small = photoPixels(11, 320, 1000);
  await sharp(small, { raw: { width: 320, height: 1000, channels: 3 } })
    .resize(1280, height, { fit: 'fill', kernel: 'nearest' })
    .png({ compressionLevel: 1 })
    .toFile(file);
}

/**
 * A near-blank page screenshot: white, `width` × `height`, with a few lines of text at the top
 * (what a captured error page, a page still loading or a page of one heading looks like).
 */
export function nearBlankPage(lines: readonly string[], height = 2400, width = 1280): Promise<Buffer> {
  const text = lines
    .map(
      (line, i) => `<text x="20" y="${36 + i * 28}" font-size="20" font-family="sans-serif">${line}</text>`,
    )
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="white"/>${text}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}
