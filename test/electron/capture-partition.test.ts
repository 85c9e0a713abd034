import { describe, expect, it } from 'vitest';
import { capturePartition, isCapturableAddress } from '../../electron/main/live/capture-partition.js';

describe('capture views: session partitions and the addresses they may load', () => {
  it('keeps a persona in its own persistent partition, the same one every time', () => {
    expect(capturePartition('fb-undercover-1')).toBe('persist:persona-fb-undercover-1');
    expect(capturePartition('fb-undercover-1')).toBe(capturePartition('fb-undercover-1'));
  });

  it('gives a capture without a persona a fresh in-memory partition each time', () => {
    const first = capturePartition(null);
    expect(first).not.toMatch(/^persist:/);
    expect(capturePartition(null)).not.toBe(first);
  });

  it('refuses a persona name that could reach another partition or folder, saying what is allowed', () => {
    for (const name of ['../other', 'a b', '', 'x'.repeat(65), 'persona:evil']) {
      expect(() => capturePartition(name)).toThrow(/not a valid persona name; use up to 64 letters/);
    }
  });

  it('lets capture views load http and https only', () => {
    expect(isCapturableAddress('https://example.test/post/1')).toBe(true);
    expect(isCapturableAddress('http://127.0.0.1:8080/')).toBe(true);
    for (const address of [
      'file:///etc/passwd',
      'custos-app://app/index.html',
      'data:text/html,<h1>x</h1>',
      'javascript:alert(1)',
      'chrome://settings',
      'ftp://example.test/',
      'not an address',
    ]) {
      expect(isCapturableAddress(address)).toBe(false);
    }
  });
});
