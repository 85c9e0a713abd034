/**
 * File names made from what a person typed (a case number such as `BE/2026/0457`): safe on every
 * system, never a path. Plain data: runs in Node, in Electron and in the browser.
 */

/** A case number as part of a file name: `/`, `\` and other unsafe characters become `-`. */
export function caseFileStem(caseNumber: string): string {
  const stem = caseNumber
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/^[.-]+|[.-]+$/g, '');
  return stem === '' ? 'case' : stem;
}
