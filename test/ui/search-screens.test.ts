/**
 * Search in the app, in real Chromium through the loopback harness: the evidence list's search
 * box and the Search all cases screen over Arabic, Persian and Italian adverts in two cases, with
 * the matched words marked and right-to-left snippets shown right to left, in the light and the
 * dark theme. Screens are saved under test-results/ui/ to be looked at.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../electron/core/import/import-file.js';
import { countCalls, holdCalls } from './support/hold-calls.js';
import { textContrastInBothThemes } from './support/text-contrast.js';
import { UiSession } from './support/ui-session.js';

const ARABIC_AD = `رِحْلَاتٌ مَضْمُونَةٌ مِنْ زُوَارَة إِلَى إِيطَالِيَا كل يوم جمعة، قارب كبير وآمن مع سترات نجاة للجميع.
السعر ٣٥٠٠ دولار للشخص، الأطفال نصف السعر، الدفع عند الوصول عبر مكتب الضمانة في طرابلس.
للحجز واتساب +218 91 234 5678
`;
const PERSIAN_AD = `انتقال مطمئن از ارومیه به ترکیه و یونان. می‌خواهید به اروپا بروید؟ با ما تماس بگیرید.
هزینه ۴۵۰۰ یورو تا آتن، پرداخت در دفتر امانت در استانبول. کشتی بزرگ بدون خطر، راهنمای فارسی‌زبان همراه شما.
`;
const ITALIAN_AD = `Viaggio sicuro per Lampedusa con barca grande, partenza da Sfax ogni settimana.
Prezzo 3.000 € a persona, i bambini pagano la metà. Giubbotti di salvataggio per tutti.
`;
const PERSIAN_CHAT = `[03/06/2024 22:10] رضا: قیمت جدید برای یونان ۵۰۰۰ یورو است، کشتی فردا شب از ازمیر حرکت می‌کند.
[03/06/2024 22:12] رضا: پول را به دفتر امانت بدهید، بعد از رسیدن آزاد می‌شود.
`;

/** Landing reports seeded in a third case: one more than two pages of Search all cases. */
const LANDINGS = 51;

/** A short report of landing `n`, which names both Pozzallo and Augusta. */
function landingReport(n: number): string {
  return `Sbarco n. ${n} a Pozzallo: la barca era partita da Zuwara, i passeggeri trasferiti ad Augusta.\n`;
}

/** The browser globals used inside page.evaluate (this file is compiled with Node's types). */
interface PageGlobals {
  getComputedStyle(element: unknown): { direction: string };
}

let ui: UiSession;
let page: Page;
/** The ids of the cases seeded, by number. */
const caseIds = new Map<string, string>();

beforeAll(async () => {
  ui = await UiSession.start();
  page = ui.page;
  // The evidence is put in through the services, as an import by the CLI would.
  await ui.seedStore({ name: 'Ana Ruiz', agency: 'Border Police, Unit 3' }, async (store) => {
    const libya = store.createCase({ number: 'LY-2026-01', title: 'Zuwara crossings' }).id;
    const greece = store.createCase({ number: 'GR-2026-03', title: 'Aegean route chats' }).id;
    caseIds.set('LY-2026-01', libya);
    caseIds.set('GR-2026-03', greece);
    await importFile(store, libya, ui.writeFile('zuwara-ad.txt', ARABIC_AD));
    await importFile(store, libya, ui.writeFile('urmia-ad.txt', PERSIAN_AD));
    await importFile(store, libya, ui.writeFile('sfax-ad.txt', ITALIAN_AD));
    await importFile(store, greece, ui.writeFile('izmir-chat.txt', PERSIAN_CHAT));
    // More landings than two pages of Search all cases hold (25 each), so that it offers next pages.
    const sicily = store.createCase({ number: 'IT-2026-05', title: 'Sicily landings' }).id;
    for (let i = 1; i <= LANDINGS; i++)
      await importFile(store, sicily, ui.writeFile(`landing-${i}.txt`, landingReport(i)));
  });
}, 120_000);

