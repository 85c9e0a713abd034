import { describe, expect, test } from 'vitest';
import {
  classifyCheck,
  findNewNotice,
  type PageObservation,
  UNCHANGED_SCREENSHOT_DISTANCE,
  UNCHANGED_TEXT_SIMILARITY,
} from '../../../electron/core/watch/classify-check.js';
import { normalizeText, textSimilarity } from '../../../electron/core/watch/page-text.js';
import { PLATFORM_NOTICES } from '../../../electron/core/watch/removal-notices.js';
import type { WatchState } from '../../../shared/watch.js';

const POST_URL = 'https://www.facebook.com/groups/crossings/posts/8812';

// Real-looking visible text of a Facebook group post (what the `text` artifact holds).
const POST_TEXT = `Sea Travel Agency
3h ·
Crossing to Lampedusa this Friday from Sabratha. Places left: 12. Price 2500 euro per adult, children half.
Life jackets included. Contact on WhatsApp +218 91 000 1234.
رحلة إلى إيطاليا يوم الجمعة، الأماكن محدودة
All reactions: 48
17 comments
Like
Comment
Share
Ahmed K. how many boats this week?
Samir B. is there room for two? sent you a message`;

function page(overrides: Partial<PageObservation> = {}): PageObservation {
  return {
    httpStatus: 200,
    requestedUrl: POST_URL,
    finalUrl: POST_URL,
    title: 'Sea Travel Agency - Crossing to Lampedusa | Facebook',
    text: POST_TEXT,
    screenshotHash: 'c3a1f0e0b8e0f0f0',
    ...overrides,
  };
}

function captured(
  current: PageObservation,
  baseline: PageObservation | null,
  lastCapturedState: WatchState | null = baseline ? 'live' : null,
) {
  return classifyCheck({ kind: 'captured', current, baseline, lastCapturedState });
}

describe('classifyCheck: first capture', () => {
  test('a first capture of a live post is live', () => {
    expect(captured(page(), null).state).toBe('live');
  });

  test('a first capture that is already a 404 is removed', () => {
    const result = captured(page({ httpStatus: 404, text: 'This page isn’t available' }), null);
    expect(result.state).toBe('removed');
    expect(result.reasons).toContain('HTTP status 404');
  });
});

describe('classifyCheck: the content is still there', () => {
  test('the same post an hour later (relative time and counts moved) is unchanged', () => {
    const later = POST_TEXT.replace('3h ·', '4h ·')
      .replace('All reactions: 48', 'All reactions: 51')
      .replace('17 comments', '18 comments');
    const result = captured(page({ text: later, screenshotHash: 'c3a1f0e0b8e0f0f1' }), page());
    expect(result.state).toBe('unchanged');
    expect(result.signals.textSimilarity).toBeGreaterThanOrEqual(UNCHANGED_TEXT_SIMILARITY);
    expect(result.signals.screenshotDistance).toBe(1);
  });

  test('the same text in another order (a feed that moved a post up) is unchanged', () => {
    const reordered = POST_TEXT.split('\n').reverse().join('\n');
    expect(captured(page({ text: reordered }), page()).state).toBe('unchanged');
  });

  test('a capture without a screenshot is compared on text, status and URL alone', () => {
    expect(captured(page({ screenshotHash: null }), page()).state).toBe('unchanged');
  });
});

describe('classifyCheck: changed', () => {
  test('an edited post (new text) is changed, saying how alike the texts were', () => {
    const edited =
      'Sea Travel Agency\n5h ·\nSOLD OUT for Friday. Next departure announced soon, follow the page. New price list in private messages only.\nLike\nComment\nShare';
    const result = captured(page({ text: edited }), page());
    expect(result.state).toBe('changed');
    expect(result.signals.textSimilarity).toBeLessThan(UNCHANGED_TEXT_SIMILARITY);
    expect(result.reasons.join(' ')).toMatch(/visible text \d+% alike/);
  });

  test('a replaced photo with the same text is changed, by the screenshot hash', () => {
    const result = captured(page({ screenshotHash: '3c5e0f1f471f0f0f' }), page());
    expect(result.state).toBe('changed');
    expect(result.signals.screenshotDistance).toBeGreaterThan(UNCHANGED_SCREENSHOT_DISTANCE);
  });

  test('a redirect to another address is changed (and says where)', () => {
    const result = captured(page({ finalUrl: 'https://www.facebook.com/groups/crossings/' }), page());
    expect(result.state).toBe('changed');
    expect(result.reasons.join(' ')).toMatch(
      /final URL .* → https:\/\/www\.facebook\.com\/groups\/crossings\//,
    );
  });

  test('the same address with the fragment the watch asked for is unchanged: a baseline captured before final URLs kept it has none', () => {
    const watched = `${POST_URL}#comment-7`;
    const result = captured(
      page({ requestedUrl: watched, finalUrl: watched }),
      page({ requestedUrl: watched }),
    );
    expect(result.state).toBe('unchanged');
  });

  test('a server error in place of the post is changed, not removed (the server may be back tomorrow)', () => {
    const result = captured(page({ httpStatus: 503, text: 'Service Unavailable' }), page());
    expect(result.state).toBe('changed');
    expect(result.reasons.join(' ')).toMatch(/HTTP status 200 → 503/);
  });
});

