import type { Command } from 'commander';
import { parseCaptureUrl } from '../../core/capture/capture-url.js';
import { operationFailure } from '../../core/errors.js';
import { withStore } from '../context.js';
import { table } from '../output.js';

/** `custos persona open NAME [--url URL]` and `custos persona list` */
export function registerPersona(program: Command): void {
  const persona = program
    .command('persona')
    .description(
      'undercover browser profiles: log in once, then capture pages behind the login with --persona',
    )
    .addHelpText('after', '\nExamples:\n  custos persona open fb-undercover-1\n  custos persona list');

  persona
    .command('open')
    .description(
      'open a browser window on a persona (made if new) to log in; returns when the window is closed',
    )
    .argument('<name>', 'persona name (letters, digits, . - _)')
    .option('--url <url>', "page to open in the window, e.g. the site's login page")
    .addHelpText(
      'after',
      `
The profile (cookies, logins) stays in the store folder under personas/NAME and is used by
\`custos capture … --persona NAME\`. It holds live login sessions: keep the store folder private.

Example:
  custos persona open fb-undercover-1 --url https://social.example/login`,
    )
    .action(async function (this: Command, name: string, options: { url?: string }) {
      const { checkPersonaName, openOrCreatePersona } = await import(
        '../../core/capture/browser/personas.js'
      );
      const { extraChromiumArgs, findChromium } = await import(
        '../../core/capture/browser/browser-discovery.js'
      );
      const { openPersonaWindow } = await import('../../core/capture/browser/playwright-browser.js');
      // Bad input is told before the missing display: exit 2 names what to fix in the command itself.
      checkPersonaName(name);
      const url = options.url === undefined ? undefined : parseCaptureUrl(options.url).href;
      await withStore(this, 'read', async (store, out) => {
        if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
          throw operationFailure(
            'persona open shows a browser window, and this session has no display ($DISPLAY is not set); run it in a desktop session',
          );
        }
        const opened = openOrCreatePersona(store.layout.root, name);
        const window = await openPersonaWindow({
          executablePath: findChromium(),
          profileDir: opened.profileDir,
          url,
          extraArgs: extraChromiumArgs(),
        });
        // Closing from here (Ctrl-C, a signal) lets the browser write its cookies to the profile first.
        // Listened for before the window is announced: a signal sent once the message is out is
        // always this close, never node's default end with nothing saved.
        const stop = () => void window.close();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        try {
          out.message(
            `${opened.created ? 'Created persona' : 'Opened persona'} ${name}: log in in the browser window, then close it.`,
          );
          await window.closed;
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
        }
        if (out.json) out.result({ persona: name, profileDir: opened.profileDir, created: opened.created });
        else out.line(`Persona ${name} saved.`);
      });
    });

  persona
    .command('list')
    .description('list the personas of this store')
    .addHelpText('after', '\nExample:\n  custos persona list --json')
    .action(async function (this: Command) {
      const { listPersonas } = await import('../../core/capture/browser/personas.js');
      await withStore(this, 'read', (store, out) => {
        const personas = listPersonas(store.layout.root);
        if (out.json)
          return out.result({ personas: personas.map((p) => ({ name: p.name, profileDir: p.profileDir })) });
        if (personas.length === 0)
          return out.line('No personas. Create one with `custos persona open NAME`.');
        out.line(table([['NAME', 'PROFILE'], ...personas.map((p) => [p.name, p.profileDir])]));
      });
    });
}
