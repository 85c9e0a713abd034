/**
 * Arabic-Indic (U+0660–0669) and Eastern Arabic/Persian (U+06F0–06F9) digits, and the Arabic
 * decimal and thousands separators, mapped to ASCII one code unit for one, so that offsets in the
 * mapped text are offsets in the original.
 */
export function asciiDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06F0-\u06F9\u066B\u066C]/g, (c) => {
    const code = c.charCodeAt(0);
    if (code === 0x066b) return '.';
    if (code === 0x066c) return ',';
    return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
  });
}
