/**
 * Where a worker thread's module is: beside the code that starts it. From the TypeScript sources
 * (tsx, vitest), `NAME.ts`, loaded through tsx; built, `NAME.mjs`, an entry point of its own that
 * the build writes next to the code that starts it: the app's main build (`build:electron`)
 * writes every worker (`token-check-worker.mjs`, `pdf-join-worker.mjs`, `store-upgrade-worker.mjs`,
 * `integrity-worker.mjs`); the CLI bundle (`bin/cli-bundle.mjs`) writes all but the store upgrade's:
 * the command migrates an older store on its own thread, in its writer's open, and never starts it.
 */
import type { WorkerCode } from './worker-thread.js';

/** How to start the worker named `name` that lives beside the module at `here` (its `import.meta.url`). */
export function threadModule(name: string, here: string): WorkerCode {
  if (!here.endsWith('.ts')) return { source: new URL(`./${name}.mjs`, here), eval: false };
  const worker = new URL(`./${name}.ts`, here).href;
  return {
    source: `import('tsx/esm/api').then((tsx) => tsx.tsImport(${JSON.stringify(worker)}, ${JSON.stringify(here)}))`,
    eval: true,
  };
}
