/**
 * Generated ad pictures for bench/ocr: text rendered by Chromium over photos and noise, at several
 * sizes and angles, in Arabic with Eastern Arabic digits, Persian with Persian digits, French and
 * English with Latin digits; each picture with its truth (the numbers on it, in E.164).
 */
import { chromium } from 'playwright-core';
import sharp from 'sharp';
import {
  findChromium,
  OFFLINE_CHROMIUM_SWITCHES,
} from '../../electron/core/capture/browser/browser-discovery.js';
import { photoPixels } from '../../test/support/photos.js';

/** One generated ad and what is on it. */
export interface GeneratedAd {
  readonly name: string;
  readonly language: 'ar' | 'fa' | 'fr' | 'en';
  readonly png: Buffer;
  /** Numbers written in Latin digits (E.164). */
  readonly latin: readonly string[];
  /** Numbers written in Eastern Arabic or Persian digits (E.164). */
  readonly eastern: readonly string[];
}

const ARABIC_INDIC = '٠١٢٣٤٥٦٧٨٩';
const PERSIAN = '۰۱۲۳۴۵۶۷۸۹';

/** A small seeded generator, so a run's pictures are the same every time. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function digits(rand: () => number, n: number): string {
  return Array.from({ length: n }, () => String(Math.floor(rand() * 10))).join('');
}

function inScript(text: string, table: string): string {
  return text.replace(/\d/g, (d) => table[Number(d)]!);
}

function textOf(language: GeneratedAd['language'], rand: () => number) {
  const libyan = `9${1 + Math.floor(rand() * 4)}${digits(rand, 7)}`; // 91…94 + 7 digits
  const iranian = `9${1 + Math.floor(rand() * 3)}${digits(rand, 8)}`; // 91…93 + 8 digits
  const italian = `3${digits(rand, 9)}`;
  switch (language) {
    case 'ar': {
      const national = inScript(
        `0${libyan.slice(0, 2)} ${libyan.slice(2, 5)} ${libyan.slice(5)}`,
        ARABIC_INDIC,
      );
      return {
        lines: [
          'رحلات إلى إيطاليا من ليبيا',
          `واتساب ${national}`,
          `السعر ${inScript('4500', ARABIC_INDIC)} يورو`,
        ],
        latin: [],
        eastern: [`+218${libyan}`],
        rtl: true,
      };
    }
    case 'fa': {
      const national = inScript(
        `0${iranian.slice(0, 3)} ${iranian.slice(3, 6)} ${iranian.slice(6)}`,
        PERSIAN,
      );
      return {
        lines: ['سفر به اروپا از ترکیه', `تماس: ${national}`, 'ظرفیت محدود است'],
        latin: [],
        eastern: [`+98${iranian}`],
        rtl: true,
      };
    }
    case 'fr':
      return {
        lines: [
          'Traversée vers Lampedusa',
          `WhatsApp +218 ${libyan.slice(0, 2)} ${libyan.slice(2, 5)} ${libyan.slice(5)}`,
          'Départ vendredi, places limitées',
        ],
        latin: [`+218${libyan}`],
        eastern: [],
        rtl: false,
      };
    default:
      return {
        lines: [
          'Safe trip to Italy',
          `Call +39 ${italian.slice(0, 3)} ${italian.slice(3, 6)} ${italian.slice(6)}`,
          `or +218 ${libyan.slice(0, 2)} ${libyan.slice(2, 5)} ${libyan.slice(5)}`,
        ],
        latin: [`+39${italian}`, `+218${libyan}`],
        eastern: [],
        rtl: false,
      };
  }
}

/** Renders `count` ads (languages in turn; backgrounds, sizes, angles and colours varied). */
export async function makeAds(count: number): Promise<GeneratedAd[]> {
  const browser = await chromium.launch({
    executablePath: findChromium(),
    headless: true,
    args: [...OFFLINE_CHROMIUM_SWITCHES],
  });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    const ads: GeneratedAd[] = [];
    const languages = ['ar', 'fa', 'fr', 'en'] as const;
    for (let i = 0; i < count; i++) {
      const rand = random(1000 + i);
      const language = languages[i % languages.length]!;
      const ad = textOf(language, rand);
      const [width, height] = [
        [1080, 1080],
        [800, 600],
        [1200, 675],
        [640, 800],
      ][i % 4] as [number, number];
      const noise = i % 3 === 2;
      const background = noise
        ? await sharp({
            create: {
              width,
              height,
              channels: 3,
              background: '#777777',
              noise: { type: 'gaussian', mean: 110, sigma: 40 },
            },
          })
            .jpeg()
            .toBuffer()
        : await sharp(photoPixels(i, width, height), { raw: { width, height, channels: 3 } })
            .jpeg()
            .toBuffer();
      const fontSize = [34, 44, 56, 40][Math.floor(i / 4) % 4]!;
      const angle = [0, -4, 3, -8, 6, 0][i % 6]!;
      const white = i % 2 === 0;
      const box = white ? 'background: rgba(0,0,0,0.15)' : 'background: rgba(255,255,255,0.85)';
      await page.setViewportSize({ width, height });
      await page.setContent(`<!doctype html><html><body style="margin:0">
        <div id="ad" style="width:${width}px;height:${height}px;position:relative;overflow:hidden;
          background:url(data:image/jpeg;base64,${background.toString('base64')}) center/cover">
          <div dir="${ad.rtl ? 'rtl' : 'ltr'}" style="position:absolute;left:6%;right:6%;top:28%;padding:18px;${box};
            transform:rotate(${angle}deg);font:bold ${fontSize}px 'DejaVu Sans',sans-serif;line-height:1.5;
            color:${white ? '#ffffff' : '#111111'};text-align:center">
            ${ad.lines.map((l) => `<div${/\p{Nd}{3}/u.test(l) ? ' class="number"' : ''}>${l}</div>`).join('')}
          </div>
        </div></body></html>`);
      // Ads keep a number on one line, in a smaller font where the line would not fit, as a designer would.
      // (A string: this project's Node code is type-checked without the DOM's types.)
      await page.evaluate(`for (const line of document.querySelectorAll('.number')) {
        line.style.whiteSpace = 'nowrap';
        let size = parseFloat(getComputedStyle(line).fontSize);
        while (line.scrollWidth > line.clientWidth && size > 12) line.style.fontSize = --size + 'px';
      }`);
      const png = await page.locator('#ad').screenshot({ type: 'png' });
      ads.push({
        name: `ad-${String(i).padStart(3, '0')}-${language}.png`,
        language,
        png,
        latin: ad.latin,
        eastern: ad.eastern,
      });
    }
    return ads;
  } finally {
    await browser.close();
  }
}