afterAll(async () => {
  await ui?.close();
});

/** The direction the browser lays an element out in. */
function direction(locator: ReturnType<Page['locator']>): Promise<string> {
  return locator.evaluate((el) => (globalThis as unknown as PageGlobals).getComputedStyle(el).direction);
}

/** Goes to Search all cases by its shortcut and searches for `query` with Enter; answers the search box. */
async function searchAllCases(query: string) {
  await page.locator('.sidebar nav').first().waitFor(); // the shortcut is the frame's: none before it is shown
  await page.keyboard.press('Alt+0');
  await page.getByRole('heading', { name: 'Search all cases' }).waitFor();
  const box = page.getByLabel(/a "phrase in quotes"/);
  await box.fill(query);
  await box.press('Enter');
  return box;
}

describe('search in the app', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`the evidence list's search finds Arabic written with diacritics and marks it, right to left (${theme})`, async () => {
      if (theme === 'dark') await page.getByRole('button', { name: 'Dark theme' }).click();
      await page.keyboard.press('Alt+1');
      if (theme === 'light') await ui.screenshot('search-00-start-screen');
      await page.getByRole('button', { name: /LY-2026-01/ }).click();
      await page.getByLabel(/Search page text/).fill('رحلات ايطاليا');
      await expect.poll(() => page.locator('.list-toolbar .count').textContent()).toBe('1 item');
      const snippet = page.locator('.table-row .snippet').first();
      await snippet.locator('mark').first().waitFor();
      // A one-line cell shows the first match and a few words around it; its title holds the rest.
      expect((await snippet.locator('mark').allTextContents())[0]).toBe('رِحْلَاتٌ');
      expect(await snippet.getAttribute('title')).toContain('إِيطَالِيَا');
      expect(await direction(snippet)).toBe('rtl');
      await ui.screenshot(`search-01-evidence-arabic-${theme}`);
      await page.getByLabel(/Search page text/).fill('Lampedusa');
      await expect
        .poll(() => page.locator('.table-row .snippet mark').first().textContent())
        .toBe('Lampedusa');
      expect(await direction(page.locator('.table-row .snippet').first())).toBe('ltr');
      await page.getByLabel(/Search page text/).fill('');
      await expect.poll(() => page.locator('.list-toolbar .count').textContent()).toBe('3 items');
    });

    it(`Search all cases finds a Persian word in both cases, each hit with its case and a right-to-left snippet (${theme})`, async () => {
      if (theme === 'light') await page.getByRole('button', { name: /Search all cases/ }).click();
      else await page.keyboard.press('Alt+0'); // the shortcut its navigation entry shows
      await page.getByRole('heading', { name: 'Search all cases' }).waitFor();
      const box = page.getByLabel(/a "phrase in quotes"/);
      // The ads write امانت and یونان with the Persian yeh; the query has the Arabic one.
      await box.fill('يونان امانت');
      await box.press('Enter');
      await expect.poll(() => page.locator('.search-hit').count()).toBe(2);
      expect(await page.locator('.list-toolbar .count').textContent()).toBe('2 items');
      const cases = await page.locator('.search-hit-head .mono:first-child').allTextContents();
      expect(cases.sort()).toEqual(['GR-2026-03', 'LY-2026-01']);
      const snippets = page.locator('.search-hit .snippet');
      for (let i = 0; i < 2; i++) {
        expect(await direction(snippets.nth(i))).toBe('rtl');
        expect(await snippets.nth(i).locator('mark').allTextContents()).toEqual(
          expect.arrayContaining(['یونان', 'امانت']),
        );
      }
      // How words match is read against the screen at WCAG's 4.5:1 at least, in both themes.
      expect(await textContrastInBothThemes(page.locator('#search-rules'))).toBeGreaterThanOrEqual(4.5);
      await ui.screenshot(`search-02-all-cases-persian-${theme}`);
      // the hit from the case not open opens in its own case
      await page.locator('.search-hit', { hasText: 'GR-2026-03' }).click();
      await page.getByRole('heading', { name: 'Capture record' }).waitFor();
      expect(await page.locator('.sidebar-case .number').textContent()).toBe('GR-2026-03');
    });
  }

  it('Search all cases takes a new search entered while the one before is still answering, and the late answer does not replace it', async () => {
    // The first search's answer is held until the second search has shown its hits.
    const held: (() => Promise<void>)[] = [];
    let lateAnswered = 0;
    const ended = (request: { url(): string; postData(): string | null }) => {
      if (request.url().endsWith('/api/searchItems') && request.postData()?.includes('"Lampedusa"'))
        lateAnswered++;
    };
    // The client stops reading a call's stream once it has the answer: the request then ends as aborted.
    page.on('requestfinished', ended);
    page.on('requestfailed', ended);
    await page.route('**/api/searchItems', async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}') as { query?: string };
      if (body.query === 'Lampedusa') held.push(() => route.continue());
      else await route.continue();
    });
    try {
      const box = await searchAllCases('Lampedusa');
      await expect.poll(() => held.length).toBeGreaterThan(0);
      // Before, the Search button was disabled while a search answered, and a disabled default
      // button makes Enter in the box do nothing: the new search was dropped without a word.
      await box.fill('يونان امانت');
      await box.press('Enter');
      await expect.poll(() => page.locator('.search-hit').count()).toBe(2);
      const late = held.length;
      for (const answer of held.splice(0)) await answer();
      await expect.poll(() => lateAnswered).toBe(late);
      expect(await page.locator('.list-toolbar .count').textContent()).toBe('2 items');
      expect(await page.locator('.search-hit', { hasText: 'sfax-ad.txt' }).count()).toBe(0);
    } finally {
      for (const answer of held.splice(0)) await answer();
      await page.unroute('**/api/searchItems');
      page.off('requestfinished', ended);
      page.off('requestfailed', ended);
    }
  });

  it('Search all cases: a new search does not keep showing the failure of the one before (the error left no room for its results)', async () => {
    const box = await searchAllCases('Lampedusa');
    const hit = page.locator('.search-hit', { hasText: 'sfax-ad.txt' });
    await hit.waitFor();
    // Opening the hit fails (its case cannot be read): the screen says so.
    await page.route('**/api/getCase', (route) => route.abort());
    try {
      await hit.click();
      await page.locator('.screen-body .error-box').waitFor();
      await ui.screenshot('search-04-all-cases-failure');
      await page.unroute('**/api/getCase');
      // A new search answers: the failure of opening the earlier hit is no longer shown above it.
      await box.fill('يونان امانت');
      await box.press('Enter');
      await expect.poll(() => page.locator('.search-hit').count()).toBe(2);
      expect(await page.locator('.screen-body .error-box').count()).toBe(0);
    } finally {
      await page.unroute('**/api/getCase');
    }
  });

  it("Search all cases drops a superseded search's late next page: its failure is not shown under the new search, nor its hits in place of the new search's own next page", async () => {
    // The next pages of the search for Pozzallo are held until a new search (Augusta) has shown its own.
    const held: ((fail: boolean) => Promise<void>)[] = [];
    const heldPage = (request: { url(): string; postData(): string | null }) => {
      const body = JSON.parse(request.postData() ?? '{}') as { query?: string; offset?: number };
      return request.url().endsWith('/api/searchItems') && body.query === 'Pozzallo' && body.offset !== 0;
    };
    let lateAnswered = 0;
    const ended = (request: { url(): string; postData(): string | null }) => {
      if (heldPage(request)) lateAnswered++;
    };
    page.on('requestfinished', ended);
    page.on('requestfailed', ended);
    await page.route('**/api/searchItems', async (route) => {
      if (heldPage(route.request())) held.push((fail) => (fail ? route.abort() : route.continue()));
      else await route.continue();
    });
    const hits = page.locator('.search-hit');
    const more = page.getByRole('button', { name: /^Show more/ });
    const marked = page.locator('.search-hit .snippet mark').first();
    /** Searches for Pozzallo and asks for its next page, held; then searches for Augusta. */
    const newSearchWhilePozzalloPageHeld = async () => {
      const box = await searchAllCases('Pozzallo');
      await expect.poll(() => marked.textContent()).toBe('Pozzallo');
      await more.click();
      await expect.poll(() => held.length).toBe(1);
      await box.fill('Augusta');
      await box.press('Enter');
      await expect.poll(() => marked.textContent()).toBe('Augusta');
      await expect.poll(() => more.textContent()).toBe(`Show more (25 of ${LANDINGS})`);
    };
    /** Answers the held next page (a failure or its hits) and waits until the window has it. */
    const answerHeld = async (fail: boolean) => {
      const late = lateAnswered + held.length;
      for (const answer of held.splice(0)) await answer(fail);
      await expect.poll(() => lateAnswered).toBe(late);
    };
    // Whether a failure was ever shown on the screen from here on: a next page's answer clears one.
    await page.evaluate(() => {
      const g = globalThis as unknown as {
        failuresShown: number;
        document: { querySelector(selector: string): unknown };
        MutationObserver: new (
          noted: () => void,
        ) => { observe(target: unknown, options: Record<string, boolean>): void };
      };
      g.failuresShown = 0;
      new g.MutationObserver(() => {
        if (g.document.querySelector('.screen-body .error-box') !== null) g.failuresShown++;
      }).observe(g.document, { subtree: true, childList: true, characterData: true });
    });
    const failuresShown = () =>
      page.evaluate(() => (globalThis as unknown as { failuresShown: number }).failuresShown);
    try {
      await newSearchWhilePozzalloPageHeld();
      // The new search's own next page is not kept waiting for the old one's.
      expect(await more.isEnabled()).toBe(true);
      await answerHeld(true);
      // The new search's next page is asked for and shown after the late failure reached the window.
      await more.click();
      await expect.poll(() => hits.count()).toBe(50);
      expect(await failuresShown()).toBe(0);

      // Again, the held page answering (with its hits) once the new search has shown its own next page.
      await newSearchWhilePozzalloPageHeld();
      await more.click();
      await expect.poll(() => hits.count()).toBe(50);
      await answerHeld(false);
      // The next page is the new search's third: before, the late answer took the place of the
      // second, which was asked for again, and the last hit never came.
      await more.click();
      await expect.poll(() => hits.count()).toBe(LANDINGS);
      expect(await more.count()).toBe(0);
      expect(await failuresShown()).toBe(0);
      await ui.screenshot('search-03-all-cases-next-pages');
    } finally {
      for (const answer of held.splice(0)) await answer(false);
      await page.unroute('**/api/searchItems');
      page.off('requestfinished', ended);
      page.off('requestfailed', ended);
    }
  });

  /**
   * Holds the window's getCase calls for the case `caseNumber`: `held` counts them, `answer` lets
   * them go and waits until each has reached the window.
   */
  async function holdCaseOpening(caseNumber: string): Promise<{ held(): number; answer(): Promise<void> }> {
    const caseId = caseIds.get(caseNumber) ?? '';
    expect(caseId).not.toBe('');
    const held: (() => Promise<void>)[] = [];
    let answered = 0;
    const isHeld = (request: { url(): string; postData(): string | null }) =>
      request.url().endsWith('/api/getCase') && (request.postData() ?? '').includes(caseId);
    const ended = (request: { url(): string; postData(): string | null }) => {
      if (isHeld(request)) answered++;
    };
    page.on('requestfinished', ended);
    page.on('requestfailed', ended);
    await page.route('**/api/getCase', async (route) => {
      if (isHeld(route.request())) held.push(() => route.continue());
      else await route.continue();
    });
    const answer = async () => {
      const late = answered + held.length;
      for (const answer of held.splice(0)) await answer();
      await expect.poll(() => answered).toBe(late);
      await page.unroute('**/api/getCase');
      page.off('requestfinished', ended);
      page.off('requestfailed', ended);
    };
    return { held: () => held.length, answer };
  }

  it("Search all cases: a hit whose case answers after a new search was entered is not opened (the new search's results stay)", async () => {
    const box = await searchAllCases('Lampedusa');
    const hit = page.locator('.search-hit', { hasText: 'sfax-ad.txt' });
    await hit.waitFor();
    const opening = await holdCaseOpening('LY-2026-01');
    try {
      await hit.click();
      await expect.poll(opening.held).toBeGreaterThan(0);
      await box.fill('Augusta');
      await box.press('Enter');
      await expect
        .poll(() => page.locator('.search-hit .snippet mark').first().textContent())
        .toBe('Augusta');
    } finally {
      await opening.answer();
    }
    // The late answer reached the window: it stays on the new search, not on the Sfax item.
    await page.getByRole('heading', { name: 'Search all cases' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Capture record' }).count()).toBe(0);
    expect(await page.locator('.search-hit .snippet mark').first().textContent()).toBe('Augusta');
  });

  it('Search all cases: a hit whose case answers after another hit was opened does not replace it (the window stays on the hit opened last)', async () => {
    await searchAllCases('يونان امانت');
    const libyan = page.locator('.search-hit', { hasText: 'LY-2026-01' });
    await libyan.waitFor();
    const opening = await holdCaseOpening('LY-2026-01');
    try {
      // The Libyan hit's case is slow to answer; the investigator opens the Greek one instead.
      await libyan.click();
      await expect.poll(opening.held).toBeGreaterThan(0);
      await page.locator('.search-hit', { hasText: 'GR-2026-03' }).click();
      await page.getByRole('heading', { name: 'Capture record' }).waitFor();
      await expect.poll(() => page.locator('.screen-head h1').textContent()).toContain('izmir-chat');
    } finally {
      await opening.answer();
    }
    // The late answer reached the window: the Greek chat and its case stay shown.
    expect(await page.locator('.screen-head h1').textContent()).toContain('izmir-chat');
    expect(await page.locator('.sidebar-case .number').textContent()).toBe('GR-2026-03');
  });
});

