import type { Command } from 'commander';
import type { CaptureWarning } from '../../../shared/api.js';
import { parseCaptureUrl } from '../../core/capture/capture-url.js';
import { operationFailure } from '../../core/errors.js';
import { withStore } from '../context.js';
import { itemJson, printItems } from './items.js';

const STAGE_LABELS = {
  loading: 'loading',
  scrolling: 'scrolling through',
  screenshots: 'taking screenshots of',
  snapshot: 'saving the page',
  writing: 'writing the WARC of',
  stored: 'stored',
} as const;

/** `custos capture URL… --case CASE [--persona NAME]` */
export function registerCapture(program: Command): void {
  program
    .command('capture')
    .description(
      'capture web pages as evidence: screenshots, MHTML, WARC, DOM, text and a capture record, one item per URL',
    )
    .argument('<url...>', 'http:// or https:// addresses')
    .requiredOption('--case <case>', 'case id or number')
    .option(
      '--persona <name>',
      "capture through this persona's logged-in profile (see `custos persona open`)",
    )
    .addHelpText(
      'after',
      `
Every URL is checked before the browser starts: anything but http(s) stops the run with nothing
captured (exit 2). A page that cannot be loaded (DNS failure, refused connection, TLS error) is
not stored; the others still are, and the exit status is 3.

The browser is Chromium or Chrome found on this workstation, or $CUSTOS_CHROMIUM; extra switches
for it (an agency proxy, say) go in $CUSTOS_CHROMIUM_ARGS and are written into each capture record.

Examples:
  custos capture https://social.example/post/8812 --case BE-2026-0142
  custos capture https://social.example/groups/crossings --case BE-2026-0142 --persona fb-undercover-1 --json`,
    )
    .action(async function (this: Command, inputs: string[], options: { case: string; persona?: string }) {
      // Usage first, before the store is opened: one malformed address refuses the run (exit 2,
      // nothing written). The core's batch would refuse it too (`malformed: 'refuse'`).
      const { checkPersonaName } = await import('../../core/capture/browser/personas.js');
      const urls = inputs.map(parseCaptureUrl);
      if (options.persona !== undefined) checkPersonaName(options.persona);
      // Only this command needs the capture engine and its libraries.
      const { captureUrls } = await import('../../core/capture/capture-service.js');
      await withStore(this, 'write', async (store, out, committed) => {
        const outcome = await captureUrls(store, {
          urls,
          caseRef: options.case,
          persona: options.persona,
          malformed: 'refuse',
          onStage: (url, stage) => {
            if (!out.json || stage === 'stored') out.message(`${STAGE_LABELS[stage]} ${url.href}`);
          },
          onItem: (item) => committed([item.id]),
        });
        for (const failure of outcome.failures) out.message(`custos: ${failure.error.message}`);
        const { captureWarnings } = await import('../../core/capture/capture-warning.js');
        for (const warning of await captureWarnings(store, outcome.items)) {
          const item = outcome.items.find((i) => i.id === warning.itemId);
          out.message(
            `warning: ${item?.source ?? warning.itemId} ${warningText(warning)}; stored and sealed all the same`,
          );
        }
        if (out.json) {
          out.result({
            items: outcome.items.map(itemJson),
            ...(outcome.failures.length > 0
              ? { failed: outcome.failures.map((f) => ({ url: f.subject, error: f.error.message })) }
              : {}),
          });
        } else {
          printItems(out, outcome.items);
        }
        if (outcome.failures.length > 0) {
          throw operationFailure(
            `${outcome.failures.length} of ${urls.length} page(s) could not be captured; nothing was stored for ${outcome.failures.length === 1 ? 'it' : 'them'}`,
          );
        }
      });
    });
}

/** A capture warning for a terminal: what the server answered or what the page showed. */
function warningText(warning: CaptureWarning): string {
  const parts: string[] = [];
  if (warning.httpStatus !== null) parts.push(`answered HTTP ${warning.httpStatus}`);
  if (warning.notice) parts.push(`shows "${warning.notice.text}" (${warning.notice.site})`);
  return parts.join(' and ');
}
