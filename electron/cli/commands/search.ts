import type { Command } from 'commander';
import type { SearchSnippet } from '../../../shared/api.js';
import { badInput } from '../../core/errors.js';
import { withStore } from '../context.js';

/** `custos search TEXT [--case CASE] [--limit N] [--offset N]` */
export function registerSearch(program: Command): void {
  program
    .command('search')
    .description(
      'full-text search of page text, titles, addresses, notes, tags and imported text files, in one case or all; Arabic-script and Latin text matches whatever its diacritics',
    )
    .argument(
      '<text...>',
      'words to find (all of them, each by its start from 3 letters), a "phrase in quotes", a phone number or IBAN in any written form',
    )
    .option('--case <case>', 'only this case (id or number)')
    .option('--limit <n>', 'at most this many items', '20')
    .option('--offset <n>', 'skip this many items (the next page)', '0')
    .addHelpText(
      'after',
      `
Examples:
  custos search Lampedusa
  custos search "رحلة إلى إيطاليا" --case BE-2026-0142
  custos search Lampedu            (finds Lampedusa)
  custos search 0912345678 --case BE-2026-0142   (finds +218 91 234 5678)
  custos search 'passa*' --json`,
    )
    .action(async function (
      this: Command,
      words: string[],
      options: { case?: string; limit: string; offset: string },
    ) {
      const limit = wholeNumber(options.limit, '--limit', 1, 1000);
      const offset = wholeNumber(options.offset, '--offset', 0, Number.MAX_SAFE_INTEGER);
      const query = words.join(' ');
      await withStore(this, 'read', async (store, out) => {
        const { searchItems } = await import('../../core/search/search-queries.js');
        const caseId = options.case === undefined ? null : store.getCase(options.case).id;
        const page = searchItems(store.db, { query, caseId, limit, offset });
        const { countNeeding } = await import('../../core/derive/derived-state-queries.js');
        const { searchDeriver } = await import('../../core/search/search-deriver.js');
        const waiting = countNeeding(store.db, searchDeriver);
        if (waiting > 0) {
          out.message(
            `note: ${waiting} item(s) are not indexed yet; \`custos reindex --missing\` indexes them`,
          );
        }
        if (out.json) {
          return out.result({
            query,
            total: page.total,
            totalCapped: page.totalCapped,
            offset: page.offset,
            items: page.hits,
          });
        }
        if (page.total === 0) {
          return out.line(
            `No items match ${query}. Words match by their start (3 letters or more): try fewer or shorter words, another spelling, or ${options.case ? 'all cases (without --case)' : 'a phone number or IBAN in any written form'}.`,
          );
        }
        out.line(
          page.totalCapped
            ? `More than ${page.total} items match; ${offset + 1}–${offset + page.hits.length} shown, best first (add words to narrow the search).`
            : `${page.total} item(s) match; ${offset + 1}–${offset + page.hits.length} shown, best first.`,
        );
        for (const hit of page.hits) {
          out.line('');
          out.line(`${hit.rank}. ${hit.id}  ${hit.caseNumber}  ${hit.capturedAt}`);
          out.line(`   ${hit.title ?? hit.url ?? hit.source}`);
          if (hit.url && hit.title) out.line(`   ${hit.url}`);
          if (hit.snippet) out.line(`   ${hit.snippet.field}: ${markedSnippet(hit.snippet)}`);
        }
      });
    });
}

/** A snippet with its matched words between [ and ], for a terminal. */
export function markedSnippet(snippet: SearchSnippet): string {
  let text = '';
  let at = 0;
  for (const [start, end] of snippet.marks) {
    text += `${snippet.text.slice(at, start)}[${snippet.text.slice(start, end)}]`;
    at = end;
  }
  return text + snippet.text.slice(at);
}

function wholeNumber(value: string, option: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw badInput(`${option} takes a whole number from ${min} to ${max}, not ${value}`);
  }
  return n;
}
