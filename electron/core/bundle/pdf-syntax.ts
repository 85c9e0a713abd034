/**
 * The PDF file syntax (ISO 32000-1, 7.2–7.5) as far as joining Chromium's prints needs it: a tokenizer
 * (literal strings with escapes and nested parentheses, hex strings, names, comments), the objects
 * built from its tokens, an indirect object with its stream body taken raw by its /Length, and the
 * classic cross-reference table with its trailer. It reads a file held in one Buffer and reports
 * where each indirect reference sits, so that a writer can renumber it without re-serialising the
 * object, and where each dictionary entry's value and the dictionary's closing `>>` are, so that
 * it can replace an entry or add one (the join's page numbers). Anything it does not understand is a `PdfSyntaxError`, never a guess.
 */

/** A PDF object as parsed; a dictionary keys its entries by name without the slash. */
export type PdfValue =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'string' }
  | { readonly kind: 'keyword'; readonly word: string }
  | { readonly kind: 'ref'; readonly num: number; readonly gen: number }
  | { readonly kind: 'array'; readonly items: readonly PdfValue[] }
  | {
      readonly kind: 'dict';
      readonly entries: ReadonlyMap<string, PdfValue>;
      /** Where each entry's value is written, bytes [start, end). */
      readonly spans: ReadonlyMap<string, ByteSpan>;
      /** Where its closing `>>` starts (an entry added there is inside the dictionary). */
      readonly closeAt: number;
    };

/** Bytes [start, end) of the file. */
export interface ByteSpan {
  readonly start: number;
  readonly end: number;
}

/** Where an indirect reference (`N G R`) is written in the file, bytes [start, end). */
export interface RefSpan {
  readonly start: number;
  readonly end: number;
  readonly num: number;
  readonly gen: number;
}

/**
 * Where a font's subset tag is written: the six capital letters of `/ABCDEF+Name` given as a
 * /BaseFont or /FontName (9.6.4), bytes [start, end).
 */
export interface SubsetTagSpan {
  readonly start: number;
  readonly end: number;
  readonly tag: string;
}

/** One indirect object: its value, its references, and the bytes of value and stream. */
export interface IndirectObject {
  readonly num: number;
  readonly gen: number;
  readonly value: PdfValue;
  /** The references in the value (a stream's body is not searched: it is data). */
  readonly refs: readonly RefSpan[];
  /** The font subset tags in the value. */
  readonly subsetTags: readonly SubsetTagSpan[];
  /** The object's value in the file: [valueStart, valueEnd). */
  readonly valueStart: number;
  readonly valueEnd: number;
  /** After the value, up to and including `endobj`: ` stream … endstream\nendobj` or `\nendobj`. */
  readonly tailEnd: number;
}

/** The cross-reference table and trailer the file's last `startxref` points to. */
export interface XrefTable {
  /** Byte offset of each object in use, by object number (generation 0 only). */
  readonly offsets: ReadonlyMap<number, number>;
  readonly trailer: ReadonlyMap<string, PdfValue>;
}

/** The file is not PDF this reader understands; the message says what it met. */
export class PdfSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PdfSyntaxError';
  }
}

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);

type Token =
  | { type: 'regular'; text: string; start: number; end: number }
  | { type: 'name' | 'string' | 'hex' | 'punct'; text: string; start: number; end: number };

/** Reads tokens of `buf` from a position, skipping whitespace and comments. */
class Lexer {
  constructor(
    readonly buf: Buffer,
    public pos: number,
  ) {}

  next(): Token {
    const buf = this.buf;
    this.skipSpace();
    const start = this.pos;
    if (start >= buf.length) throw new PdfSyntaxError(`unexpected end of file at byte ${start}`);
    const c = buf[start]!;
    if (c === 0x28) return this.spanning('string', start, this.literalEnd(start));
    if (c === 0x3c && buf[start + 1] === 0x3c) return this.punct('<<', start);
    if (c === 0x3e && buf[start + 1] === 0x3e) return this.punct('>>', start);
    if (c === 0x3c) {
      const close = buf.indexOf(0x3e, start);
      if (close < 0) throw new PdfSyntaxError(`unterminated hex string at byte ${start}`);
      for (let i = start + 1; i < close; i++)
        if (!WHITESPACE.has(buf[i]!) && !isHexDigit(buf[i]!))
          throw new PdfSyntaxError(`a hex string holds a byte that is not a hex digit at byte ${i}`);
      return this.spanning('hex', start, close + 1);
    }
    if (c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d)
      return this.punct(String.fromCharCode(c), start);
    if (c === 0x29 || c === 0x3e)
      throw new PdfSyntaxError(`unexpected "${String.fromCharCode(c)}" at byte ${start}`);
    let end = start + 1;
    while (end < buf.length && !WHITESPACE.has(buf[end]!) && !DELIMITERS.has(buf[end]!)) end++;
    this.pos = end;
    if (c === 0x2f)
      return { type: 'name', text: decodeName(buf.toString('latin1', start + 1, end)), start, end };
    return { type: 'regular', text: buf.toString('latin1', start, end), start, end };
  }

