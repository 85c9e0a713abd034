import type { Command } from 'commander';
import type { ItemSummary } from '../../../shared/domain.js';
import type { MediaMetadata } from '../../core/import/media-metadata.js';
import { withStore } from '../context.js';
import { formatBytes, type Output, table } from '../output.js';

/** The JSON shape of an item shared by `capture`, `import`, `items` and `item show` (the contract's fields first). */
export function itemJson(item: ItemSummary) {
  return {
    id: item.id,
    url: item.url,
    digest: item.digest,
    artifacts: item.artifacts.map((a) => ({
      role: a.role,
      mediaType: a.mediaType,
      size: a.size,
      sha256: a.sha256,
      name: a.name,
    })),
    caseId: item.caseId,
    kind: item.kind,
    source: item.source,
    title: item.title,
    capturedAt: item.capturedAt,
    tags: item.tags,
  };
}

/** Who captured an item, as its signed record names them. */
type Capturer = { readonly name: string; readonly keyFingerprint: string };

/**
 * Prints items as a table (human) or as `{"items": […]}` (--json); with `capturers` (a case
 * shared by several investigators), who captured each item too (`capturedBy` in --json).
 */
export function printItems(
  out: Output,
  items: readonly ItemSummary[],
  capturers?: ReadonlyMap<string, Capturer>,
): void {
  if (out.json) {
    out.result({
      items: items.map((i) => ({
        ...itemJson(i),
        ...(capturers ? { capturedBy: capturers.get(i.id) ?? null } : {}),
      })),
    });
    return;
  }
  if (items.length === 0) {
    out.line('No items.');
    return;
  }
  out.line(
    table([
      ['ID', 'CAPTURED (UTC)', 'KIND', 'DIGEST', 'SOURCE', 'TAGS', ...(capturers ? ['CAPTURED BY'] : [])],
      ...items.map((i) => [
        i.id,
        i.capturedAt,
        i.kind,
        `${i.digest.slice(0, 16)}…`,
        i.url ?? i.source,
        i.tags.join(', '),
        ...(capturers ? [capturerText(capturers.get(i.id))] : []),
      ]),
    ]),
  );
}

function capturerText(capturer: Capturer | undefined): string {
  return capturer ? `${capturer.name} (key ${capturer.keyFingerprint.slice(0, 8)}…)` : '';
}

/** `custos items --case CASE` and `custos item show ITEM` */
export function registerItems(program: Command): void {
  program
    .command('items')
    .description('list the items of a case with their artifacts and hashes')
    .requiredOption('--case <case>', 'case id or number')
    .addHelpText(
      'after',
      '\nExamples:\n  custos items --case BE-2026-0142\n  custos items --case BE-2026-0142 --json',
    )
    .action(async function (this: Command, options: { case: string }) {
      await withStore(this, 'read', (store, out) =>
        printItems(out, store.listItems(options.case), store.capturersOfCase(options.case)),
      );
    });

  const item = program
    .command('item')
    .description('show one item')
    .addHelpText('after', '\nExample:\n  custos item show 3f2a9c1e --json');
  item
    .command('show')
    .description('show an item: its record, artifacts with sizes and hashes, notes, tags and custody history')
    .argument('<item>', 'item id (or its first 8 or more characters)')
    .addHelpText('after', '\nExample:\n  custos item show 3f2a9c1e')
    .action(async function (this: Command, ref: string) {
      const { describeMedia } = await import('../../core/import/media-metadata.js');
      await withStore(this, 'read', (store, out) => {
        const detail = store.getItem(ref);
        if (out.json) {
          const json = {
            ...itemJson(detail),
            record: detail.record,
            notes: detail.notes,
            custody: detail.custody,
          };
          // `items` is there too so that every item-printing command shares one shape: {"items": […]}.
          return out.result({ ...json, items: [json] });
        }
        out.line(`Item ${detail.id}`);
        out.line(`  kind       ${detail.kind}`);
        out.line(`  source     ${detail.url ?? detail.source}`);
        if (detail.title) out.line(`  title      ${detail.title}`);
        out.line(`  captured   ${detail.capturedAt} (workstation time zone ${detail.record.timeZone})`);
        out.line(
          `  by         ${detail.record.investigator.name} (key ${detail.record.investigator.keyFingerprint.slice(0, 16)}…)`,
        );
        out.line(`  digest     ${detail.digest}`);
        if (detail.tags.length) out.line(`  tags       ${detail.tags.join(', ')}`);
        out.line('');
        out.line('Artifacts:');
        out.line(
          table(
            detail.artifacts.map((a) => [`  ${a.role}`, a.name, a.mediaType, formatBytes(a.size), a.sha256]),
          ),
        );
        const { media, ...rest } = detail.record.metadata;
        const metadata = Object.entries(rest);
        if (metadata.length) {
          out.line('');
          out.line('Record:');
          for (const [key, value] of metadata)
            out.line(`  ${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
        }
        const mediaLines = media ? describeMedia(media as MediaMetadata) : [];
        if (mediaLines.length) {
          out.line('');
          out.line('Media metadata (as written in the file; `--json` has every tag):');
          out.line(table(mediaLines.map(([label, value]) => [`  ${label}`, value])));
        }
        if (detail.notes.length) {
          out.line('');
          out.line('Notes:');
          for (const note of detail.notes) out.line(`  [${note.createdAt}] ${note.text}`);
        }
        out.line('');
        out.line('Custody:');
        for (const entry of detail.custody) out.line(`  #${entry.seq} ${entry.time} ${entry.action}`);
      });
    });
}
