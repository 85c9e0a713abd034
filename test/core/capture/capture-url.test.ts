import { describe, expect, it } from 'vitest';
import { parseCaptureUrl } from '../../../electron/core/capture/capture-url.js';
import { CustosError } from '../../../electron/core/errors.js';

function refusal(input: string): CustosError {
  try {
    parseCaptureUrl(input);
  } catch (error) {
    if (error instanceof CustosError) return error;
    throw error;
  }
  throw new Error(`${input} was accepted`);
}

describe('parseCaptureUrl', () => {
  it('accepts http and https addresses as they are', () => {
    expect(parseCaptureUrl('https://social.example/post/8812?ref=share#c3').href).toBe(
      'https://social.example/post/8812?ref=share#c3',
    );
    expect(parseCaptureUrl('  http://127.0.0.1:8080/ ').href).toBe('http://127.0.0.1:8080/');
  });

  it('refuses addresses that would run code or open local or browser pages, as bad input', () => {
    for (const input of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'data:text/html,<b>x</b>',
      'chrome://settings',
      'about:blank',
      'ftp://host/file',
      'blob:https://a.example/1',
    ]) {
      const error = refusal(input);
      expect(error.kind, input).toBe('bad-input');
      expect(error.message, input).toContain('only http:// and https:// pages can be captured');
    }
    expect(refusal('ftp://host/file').message).toContain('is an address of the ftp: scheme;');
  });

  it('refuses malformed addresses and suggests the scheme when it is missing', () => {
    expect(refusal('not a url').message).toContain('is not a valid URL');
    expect(refusal('social.example/post/1').message).toContain('did you mean https://social.example/post/1?');
    expect(refusal('').message).toContain('an empty URL');
    expect(refusal('http://').kind).toBe('bad-input');
  });

  it('refuses credentials in the address and points to personas instead', () => {
    expect(refusal('https://agent:secret@social.example/').message).toContain('custos persona open');
  });
});
