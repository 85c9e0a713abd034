import type { Command } from 'commander';
import {
  type NearDuplicateGroup,
  type PageImageLocation,
  SITE_FURNITURE_PAGES,
  type SimilarImages,
} from '../../../shared/media.js';
import { badInput } from '../../core/errors.js';
import { withStore } from '../context.js';
import { type Output, table } from '../output.js';

/** `custos similar ITEM` and `custos similar --groups [--case CASE]` */
export function registerSimilar(program: Command): void {
  program
    .command('similar')
    .description(
      "near-duplicate pictures (perceptual hashes): the items, in any case, whose images look like an item's, or every group of near-duplicates",
    )
    .argument('[item]', 'item id (or its first 8 or more characters)')
    .option('--groups', 'list the groups of near-duplicate pictures instead (connected across cases)')
    .option('--case <case>', 'with --groups: only the groups that hold an item of this case')
    .addHelpText(
      'after',
      `
Two pictures are near-duplicates when their 64-bit perceptual hashes differ in at most 10 bits: the
same photo re-encoded, resized or lightly cropped by another account. The pictures are imported
images, a capture's screenshots and the photos inside a captured page (image responses of its
WARC, role page-image, listed with their URL; icons and spacers left out, at most 300 per item).
Hashes are derived data (\`custos reindex\` rebuilds them); evidence is never changed.

Examples:
  custos similar 3f2a9c1e
  custos similar 3f2a9c1e --json
  custos similar --groups --case BE-2026-0142`,
    )
    .action(async function (
      this: Command,
      itemRef: string | undefined,
      options: { groups?: boolean; case?: string },
    ) {
      if (options.groups && itemRef !== undefined) {
        throw badInput('give either an item or --groups, not both; `custos similar --help` shows both forms');
      }
      if (!options.groups && itemRef === undefined) {
        throw badInput(
          'name an item (`custos similar ITEM`) or ask for --groups; `custos similar --help` shows both',
        );
      }
      if (!options.groups && options.case !== undefined) {
        throw badInput('--case goes with --groups (`custos similar --groups --case CASE`)');
      }
      await withStore(this, 'read', async (store, out) => {
        const { nearDuplicateGroups, similarImages } = await import('../../core/media/similar-images.js');
        const { siteFurniture } = await import('../../core/media/image-hash-queries.js');
        if (options.groups)
          printGroups(
            out,
            nearDuplicateGroups(store, { caseRef: options.case }),
            siteFurniture(store.db).size,
          );
        else printSimilar(out, similarImages(store, itemRef!));
      });
    });
}

function printSimilar(out: Output, result: SimilarImages): void {
  if (out.json) {
    out.result({
      item: {
        id: result.itemId,
        status: result.status,
        error: result.error,
        images: result.images.map(({ page, ...image }) => ({ ...image, ...pictureJson(page) })),
        ...(result.pageImages ? { pageImages: result.pageImages } : {}),
        siteFurniture: result.siteFurniture,
      },
      maxDistance: result.maxDistance,
      items: result.similar.map((s) => ({
        id: s.itemId,
        caseId: s.caseId,
        caseNumber: s.caseNumber,
        kind: s.kind,
        title: s.title,
        source: s.source,
        capturedAt: s.capturedAt,
        distance: s.distance,
        image: { sha256: s.sha256, role: s.role, ...pictureJson(s.page) },
        matches: { sha256: s.matchedSha256, role: s.matchedRole, ...pictureJson(s.matchedPage) },
      })),
    });
    return;
  }
  if (result.status === 'no-images') {
    out.line(`Item ${result.itemId} has no picture to compare.`);
    return;
  }
  if (result.status === 'pending') {
    out.message(
      `note: item ${result.itemId}'s pictures are not hashed yet; run \`custos reindex --missing\``,
    );
  }
  if (result.status === 'failed')
    out.message(`note: item ${result.itemId}'s pictures could not be hashed: ${result.error}`);
  if (result.pageImages?.note) out.message(`note: page images: ${result.pageImages.note}`);
  for (const left of result.siteFurniture) {
    out.message(
      `note: left out as the site's furniture (the same file on ${left.pages} different pages, like a logo): ${left.uri ?? left.sha256}`,
    );
  }
  if (result.similar.length === 0) {
    out.line(`No similar pictures (within ${result.maxDistance} of 64 bits) in any case.`);
    return;
  }
  out.line(
    table([
      ['DISTANCE', 'CASE', 'ITEM', 'CAPTURED (UTC)', 'SOURCE', 'PICTURE'],
      ...result.similar.map((s) => [
        String(s.distance),
        s.caseNumber,
        s.itemId,
        s.capturedAt,
        s.title ?? s.source,
        s.page ? `${s.role} ${s.page.uri}` : `${s.role} ${s.sha256.slice(0, 12)}…`,
      ]),
    ]),
  );
  const matched = result.similar.filter((s) => s.matchedPage);
  if (matched.length > 0) {
    out.line('Pictures of this item that matched, as the page showed them:');
    for (const s of matched) out.line(`  with ${s.itemId.slice(0, 8)}: ${s.matchedPage!.uri}`);
  }
  out.line(
    `Distance: bits of 64 in which the perceptual hashes differ (0: the same picture; at most ${result.maxDistance} listed).`,
  );
}

/**
 * A page image's place in JSON, added beside `sha256` and `role` (fields only added, so earlier
 * readers of this output are unaffected): `uri` and `warc: {sha256, offset}`.
 */
function pictureJson(page: PageImageLocation | undefined) {
  return page ? { uri: page.uri, warc: { sha256: page.warcSha256, offset: page.recordOffset } } : {};
}

function printGroups(out: Output, groups: readonly NearDuplicateGroup[], furniture: number): void {
  if (out.json) {
    out.result({
      siteFurniture: { pictures: furniture, minPages: SITE_FURNITURE_PAGES },
      groups: groups.map((g) => ({
        caseNumbers: g.caseNumbers,
        items: g.members.map((m) => ({
          id: m.itemId,
          caseId: m.caseId,
          caseNumber: m.caseNumber,
          kind: m.kind,
          title: m.title,
          source: m.source,
          capturedAt: m.capturedAt,
          distance: m.distance,
          image: { sha256: m.sha256, role: m.role, ...pictureJson(m.page) },
        })),
      })),
    });
    return;
  }
  if (furniture > 0) {
    out.message(
      `note: ${furniture} picture${furniture === 1 ? '' : 's'} shown on ${SITE_FURNITURE_PAGES} or more different pages (a site's logos and banners) left out`,
    );
  }
  if (groups.length === 0) {
    out.line('No near-duplicate pictures.');
    return;
  }
  groups.forEach((group, n) => {
    if (n > 0) out.line('');
    const cases =
      group.caseNumbers.length > 1
        ? ` across cases ${group.caseNumbers.join(', ')}`
        : ` in case ${group.caseNumbers[0]}`;
    out.line(`Group ${n + 1}: ${group.members.length} items${cases}`);
    out.line(
      table(
        group.members.map((m) => [
          `  ${m.caseNumber}`,
          m.itemId,
          m.capturedAt,
          `distance ${m.distance}`,
          m.title ?? m.source,
          ...(m.page ? [m.page.uri] : []),
        ]),
      ),
    );
  });
}
