/** A key fingerprint as people read it aloud or compare it on paper: hex in groups of four. */
export function groupedFingerprint(fingerprint: string): string {
  return fingerprint.replace(/(.{4})(?=.)/g, '$1 ');
}
