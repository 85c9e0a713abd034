// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import {
  asSentence,
  formatBytes,
  formatTime,
  t,
  utcOffsetLabel,
  windowSentence,
} from '../../renderer/src/i18n/i18n.js';
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

  it("shows a service's message, worded for the command line, as a sentence: a plain first word capitalised, a full stop added", () => {
    expect(windowSentence('tag must be at most 100 characters')).toBe('Tag must be at most 100 characters.');
    expect(windowSentence("don't write here")).toBe("Don't write here.");
    expect(windowSentence('read-only store: nothing written')).toBe('Read-only store: nothing written.');
    // Said again, it changes nothing.
    expect(windowSentence('Tag must be at most 100 characters.')).toBe('Tag must be at most 100 characters.');
  });

  it('never capitalises an identifier, a path, an address or a number that starts a message', () => {
    expect(windowSentence('sha256 of items/a/x.png differs')).toBe('sha256 of items/a/x.png differs.');
    expect(windowSentence('https://tsa.test/ did not answer')).toBe('https://tsa.test/ did not answer.');
    expect(windowSentence('./x is not a bundle')).toBe('./x is not a bundle.');
    expect(windowSentence('3 items were refused')).toBe('3 items were refused.');
    expect(windowSentence('iPhone photos could not be read')).toBe('iPhone photos could not be read.');
    expect(windowSentence('"hourly" is not an interval')).toBe('"hourly" is not an interval.');
  });

  it('leaves a name that starts a message before its colon as it is: a file without extension, a host', () => {
    expect(windowSentence('notes: no such file; check the path')).toBe(
      'notes: no such file; check the path.',
    );
    expect(windowSentence('localhost: connection refused')).toBe('localhost: connection refused.');
  });

  it('adds no full stop after a path, an address or a file name that ends a message: copied, it would name another', () => {
    expect(windowSentence('could not write /tmp/out')).toBe('Could not write /tmp/out');
    expect(windowSentence('no answer from https://tsa.test/tsr')).toBe('No answer from https://tsa.test/tsr');
    expect(windowSentence('cannot read C:\\cases\\x')).toBe('Cannot read C:\\cases\\x');
    expect(windowSentence('already exists: export.wacz')).toBe('Already exists: export.wacz');
    // Said again, it changes nothing.
    expect(windowSentence('Could not write /tmp/out')).toBe('Could not write /tmp/out');
  });

  it('leaves a message in a script without capitals as it is, and ends none twice', () => {
    expect(windowSentence('الملف غير موجود')).toBe('الملف غير موجود.');
    expect(windowSentence('هل القرص متصل؟')).toBe('هل القرص متصل؟');
  });

  it('adds no second full stop to a message that already ends a sentence', () => {
    expect(windowSentence('is the drive connected?')).toBe('Is the drive connected?');
    expect(windowSentence('stop!')).toBe('Stop!');
    expect(windowSentence('the store said "locked."')).toBe('The store said "locked."');
    expect(windowSentence('nothing written (the disk is full.)')).toBe('Nothing written (the disk is full.)');
    // A closing quote or bracket that ends no sentence gets its full stop.
    expect(windowSentence('no such tag "x"')).toBe('No such tag "x".');
  });

  it("gives a message as a sentence's body for the catalogue's own sentence: no full stop", () => {
    expect(asSentence('the store is locked')).toBe('The store is locked');
    expect(t('storeIntegrity.auditFailed', { reason: asSentence('Disk I/O error.') })).toBe(
      'The audit could not run: Disk I/O error.',
    );
  });
});
