import type { Command } from 'commander';
import {
  type CandidateDecision,
  type CandidateView,
  ENTITY_TYPES,
  type EntityType,
} from '../../../shared/entities.js';
import { ENTITY_EXPORT_FORMATS, type EntityExportFormat } from '../../core/entities/entity-export.js';
import { badInput } from '../../core/errors.js';
import type { EvidenceStore } from '../../core/store/evidence-store.js';
import { withStore } from '../context.js';
import { type Output, table } from '../output.js';

interface EntitiesOptions {
  case?: string;
  value?: string;
  type?: string;
  format?: string;
}

/** Prints a case's entity–item links as CSV or GraphML on stdout (for i2, Maltego, Gephi). */
async function exportCaseEntities(
  store: EvidenceStore,
  out: Output,
  caseRef: string,
  format: EntityExportFormat,
) {
  const { exportEntityLinks } = await import('../../core/entities/entity-export.js');
  const found = store.getCase(caseRef);
  await noteUnindexed(store, out);
  out.document(exportEntityLinks(store.db, found.id, format));
}

function exportFormat(raw: string | undefined): EntityExportFormat | undefined {
  if (raw === undefined) return undefined;
  if (!(ENTITY_EXPORT_FORMATS as readonly string[]).includes(raw))
    throw badInput(`unknown format "${raw}"; formats are: ${ENTITY_EXPORT_FORMATS.join(', ')}`);
  return raw as EntityExportFormat;
}

function entityType(raw: string | undefined): EntityType | undefined {
  if (raw === undefined) return undefined;
  if (!(ENTITY_TYPES as readonly string[]).includes(raw)) {
    throw badInput(`unknown entity type "${raw}"; types are: ${ENTITY_TYPES.join(', ')}`);
  }
  return raw as EntityType;
}

/** Says so when some items have not been through the entity extractor yet (an older store). */
async function noteUnindexed(store: EvidenceStore, out: Output): Promise<void> {
  const { countNeeding } = await import('../../core/derive/derived-state-queries.js');
  const { entityDeriver } = await import('../../core/entities/entity-deriver.js');
  const waiting = countNeeding(store.db, entityDeriver);
  if (waiting > 0)
    out.message(`note: ${waiting} item(s) are not indexed yet; run \`custos reindex --missing\``);
}

/**
 * Numbers read by OCR in Eastern digits, after the entities and apart from them: each with its
 * confidence and the entities and selectors it may be (the same number, or one digit from it).
 */
function printCandidates(out: Output, candidates: readonly CandidateView[]): void {
  if (candidates.length === 0) return;
  out.line(
    `\n${candidates.length} candidate(s) read from pictures in Eastern Arabic or Persian digits: not entities, confirm by eye`,
  );
  out.line(
    table([
      ['TYPE', 'AS READ', 'WRITTEN', 'CONFIDENCE', 'ITEM', 'POSSIBLE MATCH', 'DECIDED'],
      ...candidates.map((c) => [
        c.type,
        c.value,
        c.original,
        `${Math.round(c.confidence)}%`,
        c.itemId.slice(0, 8),
        c.possibleMatches
          .map((m) => {
            const what =
              m.kind === 'selector' ? `selector${m.label ? ` "${m.label}"` : ''}` : `${m.type} entity`;
            return `${m.value} (${what}, ${m.digitsDifferent === 0 ? 'same' : 'one digit off'})`;
          })
          .join('; '),
        decisionText(c.decision),
      ]),
    ]),
  );
}

/** An investigator's decision on a candidate, as its custody entry records it. */
function decisionText(decision: CandidateDecision | null): string {
  if (!decision) return '';
  const what = decision.decision === 'confirmed' ? `confirmed as ${decision.value}` : 'dismissed';
  return `${what} by ${decision.investigator} (custody entry #${decision.seq})`;
}