describe('Search all cases by keyboard', () => {
  it('Show more pressed with Enter keeps the focus while the next page is read, and gives it to the first new hit once the last page is shown', async () => {
    await searchAllCases('Pozzallo');
    const more = page.getByRole('button', { name: /^Show more/ });
    await expect.poll(() => more.textContent()).toBe(`Show more (25 of ${LANDINGS})`);
    const focused = () =>
      page.evaluate(() => {
        const active = (
          globalThis as unknown as {
            document: { activeElement: { textContent: string; tagName: string } | null };
          }
        ).document.activeElement;
        return active ? `${active.tagName} ${active.textContent?.slice(0, 40)}` : '';
      });
    const released = await holdCalls(page, 'searchItems');
    const asked = countCalls(page, 'searchItems');
    try {
      await more.focus();
      await page.keyboard.press('Enter');
      await expect.poll(asked.count).toBeGreaterThan(0);
      // Before, the button was disabled while the page was read: the focus fell to the page's body.
      expect(await focused()).toMatch(/^BUTTON Show more/);
      expect(await more.getAttribute('aria-disabled')).toBe('true');
      // Pressed again meanwhile, it asks for nothing more.
      const sent = asked.count();
      await page.keyboard.press('Enter');
      expect(await focused()).toMatch(/^BUTTON Show more/);
      expect(asked.count()).toBe(sent);
    } finally {
      await released();
      asked.stop();
    }
    await expect.poll(() => page.locator('.search-hit').count()).toBe(50);
    expect(await focused()).toMatch(/^BUTTON Show more/);
    // The last page: the button goes, the focus goes to its first hit rather than to the body.
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.search-hit').count()).toBe(LANDINGS);
    expect(await more.count()).toBe(0);
    await expect.poll(focused).toMatch(/^BUTTON IT-2026-05/);
  });
});
