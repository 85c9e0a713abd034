import type { Command } from 'commander';
import type { Selector, SelectorHit } from '../../../shared/selectors.js';
import { withStore } from '../context.js';
import { type Output, table } from '../output.js';

/** One hit in words: the selector, how the item holds it, the item. */
export function describeHit(hit: SelectorHit): string {
  const how =
    hit.match === 'possible'
      ? `possibly (read in a picture as ${hit.original}: check the digits)`
      : hit.match === 'word'
        ? 'as words'
        : `as ${hit.original ?? hit.selector.value}${hit.sources.includes('picture') ? ' (from a picture)' : ''}`;
  const label = hit.selector.label ? ` (${hit.selector.label})` : '';
  return `${hit.selector.value}${label} ${how} in item ${hit.itemId} of case ${hit.caseNumber}: ${hit.title ?? hit.url ?? ''}`;
}

function printSelectors(out: Output, selectors: readonly Selector[]): void {
  if (selectors.length === 0) {
    out.line('No selectors; `custos selector add VALUE` adds one.');
    return;
  }
  out.line(
    table([
      ['ID', 'TYPE', 'VALUE', 'LABEL', 'CASE', 'ADDED', 'REMOVED'],
      ...selectors.map((s) => [
        s.id,
        s.type,
        s.value,
        s.label ?? '',
        s.caseNumber ?? 'all cases',
        s.createdAt,
        s.removedAt ?? '',
      ]),
    ]),
  );
}

/** `custos selector add|list|remove|hits` */
export function registerSelector(program: Command): void {
  const selector = program
    .command('selector')
    .description('identifiers and words to be told about whenever new evidence holds them')
    .addHelpText(
      'after',
      `
A selector is a phone number, an account, an IBAN, a wallet (normalised as entities are, so
"+218 91 234 5678" and "00218912345678" are one selector) or a word or phrase. Every capture,
import and received bundle is checked once indexed, text read in its pictures included, and the
command says so on stderr; \`custos selector hits\` lists every hit. A number read in a picture in
Eastern Arabic or Persian digits that is the selector or one digit from it is a possible hit.

Examples:
  custos selector add "+218 91 234 5678" --label "Zuwara broker" --case BE-2026-0142
  custos selector add lampedusa
  custos selector hits --json`,
    );

  selector
    .command('add')
    .description('add a selector (a custody entry)')
    .argument('<value>', 'a phone number, account, IBAN, wallet, or a word or phrase')
    .option('--label <text>', 'what it is to the investigation ("the broker\'s second phone")')
    .option('--case <case>', 'only this case (default: every case)')
    .addHelpText(
      'after',
      '\nExample:\n  custos selector add "+218 91 234 5678" --label broker --case BE-2026-0142',
    )
    .action(async function (this: Command, value: string, options: { label?: string; case?: string }) {
      const { addSelector } = await import('../../core/selectors/selector-service.js');
      await withStore(this, 'write', (store, out) => {
        const added = addSelector(store, {
          value,
          label: options.label ?? null,
          caseRef: options.case ?? null,
        });
        if (out.json) return out.result(added);
        out.line(
          `Selector ${added.value} (${added.type}) added for ${added.caseNumber ?? 'every case'}; id ${added.id}`,
        );
      });
    });

  selector
    .command('list')
    .description('the selectors, with their case and label')
    .option('--case <case>', "only this case's selectors and those of every case")
    .option('--removed', 'include removed selectors (their history is kept)')
    .addHelpText('after', '\nExample:\n  custos selector list --case BE-2026-0142')
    .action(async function (this: Command, options: { case?: string; removed?: boolean }) {
      const { listSelectors } = await import('../../core/selectors/selector-service.js');
      await withStore(this, 'read', (store, out) => {
        const caseId = options.case === undefined ? null : store.getCase(options.case).id;
        const selectors = listSelectors(store.db, { caseId, includeRemoved: Boolean(options.removed) });
        if (out.json) return out.result({ selectors });
        printSelectors(out, selectors);
      });
    });

  selector
    .command('remove')
    .description('remove a selector (a custody entry; the history keeps it)')
    .argument('<selector>', 'its id (or the first 8 characters of it), or its value')
    .addHelpText('after', '\nExample:\n  custos selector remove "+218 91 234 5678"')
    .action(async function (this: Command, ref: string) {
      const { removeSelector } = await import('../../core/selectors/selector-service.js');
      await withStore(this, 'write', (store, out) => {
        const removed = removeSelector(store, ref);
        if (out.json) return out.result(removed);
        out.line(
          `Selector ${removed.value} removed (id ${removed.id}); \`custos selector list --removed\` still shows it`,
        );
      });
    });

  selector
    .command('hits')
    .description('every item that holds an active selector, newest first')
    .option('--case <case>', 'only the items of this case')
    .addHelpText(
      'after',
      '\nExamples:\n  custos selector hits\n  custos selector hits --case BE-2026-0142 --json',
    )
    .action(async function (this: Command, options: { case?: string }) {
      const { selectorHits } = await import('../../core/selectors/selector-hits.js');
      await withStore(this, 'read', (store, out) => {
        const caseId = options.case === undefined ? null : store.getCase(options.case).id;
        const hits = selectorHits(store.db, { caseId });
        if (out.json) return out.result({ hits });
        if (hits.length === 0) return out.line('No selector hits.');
        for (const hit of hits) out.line(describeHit(hit));
        out.line(`\n${hits.length} hit(s); "possibly" is a number read in a picture: check its digits.`);
      });
    });
}