  /** Skips whitespace and `%` comments (a comment runs to the end of its line). */
  skipSpace(): void {
    const buf = this.buf;
    for (;;) {
      while (this.pos < buf.length && WHITESPACE.has(buf[this.pos]!)) this.pos++;
      if (buf[this.pos] !== 0x25) return;
      while (this.pos < buf.length && buf[this.pos] !== 0x0a && buf[this.pos] !== 0x0d) this.pos++;
    }
  }

  /** A string token over [start, end), its bytes not kept (the writer copies them from the file). */
  private spanning(type: 'string' | 'hex', start: number, end: number): Token {
    this.pos = end;
    return { type, text: '', start, end };
  }

  private punct(text: string, start: number): Token {
    this.pos = start + text.length;
    return { type: 'punct', text, start, end: this.pos };
  }

  /** The end of the literal string opening at `start`: balanced parentheses, `\` escaping the next byte. */
  private literalEnd(start: number): number {
    const buf = this.buf;
    let depth = 0;
    for (let i = start; i < buf.length; i++) {
      const c = buf[i]!;
      if (c === 0x5c) i++;
      else if (c === 0x28) depth++;
      else if (c === 0x29 && --depth === 0) return i + 1;
    }
    throw new PdfSyntaxError(`unterminated literal string at byte ${start}`);
  }
}

function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** A name's `#xx` escapes decoded (7.3.5), so `/Type` and `/T#79pe` are one key. */
function decodeName(raw: string): string {
  return raw.includes('#')
    ? raw.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    : raw;
}

const INTEGER = /^[+-]?\d+$/;
/** A font name with a subset tag: six capital letters and a plus sign (9.6.4). */
const SUBSET_TAG = /^[A-Z]{6}\+/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/** Parses objects from tokens, collecting where each reference is written. */
class Parser {
  readonly refs: RefSpan[] = [];
  readonly subsetTags: SubsetTagSpan[] = [];
  private readonly lexer: Lexer;
  private peeked: Token[] = [];
  /** The end of the last token taken. */
  private lastEnd = 0;

  constructor(buf: Buffer, pos: number) {
    this.lexer = new Lexer(buf, pos);
  }

  /** The position after the last token taken (peeked tokens not counted). */
  get pos(): number {
    return this.peeked[0]?.start ?? this.lexer.pos;
  }

  take(): Token {
    const token = this.peeked.shift() ?? this.lexer.next();
    this.lastEnd = token.end;
    return token;
  }

  peek(n = 0): Token {
    while (this.peeked.length <= n) this.peeked.push(this.lexer.next());
    return this.peeked[n]!;
  }

  /** Takes a keyword, or says what was there instead. */
  expect(word: string): Token {
    const token = this.take();
    if (token.type !== 'regular' || token.text !== word)
      throw new PdfSyntaxError(
        `expected "${word}" at byte ${token.start}, found "${token.text || token.type}"`,
      );
    return token;
  }

  value(): PdfValue {
    const token = this.take();
    switch (token.type) {
      case 'name':
        return { kind: 'name', name: token.text };
      case 'string':
      case 'hex':
        return { kind: 'string' };
      case 'punct':
        if (token.text === '[') return this.array();
        if (token.text === '<<') return this.dict();
        throw new PdfSyntaxError(`unexpected "${token.text}" at byte ${token.start}`);
      case 'regular':
        return this.regular(token);
    }
  }

  private regular(token: Token): PdfValue {
    if (INTEGER.test(token.text)) {
      const gen = this.peek(0);
      const r = gen.type === 'regular' && INTEGER.test(gen.text) ? this.peek(1) : null;
      if (r && r.type === 'regular' && r.text === 'R') {
        this.take();
        this.take();
        const ref = { num: Number(token.text), gen: Number(gen.text) };
        this.refs.push({ ...ref, start: token.start, end: r.end });
        return { kind: 'ref', ...ref };
      }
      return { kind: 'number', value: Number(token.text) };
    }
    if (NUMBER.test(token.text)) return { kind: 'number', value: Number(token.text) };
    if (token.text === 'true' || token.text === 'false' || token.text === 'null')
      return { kind: 'keyword', word: token.text };
    throw new PdfSyntaxError(`unexpected "${token.text}" at byte ${token.start}`);
  }

  /** Records a font name's subset tag, when the name is written as one (`/ABCDEF+…`, no escapes). */
  private noteSubsetTag(token: Token): void {
    if (token.type !== 'name' || !SUBSET_TAG.test(token.text)) return;
    const raw = this.lexer.buf.toString('latin1', token.start + 1, token.start + 8);
    if (raw !== token.text.slice(0, 7)) return;
    this.subsetTags.push({ start: token.start + 1, end: token.start + 7, tag: token.text.slice(0, 6) });
  }

