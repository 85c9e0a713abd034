#!/usr/bin/env node
// The `custos` command. Runs the TypeScript sources through tsx's loader, so `npx custos` works
// straight after `npm ci` with no build step and never runs stale compiled code.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli/main.ts');
await main();
