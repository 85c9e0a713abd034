import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { brokenLinks, documentationFiles, headingSlug } from '../support/markdown-links.js';
import { makeTempDir, removeTempDir } from '../support/temp-store.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('README.md and docs/', () => {
  it('link only to files and headings inside the repository, or to standards bodies', () => {
    const files = documentationFiles(REPO_ROOT);
    expect(files).toEqual(expect.arrayContaining(['README.md', 'docs/CLI.md', 'docs/BUNDLE-FORMAT.md']));
    expect(brokenLinks(REPO_ROOT, files)).toEqual([]);
  });

  it('send the reader to the contracts in docs/, from the README and the architecture page', () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const architecture = fs.readFileSync(path.join(REPO_ROOT, 'docs/ARCHITECTURE.md'), 'utf8');
    for (const text of [readme, architecture]) {
      expect(text).toMatch(/\]\((docs\/)?CLI\.md\)/);
      expect(text).toMatch(/\]\((docs\/)?BUNDLE-FORMAT\.md\)/);
    }
  });
});

describe('the link check', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) removeTempDir(dir);
    dir = undefined;
  });

  /** A throwaway repository holding these Markdown files; returns what the check finds in `file`. */
  function check(files: Record<string, string>, file = 'README.md') {
    dir = makeTempDir('custos-doc-links-');
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    return brokenLinks(dir, [file]).map((broken) => `${broken.line}: ${broken.target}: ${broken.problem}`);
  }

  it('accepts links to existing files and headings, and to the RFC editor', () => {
    expect(
      check({
        'README.md':
          'See [the CLI](docs/CLI.md#exit-status), [JCS](https://www.rfc-editor.org/rfc/rfc8785) and `docs/CLI.md`.\n',
        'docs/CLI.md': '# The command\n\n## Exit status\n',
      }),
    ).toEqual([]);
  });

  it('finds a link to a missing file, to a missing heading, and a missing file named as code', () => {
    expect(
      check({
        'README.md': '[a](docs/GONE.md)\n\n[b](docs/CLI.md#no-such-heading)\n\nsee `docs/OLD.md`\n',
        'docs/CLI.md': '# The command\n',
      }),
    ).toEqual([
      '1: docs/GONE.md: docs/GONE.md does not exist',
      '3: docs/CLI.md#no-such-heading: docs/CLI.md has no heading for #no-such-heading',
      '5: docs/OLD.md: docs/OLD.md does not exist',
    ]);
  });

  it('refuses links that leave the repository or go to another web host', () => {
    expect(
      check({
        'README.md':
          '[design](../shared/DESIGN.md), `../shared/DESIGN.md`, [site](https://example.com/docs) and <http://example.org/>\n',
      }),
    ).toEqual([
      '1: ../shared/DESIGN.md: points outside the repository',
      '1: ../shared/DESIGN.md: points outside the repository',
      '1: https://example.com/docs: a link to example.com, which is not a standards body; link a file of the repository instead',
      '1: http://example.org/: a link to example.org, which is not a standards body; link a file of the repository instead',
    ]);
  });

  it('ignores brackets inside fenced code, such as JSON arrays', () => {
    expect(check({ 'README.md': '```json\n{ "marks": [[17, 26]] }\n[x](missing.md)\n```\n' })).toEqual([]);
  });

  it('makes anchors as GitHub does: punctuation and code marks dropped, spaces as hyphens', () => {
    expect(headingSlug('Output: stdout, stderr and `--json`')).toBe('output-stdout-stderr-and---json');
    expect(headingSlug('`items/<item-id>/<name>`')).toBe('itemsitem-idname');
    expect(headingSlug('`case create`, `case list`, `case show`')).toBe('case-create-case-list-case-show');
  });
});