describe('classifyCheck: removed', () => {
  test.each([404, 410, 451])('HTTP status %i is removed', (status) => {
    const result = captured(page({ httpStatus: status, text: 'Not Found' }), page());
    expect(result.state).toBe('removed');
    expect(result.reasons).toContain(`HTTP status ${status}`);
  });

  test.each([
    [
      'facebook',
      'en',
      'This content isn\u2019t available right now\nWhen this happens, it\u2019s usually because the owner only shared it with a small group of people, changed who can see it or it\u2019s been deleted.\nGo to Feed',
    ],
    [
      'facebook',
      'fr',
      'Ce contenu n\u2019est pas disponible pour le moment\nLorsque cela se produit, c\u2019est g\u00e9n\u00e9ralement parce que le propri\u00e9taire l\u2019a partag\u00e9 avec un petit groupe de personnes.',
    ],
    [
      'facebook',
      'ar',
      'هذا المحتوى غير متاح الآن\nعادةً ما يحدث هذا لأن المالك شاركه مع مجموعة صغيرة من الأشخاص',
    ],
    ['facebook', 'fa', 'این محتوا در حال حاضر در دسترس نیست'],
    [
      'instagram',
      'en',
      "Sorry, this page isn't available.\nThe link you followed may be broken, or the page may have been removed. Go back to Instagram.",
    ],
    [
      'instagram',
      'it',
      'Spiacenti, questa pagina non è disponibile.\nIl link che hai seguito potrebbe non funzionare.',
    ],
    ['instagram', 'es', 'Lo sentimos, esta página no está disponible.'],
    ['instagram', 'de', 'Diese Seite ist leider nicht verfügbar.'],
    ['x', 'en', 'Hmm…this page doesn’t exist. Try searching for something else.\nSearch'],
    ['x', 'en', 'This post is from a suspended account. Learn more'],
    ['x', 'fr', 'Hmm... cette page n’existe pas. Essayez de faire une autre recherche.'],
    [
      'tiktok',
      'en',
      "Couldn't find this account\nLooking for videos? Try browsing our trending creators, hashtags, and sounds.",
    ],
    ['tiktok', 'de', 'Konto konnte nicht gefunden werden'],
    ['telegram', 'en', "This channel can't be displayed because it violated Telegram's Terms of Service."],
    [
      'youtube',
      'en',
      'Video unavailable\nThis video is no longer available because the YouTube account associated with this video has been terminated.',
    ],
    ['youtube', 'es', 'Video no disponible'],
  ])('a %s removal notice in %s on a page answered 200 is removed', (platform, language, text) => {
    // Each notice on its own platform's page (a notice is attributed to the site that shows it).
    const url = `https://www.${platform === 'telegram' ? 't.me' : `${platform}.com`}/post/8812`;
    const at = { requestedUrl: url, finalUrl: url };
    const result = captured(page({ text, title: 'Notice', ...at }), page(at));
    expect(result.state).toBe('removed');
    expect(result.signals.notice?.platform).toBe(platform);
    expect(result.signals.notice?.language).toBe(language);
  });

  test('a redirect to a login page (Instagram /accounts/login/) is a login wall: removed', () => {
    const result = captured(
      page({
        requestedUrl: 'https://www.instagram.com/p/C8xYz12AbCd/',
        finalUrl: 'https://www.instagram.com/accounts/login/?next=%2Fp%2FC8xYz12AbCd%2F',
        text: 'Log in\nPhone number, username or email\nPassword',
      }),
      page(),
    );
    expect(result.state).toBe('removed');
    expect(result.signals.loginWall).toBe(true);
    expect(result.reasons.join(' ')).toMatch(/redirected to a login page/);
  });

  test('a "you must log in" wall in German over the post is removed', () => {
    const result = captured(page({ text: 'Du musst dich anmelden, um fortzufahren.\nAnmelden' }), page());
    expect(result.state).toBe('removed');
    expect(result.signals.loginWall).toBe(true);
  });

  test('a login page that is itself watched is not a login wall', () => {
    const login = 'https://social.example/login';
    expect(
      captured(page({ requestedUrl: login, finalUrl: login }), page({ requestedUrl: login, finalUrl: login }))
        .state,
    ).toBe('unchanged');
  });

  test('a notice the live page already showed (a post quoting it) is not a removal', () => {
    const quoting = `${POST_TEXT}\nAdmin: if you see "Video unavailable" the link was taken down, ask me for a new one`;
    expect(captured(page({ text: quoting }), page({ text: quoting })).state).toBe('unchanged');
  });
});

