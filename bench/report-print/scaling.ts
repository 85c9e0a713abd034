/**
 * How Chromium's print of a many-page document scales, on synthetic documents of N one-line pages
 * (each section starting a page, as each item of report.html does), with the report's own `@page`
 * rule and with variants of it: whether the cost per page grows with N, and whether CSS containment
 * on each section or dropping the margin boxes changes that.
 *
 *   node --import tsx bench/report-print/scaling.ts [N …]    (default 1000 2000 4000)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pageStyle } from '../../electron/core/bundle/pdf-page-template.js';
import { makeBenchDir, removeBenchDir } from '../support/bench-kit.js';
import { costLine, MeasuredPrinter } from './chromium-print.js';

const SIZES = process.argv.slice(2).map(Number);
const FOOTER = `Evidence SHA-256 ${'9b49b003a4de9e03'.repeat(4)}`;

/** Each variant: the `@page` rule and the style of every page's section. */
const VARIANTS: Readonly<Record<string, { page: string; section: string }>> = {
  'as report.html': { page: pageStyle({ footerNote: FOOTER }), section: '' },
  'no margin boxes': { page: pageStyle().replace(/@bottom-right \{[^}]*\}/, ''), section: '' },
  'contain: content': { page: pageStyle({ footerNote: FOOTER }), section: 'contain: content;' },
  'contain: layout paint': { page: pageStyle({ footerNote: FOOTER }), section: 'contain: layout paint;' },
  'isolation: isolate': { page: pageStyle({ footerNote: FOOTER }), section: 'isolation: isolate;' },
  'break-inside: avoid': { page: pageStyle({ footerNote: FOOTER }), section: 'break-inside: avoid;' },
  'fixed height, contain: strict': {
    page: pageStyle({ footerNote: FOOTER }),
    section: 'height: 250mm; overflow: hidden; contain: strict;',
  },
};

function documentOf(pages: number, variant: { page: string; section: string }): string {
  const body = Array.from({ length: pages }, (_, i) => `<section><p>Body of page ${i + 1}</p></section>`);
  return `<!doctype html><html><head><meta charset="utf-8"><style>${variant.page}
section { break-before: page; ${variant.section} }</style></head><body>${body.join('\n')}</body></html>`;
}

const dir = makeBenchDir('report-print-scaling');
try {
  console.log(
    `load average ${os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
  for (const [name, variant] of Object.entries(VARIANTS)) {
    for (const pages of SIZES.length ? SIZES : [1000, 2000, 4000]) {
      const html = path.join(dir, 'doc.html');
      fs.writeFileSync(html, documentOf(pages, variant));
      // A fresh browser each time: one renderer's memory does not carry into the next figure.
      const printer = await MeasuredPrinter.open(path.join(dir, `profile-${pages}-${name.length}`));
      try {
        const cost = await printer.print(html, path.join(dir, 'doc.pdf'));
        console.log(`${name.padEnd(30)} ${String(pages).padStart(6)} pages: ${costLine(cost)}`);
      } finally {
        await printer.close();
      }
    }
  }
  console.log(
    `load average ${os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
} finally {
  removeBenchDir(dir);
}
