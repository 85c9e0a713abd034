import path from 'node:path';

/** The media types of the files the built renderer is made of, by extension. */
const APP_MEDIA_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

/**
 * The media type to serve a file of the built renderer with (the app's scheme and the browser
 * harness serve the same files); undefined for any other kind of file.
 */
export function appFileMediaType(file: string): string | undefined {
  return APP_MEDIA_TYPES[path.extname(file).toLowerCase()];
}
