import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Builds the renderer with the project's vite.config.ts into `outDir`; returns `outDir`. */
export async function buildRenderer(outDir: string): Promise<string> {
  await build({
    configFile: path.join(repoRoot, 'vite.config.ts'),
    root: path.join(repoRoot, 'renderer'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}
