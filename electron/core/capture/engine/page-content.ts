import type { IsolatedWorld } from './isolated-world.js';

/** What the page says about itself: title, description, Open Graph and similar tags. */
export interface PageFacts {
  readonly title: string;
  readonly description: string | null;
  readonly openGraph: Readonly<Record<string, string>>;
  readonly twitter: Readonly<Record<string, string>>;
  readonly canonicalUrl: string | null;
  readonly language: string | null;
  /** The charset the browser decoded the page with (the `text` artifact is UTF-8 whatever this is). */
  readonly characterSet: string;
  readonly contentType: string;
  /** The address in the top frame when captured (a script may have changed it with the History API). */
  readonly documentUrl: string;
}

/** Reads the page's title, description, Open Graph and Twitter tags and a few document facts. */
export function readPageFacts(world: IsolatedWorld): Promise<PageFacts> {
  return world.evaluate<PageFacts>(`(() => {
    const meta = (selector) => { const el = document.querySelector(selector); return el ? el.getAttribute('content') : null; };
    const tags = (prefix) => {
      const found = {};
      for (const el of document.querySelectorAll('meta[property], meta[name]')) {
        const key = (el.getAttribute('property') || el.getAttribute('name') || '').trim();
        if (!key.toLowerCase().startsWith(prefix)) continue;
        const value = el.getAttribute('content');
        if (value === null) continue;
        found[key] = key in found ? found[key] + '\\n' + value : value;
      }
      return found;
    };
    const canonical = document.querySelector('link[rel~="canonical"]');
    return {
      title: document.title,
      description: meta('meta[name="description" i]'),
      openGraph: tags('og:'),
      twitter: tags('twitter:'),
      canonicalUrl: canonical ? canonical.href : null,
      language: document.documentElement.getAttribute('lang'),
      characterSet: document.characterSet,
      contentType: document.contentType,
      documentUrl: location.href,
    };
  })()`);
}

/**
 * The DOM serialised as HTML, as the page's scripts left it (the `html` artifact), with a UTF-8
 * byte order mark: the text is UTF-8 whatever the page declared, and a BOM outranks the page's own
 * `<meta charset>` when a browser opens the file.
 */
export async function serialiseDom(world: IsolatedWorld): Promise<Buffer> {
  const html = await world.evaluate<string>(`(() => {
    const dt = document.doctype;
    const doctype = dt ? '<!DOCTYPE ' + dt.name + (dt.publicId ? ' PUBLIC "' + dt.publicId + '"' : '') + (!dt.publicId && dt.systemId ? ' SYSTEM' : '') + (dt.systemId ? ' "' + dt.systemId + '"' : '') + '>\\n' : '';
    return doctype + (document.documentElement ? document.documentElement.outerHTML : '');
  })()`);
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(html, 'utf8')]);
}

/** The page's visible text as a person reads it (`innerText`), encoded UTF-8. */
export async function visibleText(world: IsolatedWorld): Promise<Buffer> {
  const text = await world.evaluate<string>(
    `(() => { const root = document.body || document.documentElement; return root ? root.innerText : ''; })()`,
  );
  return Buffer.from(text.endsWith('\n') || text === '' ? text : `${text}\n`, 'utf8');
}