  private array(): PdfValue {
    const items: PdfValue[] = [];
    while (!(this.peek().type === 'punct' && this.peek().text === ']')) items.push(this.value());
    this.take();
    return { kind: 'array', items };
  }

  private dict(): PdfValue {
    const entries = new Map<string, PdfValue>();
    const spans = new Map<string, ByteSpan>();
    for (;;) {
      const key = this.take();
      if (key.type === 'punct' && key.text === '>>')
        return { kind: 'dict', entries, spans, closeAt: key.start };
      if (key.type !== 'name')
        throw new PdfSyntaxError(`a dictionary key is not a name at byte ${key.start}`);
      if (key.text === 'BaseFont' || key.text === 'FontName') this.noteSubsetTag(this.peek());
      const start = this.peek().start;
      entries.set(key.text, this.value());
      spans.set(key.text, { start, end: this.lastEnd });
    }
  }
}

/** An integer token's value, or the error naming what was expected. */
function integer(token: Token, what: string): number {
  if (token.type !== 'regular' || !INTEGER.test(token.text))
    throw new PdfSyntaxError(`expected ${what} at byte ${token.start}, found "${token.text || token.type}"`);
  return Number(token.text);
}

/**
 * The indirect object at `offset` (`N G obj … endobj`). A stream's body is taken as `length`
 * bytes after the `stream` line (the /Length, resolved by the caller when it is a reference).
 */
export function readIndirectObject(
  buf: Buffer,
  offset: number,
  streamLength: (value: PdfValue) => number,
): IndirectObject {
  const parser = new Parser(buf, offset);
  const num = integer(parser.take(), 'an object number');
  const gen = integer(parser.take(), 'a generation number');
  parser.expect('obj');
  const valueStart = parser.peek().start;
  const value = parser.value();
  const valueEnd = parser.pos;
  const after = parser.take();
  const object = (tailEnd: number): IndirectObject => ({
    num,
    gen,
    value,
    refs: parser.refs,
    subsetTags: parser.subsetTags,
    valueStart,
    valueEnd,
    tailEnd,
  });
  if (after.type === 'regular' && after.text === 'endobj') return object(after.end);
  if (after.type !== 'regular' || after.text !== 'stream')
    throw new PdfSyntaxError(`object ${num}: expected "endobj" or "stream" at byte ${after.start}`);
  if (value.kind !== 'dict') throw new PdfSyntaxError(`object ${num}: a stream without a dictionary`);
  const length = value.entries.get('Length');
  if (!length) throw new PdfSyntaxError(`object ${num}: a stream without /Length`);
  // The keyword is followed by CRLF or LF (7.3.8.1), then exactly /Length bytes of data.
  let dataStart = after.end;
  if (buf[dataStart] === 0x0d && buf[dataStart + 1] === 0x0a) dataStart += 2;
  else if (buf[dataStart] === 0x0a) dataStart += 1;
  else throw new PdfSyntaxError(`object ${num}: "stream" is not followed by an end of line`);
  const dataEnd = dataStart + streamLength(length);
  const closing = new Parser(buf, dataEnd);
  closing.expect('endstream');
  return object(closing.expect('endobj').end);
}

/** The cross-reference table the last `startxref` points to, and its trailer. */
export function readXrefTable(buf: Buffer): XrefTable {
  const tail = buf.subarray(Math.max(0, buf.length - 1024));
  const at = tail.lastIndexOf('startxref');
  if (at < 0) throw new PdfSyntaxError('no "startxref" at the end of the file');
  const start = new Parser(buf, buf.length - tail.length + at);
  start.expect('startxref');
  const xrefOffset = integer(start.take(), 'the offset of the cross-reference table');
  const parser = new Parser(buf, xrefOffset);
  const first = parser.peek();
  if (first.type === 'regular' && INTEGER.test(first.text))
    throw new PdfSyntaxError('its cross-reference is a stream (PDF 1.5 and later), not a classic table');
  parser.expect('xref');
  const offsets = new Map<number, number>();
  while (parser.peek().type === 'regular' && parser.peek().text !== 'trailer') {
    const firstNum = integer(parser.take(), 'the first object number of a cross-reference section');
    const count = integer(parser.take(), 'the entry count of a cross-reference section');
    for (let i = 0; i < count; i++) {
      const offset = integer(parser.take(), 'an object offset');
      const gen = integer(parser.take(), 'a generation number');
      const type = parser.take();
      if (type.text === 'f') continue;
      if (type.text !== 'n') throw new PdfSyntaxError(`a cross-reference entry of type "${type.text}"`);
      if (gen !== 0) throw new PdfSyntaxError(`object ${firstNum + i} has generation ${gen}, not 0`);
      offsets.set(firstNum + i, offset);
    }
  }
  parser.expect('trailer');
  const trailer = parser.value();
  if (trailer.kind !== 'dict') throw new PdfSyntaxError('the trailer is not a dictionary');
  return { offsets, trailer: trailer.entries };
}
