import fs from 'node:fs';
import path from 'node:path';

/**
 * Hosts a document may link to: the standards bodies whose texts the formats cite (RFC 3161,
 * RFC 8785, RFC 8032). Everything else a reader needs is in the repository itself.
 */
export const ALLOWED_LINK_HOSTS: ReadonlySet<string> = new Set([
  'www.rfc-editor.org',
  'datatracker.ietf.org',
  'www.ietf.org',
  'www.w3.org',
]);

/** A link that does not lead where a reader of the repository can follow it. */
export interface BrokenLink {
  /** The Markdown file, relative to the repository root. */
  readonly file: string;
  readonly line: number;
  readonly target: string;
  readonly problem: string;
}

/** One link target found in a Markdown file. */
interface FoundLink {
  readonly line: number;
  readonly column: number;
  readonly target: string;
  /** A path written as inline code (`docs/X.md`) rather than as a link. */
  readonly mentioned: boolean;
}

/** The lines of a Markdown text outside fenced code blocks, with their 1-based numbers. */
function proseLines(markdown: string): { line: number; text: string }[] {
  const lines: { line: number; text: string }[] = [];
  let fence: string | null = null;
  markdown.split('\n').forEach((text, index) => {
    const fenceMark = /^\s*(```|~~~)/.exec(text)?.[1];
    if (fenceMark) {
      if (fence === null) fence = fenceMark;
      else if (fence === fenceMark) fence = null;
    } else if (fence === null) lines.push({ line: index + 1, text });
  });
  return lines;
}

/**
 * The link targets of a Markdown text: inline links `[text](target)`, images, reference
 * definitions `[id]: target` and autolinks `<https://…>`, plus `.md` paths written as inline code.
 * Fenced code blocks are skipped (their brackets are JSON or shell, not links).
 */
function findLinks(markdown: string): FoundLink[] {
  const links: FoundLink[] = [];
  for (const { line, text } of proseLines(markdown)) {
    const definition = /^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?/.exec(text);
    if (definition?.[1]) links.push({ line, column: 0, target: definition[1], mentioned: false });
    const outsideCode = text.replace(/`[^`]*`/g, (code) => ' '.repeat(code.length));
    const add = (matches: IterableIterator<RegExpMatchArray>, mentioned: boolean) => {
      for (const match of matches)
        if (match[1])
          links.push({ line, column: match.index ?? 0, target: match[1] + (match[2] ?? ''), mentioned });
    };
    add(outsideCode.matchAll(/\]\(\s*<?([^\s)>]+)>?(?:\s+"[^"]*")?\s*\)/g), false);
    add(outsideCode.matchAll(/<((?:https?|ftp|mailto|file):[^\s>]+)>/g), false);
    add(text.matchAll(/`([^`\s]+\.md)(#[^`\s]*)?`/g), true);
  }
  return links.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, each space a hyphen. */
export function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors a Markdown file offers: one per heading (repeats numbered as GitHub does). */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text } of proseLines(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text)?.[1];
    if (heading === undefined) continue;
    const slug = headingSlug(heading.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1'));
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/**
 * Where a relative target leads. A link is relative to its file; a path written as inline code is
 * read as the text means it: from the repository root (`docs/WATCH.md`), else beside the file.
 */
function resolvePath(root: string, file: string, link: FoundLink, target: string): string {
  const besideFile = path.resolve(path.dirname(file), target);
  if (!link.mentioned || target.startsWith('.')) return besideFile;
  const fromRoot = path.resolve(root, target);
  return fs.existsSync(fromRoot) ? fromRoot : besideFile;
}

/** Why a link target cannot be followed from `file` inside `root`, or null when it can. */
function checkTarget(root: string, file: string, link: FoundLink): string | null {
  const { target } = link;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(target)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (scheme !== 'http' && scheme !== 'https')
      return `a ${scheme}: link; only repository files and standards may be linked`;
    const host = new URL(target).hostname;
    return ALLOWED_LINK_HOSTS.has(host)
      ? null
      : `a link to ${host}, which is not a standards body; link a file of the repository instead`;
  }
  if (target.startsWith('//')) return 'a link to another host; link a file of the repository instead';
  const [pathPart = '', anchor] = target.split('#', 2);
  const resolved = pathPart === '' ? file : resolvePath(root, file, link, decodeURIComponent(pathPart));
  const relative = path.relative(root, resolved);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return 'points outside the repository';
  if (!fs.existsSync(resolved)) return `${relative} does not exist`;
  if (anchor !== undefined && anchor !== '' && resolved.endsWith('.md')) {
    if (!anchorsOf(fs.readFileSync(resolved, 'utf8')).has(anchor))
      return `${relative} has no heading for #${anchor}`;
  }
  return null;
}

/**
 * Every link of these Markdown files (paths relative to `root`) that does not resolve to a file
 * of the repository (and, with `#anchor`, to one of its headings), leaves the repository, or goes
 * to a web host other than a standards body.
 */
export function brokenLinks(root: string, files: readonly string[]): BrokenLink[] {
  return files.flatMap((relativeFile) => {
    const file = path.resolve(root, relativeFile);
    return findLinks(fs.readFileSync(file, 'utf8')).flatMap((link) => {
      const problem = checkTarget(root, file, link);
      return problem === null ? [] : [{ file: relativeFile, line: link.line, target: link.target, problem }];
    });
  });
}

/** README.md and every Markdown file under docs/, relative to `root`. */
export function documentationFiles(root: string): string[] {
  const docs = fs
    .readdirSync(path.join(root, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .map((name) => path.join('docs', name));
  return ['README.md', ...docs.sort()];
}
