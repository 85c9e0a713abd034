// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { formatBytes, formatTime, t, utcOffsetLabel } from '../../renderer/src/i18n/i18n.js';
import { en } from '../../renderer/src/i18n/messages-en.js';

describe('i18n', () => {
  it('fills placeholders and picks the plural form from the count', () => {
    expect(t('evidence.count', { count: 1 })).toBe('1 item');
    expect(t('evidence.count', { count: 100_000 })).toBe('100,000 items');
    expect(t('import.dropHere', { number: 'BE-1' })).toBe('Drop files to import them into case BE-1');
  });

  it('leaves an unknown placeholder visible rather than printing "undefined"', () => {
    expect(t('import.dropHere')).toBe('Drop files to import them into case {number}');
  });

  it('has no empty message in the English catalogue', () => {
    for (const [key, message] of Object.entries(en)) {
      const forms = typeof message === 'string' ? [message] : Object.values(message);
      for (const form of forms) expect(form.trim(), key).not.toBe('');
    }
  });

  it('shows sizes as people read them', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1_400_000)).toBe('1.4 MB');
    expect(formatBytes(318_000)).toBe('318 KB');
  });

  it('shows times unambiguously with their offset from UTC', () => {
    const shown = formatTime('2026-03-14T09:26:53.123Z');
    expect(shown).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC[+-]\d{2}:\d{2}$/);
    expect(shown.endsWith(utcOffsetLabel(new Date('2026-03-14T09:26:53.123Z')))).toBe(true);
    expect(formatTime('not a time')).toBe('not a time');
  });
});
