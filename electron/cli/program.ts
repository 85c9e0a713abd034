import { Command } from 'commander';
import { TOOL_VERSION } from '../../shared/version.js';
import { registerAnnotate } from './commands/annotate.js';
import { registerAudit } from './commands/audit.js';
import { registerCapture } from './commands/capture.js';
import { registerCase } from './commands/case.js';
import { registerEntities } from './commands/entities.js';
import { registerExport } from './commands/export.js';
import { registerImport } from './commands/import.js';
import { registerInit } from './commands/init.js';
import { registerItems } from './commands/items.js';
import { registerLog } from './commands/log.js';
import { registerPersona } from './commands/persona.js';
import { registerPull } from './commands/pull.js';
import { registerPush } from './commands/push.js';
import { registerReceive } from './commands/receive.js';
import { registerReindex } from './commands/reindex.js';
import { registerRemote } from './commands/remote.js';
import { registerRestore } from './commands/restore.js';
import { registerSearch } from './commands/search.js';
import { registerSelector } from './commands/selector.js';
import { registerSimilar } from './commands/similar.js';
import { registerTimestamp } from './commands/timestamp.js';
import { registerVerify } from './commands/verify.js';
import { registerWatch } from './commands/watch.js';

/**
 * The `custos` command tree (docs/CLI.md).
 *
 * Every command pays for what this tree loads before it runs, `--version` included, so each
 * command module imports statically only what reading the command line needs (commander, the
 * CLI's own helpers, small constants for its options and help); the services that do the work
 * (the store and SQLite, import, audit, bundles, entities with their phone tables…) are loaded
 * with `await import()` inside the command's action. test/bin/cli-bundle.test.ts keeps every
 * package but commander out of what the tree loads.
 */
export function buildProgram(): Command {
  const program = new Command('custos')
    .description('Custos: preserve online evidence with a tamper-evident chain of custody')
    .version(TOOL_VERSION)
    .option('--store <dir>', "the evidence store folder (default: $CUSTOS_STORE, else the desktop app's own)")
    .option('--json', 'print a machine-readable result on stdout (messages go to stderr)')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Exit status: 0 success; 1 integrity or verification failure; 2 bad usage or input (nothing written); 3 any other failure.

Example:
  custos init --investigator "Ana Ruiz" --agency "Policía Nacional"
  custos case create --number BE-2026-0142 --title "Boat crossings advertised on Facebook"
  custos import screenshot.png --case BE-2026-0142
  custos audit`,
    );
  registerInit(program);
  registerCase(program);
  registerCapture(program);
  registerPersona(program);
  registerImport(program);
  registerItems(program);
  registerAnnotate(program);
  registerLog(program);
  registerAudit(program);
  registerRestore(program);
  registerExport(program);
  registerVerify(program);
  registerReceive(program);
  registerRemote(program);
  registerPush(program);
  registerPull(program);
  registerTimestamp(program);
  registerWatch(program);
  registerReindex(program);
  registerSearch(program);
  registerEntities(program);
  registerSelector(program);
  registerSimilar(program);
  return program;
}