async function listCaseEntities(store: EvidenceStore, out: Output, caseRef: string, type?: EntityType) {
  const { entitiesOfCase } = await import('../../core/entities/entity-queries.js');
  const { candidatesOfCase } = await import('../../core/entities/candidates.js');
  const found = store.getCase(caseRef);
  const entities = entitiesOfCase(store.db, found.id, type);
  const candidates = candidatesOfCase(store.db, found.id).filter((c) => !type || c.type === type);
  await noteUnindexed(store, out);
  if (out.json) return out.result({ case: { id: found.id, number: found.number }, entities, candidates });
  if (entities.length === 0) out.line(`No entities in case ${found.number}.`);
  else {
    out.line(
      table([
        ['TYPE', 'VALUE', 'ITEMS', 'ALSO IN CASES'],
        ...entities.map((e) => [
          e.type,
          e.value,
          `${e.items.length}: ${e.items.map((i) => i.id.slice(0, 8)).join(' ')}`,
          e.crossCase ? `CROSS-CASE ${e.otherCases.map((c) => c.number).join(', ')}` : '',
        ]),
      ]),
    );
    const cross = entities.filter((e) => e.crossCase).length;
    out.line(`\n${entities.length} entities; ${cross} also seen in other cases.`);
  }
  printCandidates(out, candidates);
}

async function listMentions(store: EvidenceStore, out: Output, raw: string, type?: EntityType) {
  const { findMentions } = await import('../../core/entities/find-mentions.js');
  const mentions = findMentions(store.db, raw, type);
  await noteUnindexed(store, out);
  const cases = [...new Set(mentions.map((m) => m.caseNumber))];
  if (out.json) {
    return out.result({
      value: raw,
      items: mentions.map((m) => ({ id: m.itemId, ...m })),
      cases,
      crossCase: cases.length > 1,
    });
  }
  if (mentions.length === 0) return out.line(`No item mentions ${raw}.`);
  out.line(
    table([
      ['CASE', 'ITEM', 'TYPE', 'VALUE', 'WHERE', 'AS WRITTEN', 'SOURCE'],
      ...mentions.map((m) => [
        m.caseNumber,
        m.itemId,
        m.type,
        m.value,
        [...new Set(m.occurrences.map((o) => o.source))].join(','),
        m.occurrences[0]?.original ?? '',
        m.url ?? m.source,
      ]),
    ]),
  );
  out.line(
    `\n${mentions.length} item(s) in ${cases.length} case(s)${cases.length > 1 ? ' (CROSS-CASE)' : ''}.`,
  );
}

/** `custos entities --case CASE [--type T]` and `custos entities --value VALUE` */
export function registerEntities(program: Command): void {
  program
    .command('entities')
    .description(
      'list the identifiers extracted from a case (phone numbers, accounts, IBANs, wallets, prices), or find every item that mentions one',
    )
    .option(
      '--case <case>',
      'case id or number: its entities, the items they appear in and the other cases that mention them',
    )
    .option(
      '--value <value>',
      'one identifier (as written or normalised): every item in any case that mentions it',
    )
    .option('--type <type>', `only this type: ${ENTITY_TYPES.join(', ')}`)
    .option(
      '--format <format>',
      'with --case: every entity–item link on stdout as csv (a header row) or graphml, for link-analysis tools',
    )
    .addHelpText(
      'after',
      `
Entities are derived data, extracted from captured page text, the page's links, titles,
imported text files and the text read in pictures; \`custos reindex\` rebuilds them. An entity
also seen in another case is marked CROSS-CASE. A number read from a picture in Eastern Arabic or
Persian digits is a candidate, listed apart with its confidence and the entities or selectors it
may be (the same number or one digit off): OCR often misreads one such digit, so confirm it by eye.

Examples:
  custos entities --case BE-2026-0142
  custos entities --case BE-2026-0142 --type phone --json
  custos entities --value "+218 91 234 5678"
  custos entities --value https://t.me/zuwara_trips
  custos entities --case BE-2026-0142 --format graphml > BE-2026-0142.graphml`,
    )
    .action(async function (this: Command, options: EntitiesOptions) {
      const type = entityType(options.type);
      const format = exportFormat(options.format);
      if ((options.case === undefined) === (options.value === undefined)) {
        throw badInput('give either --case CASE or --value VALUE (see `custos entities --help`)');
      }
      if (format && (options.case === undefined || type !== undefined))
        throw badInput('--format exports a whole case: give --case CASE and no --value or --type');
      await withStore(this, 'read', (store, out) => {
        if (options.case !== undefined && format) return exportCaseEntities(store, out, options.case, format);
        return options.case !== undefined
          ? listCaseEntities(store, out, options.case, type)
          : listMentions(store, out, options.value ?? '', type);
      });
    });
}
