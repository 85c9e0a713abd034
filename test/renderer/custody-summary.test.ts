// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { actionLabel, entrySummary } from '../../renderer/src/components/custody.js';
import type { LedgerEntry } from '../../shared/domain.js';

const entry = (action: string, details: Record<string, unknown>): LedgerEntry =>
  ({
    seq: 9,
    time: '2026-06-03T10:00:00.000Z',
    timeZone: 'UTC',
    actor: { investigatorId: 'i1', keyFingerprint: 'f' },
    action,
    caseId: 'c1',
    subject: 'w1',
    details,
    prevHash: '0',
    hash: '1',
    signature: 's',
  }) as LedgerEntry;

describe('custody log rows', () => {
  it('a watch started shows its address and interval, not an empty detail', () => {
    const started = entry('watch.add', {
      url: 'https://x.test/p/1',
      intervalSeconds: 3600,
      every: 'every hour',
    });
    expect(actionLabel(started.action)).toBe('Watch started');
    expect(entrySummary(started)).toBe('https://x.test/p/1 (every hour)');
  });

  it('a watch check shows the state it found, its change, and why', () => {
    const check = entry('watch.check', {
      url: 'https://x.test/p/1',
      state: 'removed',
      previousState: 'live',
      reasons: ['HTTP status 404'],
    });
    expect(actionLabel(check.action)).toBe('Watched page checked');
    expect(entrySummary(check)).toBe('live → removed: HTTP status 404');
  });

  it('a number confirmed from a picture shows it as written, as read and as confirmed; a selector its value and label', () => {
    const confirmed = entry('entity.confirm', {
      type: 'phone',
      read: '+989123456780',
      original: '۰۹۱۲۳۴۵۶۷۸۰',
      value: '+989123456789',
    });
    expect(actionLabel(confirmed.action)).toBe('Number read in a picture confirmed');
    expect(entrySummary(confirmed)).toBe('۰۹۱۲۳۴۵۶۷۸۰ (read +989123456780) → +989123456789');
    const dismissed = entry('entity.dismiss', { read: '+989123456780', original: '۰۹۱۲۳۴۵۶۷۸۰' });
    expect(entrySummary(dismissed)).toBe('۰۹۱۲۳۴۵۶۷۸۰ (read +989123456780)');
    expect(entrySummary(entry('selector.add', { value: '+218912345678', label: 'broker' }))).toBe(
      '+218912345678 (broker)',
    );
  });
});
