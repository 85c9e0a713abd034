#!/usr/bin/env node
// The `custos` command, started by bin/custos.cjs (which sizes the thread pool first). Runs a bundle
// of the TypeScript sources, rebuilt whenever they change (bin/cli-bundle.mjs), so `npx custos`
// works straight after `npm ci` with no build step and never runs stale code; where no bundle can
// be built, it runs the sources through tsx's loader.
import { freshCliBundle } from './cli-bundle.mjs';

const bundle = await freshCliBundle();
let main;
if (bundle) {
  ({ main } = await import(bundle));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../electron/cli/main.ts'));
}
await main();
