/**
 * A value (a folder, say) as one argument of a command someone types in a terminal: as it is when
 * it needs no quoting; else in double quotes, which the POSIX shells, PowerShell and cmd all read
 * alike when it holds none of the characters they treat apart inside them (a backslash, which
 * Windows paths need, stays one in all three unless two come together in a POSIX shell); else in
 * POSIX single quotes, which keep everything.
 */
export function shellArgument(value: string): string {
  if (/^[\w./:@+,=-]+$/.test(value)) return value;
  if (!/["$`!]/.test(value)) return `"${value}"`;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