describe('classifyCheck: after a removal', () => {
  test('the post back after a removal is live again', () => {
    const result = captured(page(), page(), 'removed');
    expect(result.state).toBe('live');
    expect(result.reasons).toEqual(['the content is back after a removal']);
  });

  test('still removed after a removal stays removed', () => {
    expect(captured(page({ httpStatus: 410 }), page(), 'removed').state).toBe('removed');
  });
});

describe('classifyCheck: no page', () => {
  test('a network error is unreachable, not removed', () => {
    const result = classifyCheck({
      kind: 'unreachable',
      error: 'the host name www.facebook.com could not be resolved (DNS failure)',
    });
    expect(result.state).toBe('unreachable');
    expect(result.reasons[0]).toMatch(/^network error: .*DNS/);
  });

  test('another capture failure is failed', () => {
    expect(classifyCheck({ kind: 'failed', error: 'the address redirects in a loop' }).state).toBe('failed');
  });
});

describe('page text', () => {
  test('normalisation ignores case, punctuation, apostrophes, accents and Arabic letter variants', () => {
    expect(normalizeText('Hmm…this page doesn’t exist!')).toBe(
      normalizeText("hmm... This page doesn't exist"),
    );
    expect(normalizeText('Vidéo NON disponible')).toBe('video non disponible');
    expect(normalizeText('عذرًا، هذه الصفحة غير متاحة')).toBe(normalizeText('عذرا هذه الصفحة غير متاحة'));
    expect(normalizeText('این پست از یک حساب تعلیق‌شده است')).toBe(
      normalizeText('اين پست از يک حساب تعليق شده است'),
    );
  });

  test('similarity is 1 for the same words, 0 for none in common, and between for some', () => {
    expect(textSimilarity('a b c', 'c b a')).toBe(1);
    expect(textSimilarity('', '')).toBe(1);
    expect(textSimilarity('boats friday', 'trucks monday')).toBe(0);
    expect(textSimilarity('one two three four', 'one two three five')).toBe(0.75);
  });

  test('a notice must be whole words: "video unavailable" is not found inside "video unavailableness"', () => {
    expect(findNewNotice('video unavailableness', '')).toBeUndefined();
    expect(findNewNotice('Video unavailable', '')?.platform).toBe('youtube');
  });
});

describe('the notice table', () => {
  test('covers Facebook, Instagram, X, TikTok, Telegram and YouTube in English, French, Italian, Spanish, German, Arabic and Persian', () => {
    const languages = ['en', 'fr', 'it', 'es', 'de', 'ar', 'fa'];
    for (const platform of ['facebook', 'instagram', 'x', 'tiktok', 'telegram', 'youtube']) {
      const have = new Set(PLATFORM_NOTICES.filter((n) => n.platform === platform).map((n) => n.language));
      expect([...have].sort(), platform).toEqual([...languages].sort());
    }
  });

  test('every notice still reads as words once normalised (none is lost to punctuation)', () => {
    for (const notice of PLATFORM_NOTICES)
      expect(normalizeText(notice.text).split(' ').length, notice.text).toBeGreaterThanOrEqual(2);
  });
});
