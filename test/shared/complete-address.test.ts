import { describe, expect, it } from 'vitest';
import { completeAddress } from '../../shared/complete-address.js';

describe('completeAddress', () => {
  it('puts https:// in front of an address typed without its scheme, as a browser does', () => {
    expect(completeAddress('example.com/x')).toBe('https://example.com/x');
    expect(completeAddress('  www.facebook.com/groups/123?ref=share ')).toBe(
      'https://www.facebook.com/groups/123?ref=share',
    );
    expect(completeAddress('example.com:8443/post#c1')).toBe('https://example.com:8443/post#c1');
    expect(completeAddress('t.me/boats_it')).toBe('https://t.me/boats_it');
    expect(completeAddress('//example.org/a')).toBe('https://example.org/a');
    expect(completeAddress('127.0.0.1:8080/ad')).toBe('https://127.0.0.1:8080/ad');
    expect(completeAddress('مثال.مصر/ad')).toBe('https://مثال.مصر/ad');
  });

  it('leaves an address with its scheme as typed', () => {
    expect(completeAddress('http://example.com/x')).toBe('http://example.com/x');
    expect(completeAddress('https://example.com/x')).toBe('https://example.com/x');
  });

  it('leaves what is not an address for the capture service to refuse with its reason', () => {
    expect(completeAddress('not a url')).toBe('not a url');
    expect(completeAddress('javascript:alert(1)')).toBe('javascript:alert(1)');
    expect(completeAddress('file:///etc/passwd')).toBe('file:///etc/passwd');
    expect(completeAddress('boats')).toBe('boats');
    expect(completeAddress('')).toBe('');
  });
});
