import { fileTypeFromBuffer } from 'file-type';
import { decodeUtf32, utf32Order } from '../../../shared/decode-text.js';

/** A media type sniffed from content, with a file extension that suits it. */
export interface SniffedType {
  readonly mediaType: string;
  readonly extension: string | null;
}

/** How many leading bytes are read to sniff a type. */
export const SNIFF_BYTES = 64 * 1024;

/**
 * The media type of a file judged from its first bytes, never from its name: a renamed photo is
 * still a photo. Binary formats come from file-type's signatures; what it does not know is told
 * apart as HTML, other UTF-8 text, or octet-stream.
 */
export async function sniffMediaType(head: Uint8Array): Promise<SniffedType> {
  if (head.byteLength === 0) return { mediaType: 'application/octet-stream', extension: null };
  // before the signatures: a UTF-16LE byte-order mark (FF FE, Notepad's "Unicode") followed by
  // text reads as an MPEG audio frame header to file-type, and a chat log became audio/mpeg; so
  // did UTF-32LE's (FF FE 00 00), checked first
  const unicode = utf32Text(head) ?? utf16Text(head);
  if (unicode) return unicode;
  const detected = await fileTypeFromBuffer(head);
  if (detected) return { mediaType: detected.mime, extension: detected.ext };
  if (!looksLikeText(head)) return { mediaType: 'application/octet-stream', extension: null };
  const start = new TextDecoder('utf-8').decode(head.subarray(0, 1024)).trimStart().toLowerCase();
  if (start.startsWith('<!doctype html') || start.startsWith('<html'))
    return { mediaType: 'text/html', extension: 'html' };
  if (start.startsWith('{') || start.startsWith('[')) {
    if (isJson(head)) return { mediaType: 'application/json', extension: 'json' };
  }
  return { mediaType: 'text/plain', extension: 'txt' };
}

/**
 * Text in UTF-32 with its byte-order mark: the rest of the sample is Unicode scalar values of that
 * order (a unit cut at its end allowed) with no NUL character.
 */
function utf32Text(head: Uint8Array): SniffedType | null {
  const order = utf32Order(head);
  if (!order) return null;
  const units = head.subarray(4, 4 + ((head.byteLength - 4) & ~3));
  try {
    const text = decodeUtf32(units, order === 'le', true);
    return text.includes('\0') ? null : textType(text, `utf-32${order}`);
  } catch {
    return null;
  }
}

/** text/html or text/plain of that charset, by how the decoded text begins. */
function textType(text: string, charset: string): SniffedType {
  const start = text.trimStart().toLowerCase();
  const html = start.startsWith('<!doctype html') || start.startsWith('<html');
  return {
    mediaType: `text/${html ? 'html' : 'plain'}; charset=${charset}`,
    extension: html ? 'html' : 'txt',
  };
}

/**
 * Text in UTF-16 with its byte-order mark: the rest of the sample is valid UTF-16 of that order (a
 * unit or a surrogate pair cut at its end allowed) with no NUL character.
 */
function utf16Text(head: Uint8Array): SniffedType | null {
  const order =
    head[0] === 0xff && head[1] === 0xfe ? 'le' : head[0] === 0xfe && head[1] === 0xff ? 'be' : null;
  if (!order || head.byteLength < 4) return null;
  const units = head.subarray(2, 2 + ((head.byteLength - 2) & ~1));
  const decoder = new TextDecoder(`utf-16${order}`, { fatal: true, ignoreBOM: true });
  for (const trim of [0, 2]) {
    try {
      const text = decoder.decode(units.subarray(0, units.byteLength - trim));
      return text.includes('\0') ? null : textType(text, `utf-16${order}`);
    } catch {
      // a surrogate pair may be cut at the end of the sample: try without its last unit
    }
  }
  return null;
}

/** UTF-8 (a cut multibyte sequence at the end of the sample allowed) with no NUL bytes. */
function looksLikeText(head: Uint8Array): boolean {
  if (head.includes(0)) return false;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let trim = 0; trim < 4 && trim < head.byteLength; trim++) {
    try {
      decoder.decode(head.subarray(0, head.byteLength - trim));
      return true;
    } catch {
      // a multibyte character may be cut at the end of the sample: try a shorter one
    }
  }
  return false;
}

function isJson(head: Uint8Array): boolean {
  try {
    JSON.parse(new TextDecoder().decode(head));
    return true;
  } catch {
    return false;
  }
}
