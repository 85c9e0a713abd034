/**
 * The report's fonts, embedded in report.html as data: URIs so that it renders the same anywhere
 * and asks nothing of the network or of the reader's system: the DejaVu fonts the app's own screens
 * ship (renderer/src/assets/fonts; DejaVu covers Latin, Greek, Cyrillic, Arabic and Persian). They
 * are found in a checkout (the CLI, the tests) or in the built app beside the main process
 * (out/renderer/assets, where Vite names them with a content hash).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A font family embedded in the report, with the file's base name as the app ships it. */
const FAMILIES = [
  { family: 'DejaVu Sans', base: 'DejaVuSans' },
  { family: 'DejaVu Sans Mono', base: 'DejaVuSansMono' },
] as const;

/** Where the font files may be: a checkout's sources (walking up), or the built app's renderer assets. */
function candidateFiles(base: string, from: string): string[] {
  const files: string[] = [];
  for (let dir = from; ; dir = path.dirname(dir)) {
    files.push(path.join(dir, 'renderer', 'src', 'assets', 'fonts', `${base}.ttf`));
    if (path.dirname(dir) === dir) break;
  }
  const built = path.join(from, '..', 'renderer', 'assets');
  // Vite's asset names: `[name]-[hash].ttf` with an 8-character hash.
  const hashed = new RegExp(`^${base}-[A-Za-z0-9_-]{8}\\.ttf$`);
  try {
    for (const name of fs.readdirSync(built)) if (hashed.test(name)) files.push(path.join(built, name));
  } catch {
    // not a built app
  }
  return files;
}

let cached: string | undefined;

/**
 * The `@font-face` rules of the report, each font inlined; a font that cannot be found is left out
 * (the report then names the same family and the reader's system supplies it).
 */
export function embeddedFontFaces(): string {
  if (cached !== undefined) return cached;
  const from = path.dirname(fileURLToPath(import.meta.url));
  cached = FAMILIES.flatMap(({ family, base }) => {
    const file = candidateFiles(base, from).find((candidate) => fs.existsSync(candidate));
    if (!file) return [];
    const data = fs.readFileSync(file).toString('base64');
    return [
      `@font-face { font-family: "${family}"; src: url("data:font/ttf;base64,${data}") format("truetype"); }`,
    ];
  }).join('\n');
  return cached;
}
