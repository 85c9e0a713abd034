import type { Case, Investigator } from '../../../shared/domain.js';

/** The case the screen tests open. */
export const TEST_CASE: Case = {
  id: 'case-1',
  number: 'BE-1',
  title: 'Boats',
  description: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'inv',
};

/** The investigator the screen tests are signed in as. */
export const TEST_PROFILE = { id: 'inv', name: 'Ana', keyFingerprint: 'a'.repeat(64) } as Investigator;
