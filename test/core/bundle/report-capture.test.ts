import { describe, expect, it } from 'vitest';
import { captureRecordRows } from '../../../electron/core/bundle/report-capture.js';

/** The report's "Address shown when captured" row for a record with these three addresses. */
function addressShownRow(requestedUrl: string, finalUrl: string, documentUrl: string): string | undefined {
  const record = { recordType: 'custos.web-capture', requestedUrl, finalUrl, documentUrl, redirectChain: [] };
  return captureRecordRows(record, '').find(([label]) => label === 'Address shown when captured')?.[1];
}

describe('the report on the address a captured page showed', () => {
  it('says a requested fragment (#…) is the reason the shown address differs, not a script', () => {
    const row = addressShownRow(
      'http://127.0.0.1:8701/post/1#photo=2',
      'http://127.0.0.1:8701/post/1',
      'http://127.0.0.1:8701/post/1#photo=2',
    );
    expect(row).toContain('a browser never sends the part after # to the server');
    expect(row).not.toContain('script');
  });

  it("says the browser's own error page (an error answer with no body) is what was shown, not a script's change", () => {
    const row = addressShownRow(
      'http://127.0.0.1:8701/gone',
      'http://127.0.0.1:8701/gone',
      'chrome-error://chromewebdata/',
    );
    expect(row).toContain('own error page, shown in place of the server');
    expect(row).not.toContain('script');
  });

  it('still says a script changed the address when the page moved itself after loading', () => {
    expect(
      addressShownRow('http://127.0.0.1:8701/a', 'http://127.0.0.1:8701/a', 'http://127.0.0.1:8701/b'),
    ).toContain('a script changed it after loading');
    expect(
      addressShownRow('http://127.0.0.1:8701/a', 'http://127.0.0.1:8701/a', 'http://127.0.0.1:8701/a#top'),
    ).toContain('the page added the part after # after loading');
  });

  it('says only the part after # changed, not that a script changed the address, when the final URL kept a requested fragment and the page then showed another', () => {
    const requested = 'http://127.0.0.1:8701/post/1#photo=2';
    // The whole reason, in its parentheses: no "a script changed it".
    expect(addressShownRow(requested, requested, 'http://127.0.0.1:8701/post/1#photo=3')).toContain(
      '(the part after # changed after loading)',
    );
  });

  it('shows no such row when the page showed its final URL', () => {
    expect(
      addressShownRow('http://127.0.0.1:8701/a', 'http://127.0.0.1:8701/a', 'http://127.0.0.1:8701/a'),
    ).toBeUndefined();
  });
});
