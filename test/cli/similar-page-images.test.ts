/**
 * `custos similar` on captures: the same boat photo posted by two accounts on two pages, captured
 * with `custos capture` (real Chromium, fixture site on 127.0.0.1) into two cases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../support/fixture-server.js';
import { runCustos, runCustosJson } from '../support/run-custos.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';
import { CLI_TEST_TIMEOUT_MS, type ItemsJson } from './cli-fixtures.js';

interface PictureJson {
  sha256: string;
  role: string;
  uri?: string;
  warc?: { sha256: string; offset: number };
}

interface SimilarJson {
  item: {
    id: string;
    status: string;
    images: (PictureJson & { phash: string })[];
    pageImages?: { found: number; hashed: number; small: number; unreadable: number; capped: boolean };
  };
  items: { id: string; caseNumber: string; distance: number; image: PictureJson; matches: PictureJson }[];
}

let server: FixtureServer;
let temp: TempStore;
const ids: Record<string, string> = {};

async function capture(pathname: string, caseRef: string): Promise<ItemsJson['items'][number]> {
  const result = await runCustosJson<ItemsJson>(['capture', server.url(pathname), '--case', caseRef], {
    store: temp.dir,
    timeoutMs: 200_000,
  });
  expect(result.status, result.stderr).toBe(0);
  return result.json.items[0]!;
}

beforeAll(async () => {
  server = await startFixtureServer();
  temp = makeTempStore({ caseNumber: 'BE-1' });
  const created = await runCustos(['case', 'create', '--number', 'IT-2', '--title', 'Libya'], {
    store: temp.dir,
  });
  expect(created.status, created.stderr).toBe(0);
  ids.abuSalem = (await capture('/accounts/abu-salem.html', 'BE-1')).id;
  ids.seaRoutes = (await capture('/accounts/sea-routes.html', 'IT-2')).id;
}, CLI_TEST_TIMEOUT_MS);

afterAll(async () => {
  temp?.remove();
  await server?.close();
});

describe('custos similar with photos inside captured pages', () => {
  it(
    'lists the other account’s capture with the URL of each matching image (--json adds uri and warc, nothing removed)',
    async () => {
      const result = await runCustosJson<SimilarJson>(['similar', ids.abuSalem!], { store: temp.dir });
      expect(result.status, result.stderr).toBe(0);
      const [match, ...rest] = result.json.items;
      expect(rest).toEqual([]);
      expect(match).toMatchObject({
        id: ids.seaRoutes,
        caseNumber: 'IT-2',
        image: { role: 'page-image', uri: server.url('/img/boat-repost.webp') },
        matches: { role: 'page-image', uri: server.url('/img/boat.jpg') },
      });
      expect(match!.image.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(match!.image.warc).toEqual({
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        offset: expect.any(Number),
      });
      const pageImage = result.json.item.images.find((i) => i.role === 'page-image')!;
      expect(Object.keys(pageImage).sort()).toEqual(['phash', 'role', 'sha256', 'uri', 'warc']);
      const screenshot = result.json.item.images.find((i) => i.role === 'screenshot')!;
      expect(Object.keys(screenshot).sort()).toEqual(['phash', 'role', 'sha256']);
      expect(result.json.item.pageImages).toMatchObject({
        hashed: 1,
        small: 3,
        unreadable: 0,
        capped: false,
      });

      const human = await runCustos(['similar', ids.abuSalem!], { store: temp.dir });
      expect(human.status, human.stderr).toBe(0);
      expect(human.stdout).toContain(`page-image ${server.url('/img/boat-repost.webp')}`);
      expect(human.stdout).toContain(`with ${ids.seaRoutes!.slice(0, 8)}: ${server.url('/img/boat.jpg')}`);

      const groups = await runCustos(['similar', '--groups', '--case', 'IT-2'], { store: temp.dir });
      expect(groups.status, groups.stderr).toBe(0);
      expect(groups.stdout).toContain('across cases BE-1, IT-2');
      expect(groups.stdout).toContain(server.url('/img/boat-repost.webp'));
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
