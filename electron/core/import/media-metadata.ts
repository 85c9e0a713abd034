/**
 * Photo metadata (EXIF, GPS, XMP, IPTC) read at import, for the item's capture record. It
 * describes the original as received (it becomes part of the signed digest); the original file
 * itself is never touched. Values are kept as the file writes them: a date stays the string the
 * camera wrote, with its offset beside it, never converted to another time zone.
 */
import { createRequire } from 'node:module';
import type { MediaMetadata } from '../../../shared/media.js';
import { TOOL_VERSION } from '../../../shared/version.js';

export type { MediaMetadata };

const requireFromHere = createRequire(import.meta.url);

/** Media types whose metadata is read (what exifr parses, and WebP through sharp). */
const READABLE = /^image\/(jpeg|png|heic|heif|avif|tiff|webp)$/;

/** The raw tag set kept in the record is cut at this many bytes of JSON (a hostile file may hold megabytes). */
export const MAX_RAW_TAG_BYTES = 32 * 1024;
/** A single value (a string, or the items of an array) is cut at this many characters. */
const MAX_VALUE_CHARS = 1024;
/** At most this many entries of the XMP history are listed. */
const MAX_HISTORY = 50;

/** What an import records about a photo's metadata: the fields, and a note when some could not be read. */
export interface MediaMetadataResult {
  readonly media?: MediaMetadata;
  readonly note?: string;
}

type Parsed = Record<string, unknown> | undefined;
type Exifr = {
  parse(input: string | Buffer, options: Record<string, unknown>): Promise<Parsed>;
  sidecar(input: Buffer, options: Record<string, unknown>, type: 'xmp'): Promise<Parsed>;
};
let exifr: Exifr | undefined;

/**
 * Reads the metadata of an image file (the stored blob), or null when the media type carries
 * none that is read here or the file has no metadata at all. A file whose metadata cannot be
 * parsed gives a note: the import goes on, and the record says why it has no metadata.
 */
export async function readMediaMetadata(
  file: string,
  mediaType: string,
): Promise<MediaMetadataResult | null> {
  if (!READABLE.test(mediaType)) return null;
  exifr ??= requireFromHere('exifr') as Exifr;
  let parsed: Record<string, unknown> | undefined;
  try {
    parsed = await (mediaType === 'image/webp' ? parseWebp : exifr.parse)(file, {
      tiff: true,
      ifd0: true,
      exif: true,
      gps: true,
      xmp: true,
      iptc: true,
      ihdr: true,
      ifd1: false,
      interop: false,
      icc: false,
      jfif: false,
      makerNote: false,
      userComment: false,
      mergeOutput: false,
      // Keep numbers and dates as written: no translation to words, no Date objects in local time.
      translateValues: false,
      reviveValues: false,
      multiSegment: true,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { note: unreadable(reason) };
  }
  if (!parsed) return null;
  // exifr reports a damaged segment in `errors` and goes on with the others.
  const { errors, ...segments } = parsed;
  const reasons = Array.isArray(errors)
    ? errors.map((e) => (e instanceof Error && e.message ? e.message : 'a damaged segment'))
    : [];
  const note = reasons.length ? unreadable(reasons.join('; ')) : undefined;
  if (Object.keys(segments).length === 0) return note ? { note } : null;
  return note ? { media: describe(segments), note } : { media: describe(segments) };
}

/**
 * WebP, which exifr does not read: sharp (libwebp) hands over the file's EXIF and XMP chunks as
 * they are, and exifr parses those (the EXIF as the TIFF structure it is, the XMP as a sidecar).
 */
async function parseWebp(file: string, options: Record<string, unknown>): Promise<Parsed> {
  const { default: sharp } = await import('sharp');
  const { exif, xmp } = await sharp(file).metadata();
  const reader = exifr as Exifr;
  const tiff = exif && exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? exif.subarray(6) : exif;
  const fromExif = tiff ? await reader.parse(tiff, options) : undefined;
  const fromXmp = xmp ? await reader.sidecar(xmp, options, 'xmp') : undefined;
  if (!fromExif && !fromXmp) return undefined;
  const errors = [fromExif?.errors, fromXmp?.errors].flatMap((e) => (Array.isArray(e) ? e : []));
  return { ...fromXmp, ...fromExif, ...(errors.length ? { errors } : {}) };
}

function unreadable(reason: string): string {
  return `some or all of the photo's metadata could not be read (${reason.replace(/\s+/g, ' ').slice(0, 500)}); the file was imported unchanged`;
}

function describe(parsed: Record<string, unknown>): MediaMetadata {
  const segment = (name: string): Record<string, unknown> => {
    const value = parsed[name];
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  };
  const ifd0 = segment('ifd0');
  const exif = segment('exif');
  const gps = segment('gps');
  const xmp = segment('xmp');
  const xmpMM = segment('xmpMM');
  const iptc = segment('iptc');
  const ihdr = segment('ihdr');
  const any = (key: string, ...from: Record<string, unknown>[]) => {
    for (const s of from) if (s[key] !== undefined && s[key] !== null) return s[key];
    return undefined;
  };

  const camera = compact({
    make: text(any('Make', ifd0, xmp)),
    model: text(any('Model', ifd0, xmp)),
    lens: text(any('LensModel', exif, xmp)),
    serial: text(any('BodySerialNumber', exif) ?? any('SerialNumber', exif, xmp)),
  });
  const gpsFields = compact({
    latitude: finite(gps.latitude),
    longitude: finite(gps.longitude),
    altitude: altitude(gps.GPSAltitude, gps.GPSAltitudeRef),
    time: gpsTime(gps.GPSDateStamp, gps.GPSTimeStamp),
  });
  const xmpFields = compact({
    creatorTool: text(xmp.CreatorTool),
    history: xmpHistory(xmpMM.History),
  });
  const iptcFields = compact(
    Object.fromEntries(
      [
        'Byline',
        'Credit',
        'Caption',
        'Headline',
        'Keywords',
        'City',
        'State',
        'Country',
        'Source',
        'ObjectName',
      ]
        .map((key) => [key[0]!.toLowerCase() + key.slice(1), textOrList(iptc[key])] as const)
        .filter(([, value]) => value !== undefined),
    ),
  );
  const { tags, rawTruncated } = boundedTags(parsed);
  return compact({
    reader: `exifr, read by Custos ${TOOL_VERSION}`,
    camera: nonEmpty(camera),
    software: text(ifd0.Software ?? xmp.CreatorTool),
    dateTimeOriginal: text(exif.DateTimeOriginal ?? xmp.DateTimeOriginal),
    offsetTimeOriginal: text(exif.OffsetTimeOriginal),
    createDate: text(exif.CreateDate ?? xmp.CreateDate),
    modifyDate: text(ifd0.ModifyDate ?? xmp.ModifyDate),
    gps: nonEmpty(gpsFields),
    orientation: finite(ifd0.Orientation),
    width: finite(any('ExifImageWidth', exif) ?? any('ImageWidth', ihdr, ifd0)),
    height: finite(any('ExifImageHeight', exif) ?? any('ImageHeight', ihdr, ifd0)),
    xmp: nonEmpty(xmpFields),
    iptc: nonEmpty(iptcFields),
    tags,
    rawTruncated,
  }) as unknown as MediaMetadata;
}

/**
 * The raw tags, each segment's values made JSON-safe (bytes become their length, long strings are
 * cut), and the whole cut at MAX_RAW_TAG_BYTES of JSON: tags past the limit are left out and
 * `rawTruncated` says how many. The record is signed, so it must stay small whatever the file holds.
 */
function boundedTags(parsed: Record<string, unknown>): {
  tags: Record<string, Record<string, unknown>>;
  rawTruncated?: string;
} {
  const tags: Record<string, Record<string, unknown>> = {};
  let bytes = 2;
  let kept = 0;
  let dropped = 0;
  let cut = 0;
  for (const [segmentName, segment] of Object.entries(parsed)) {
    if (segment === null || typeof segment !== 'object' || Array.isArray(segment)) continue;
    for (const [key, value] of Object.entries(segment as Record<string, unknown>)) {
      const safe = jsonSafe(value, 0);
      if (safe.cut) cut++;
      // The key, the value, a colon and a comma; a segment's first tag also opens the segment.
      const opening = tags[segmentName] ? 0 : JSON.stringify(segmentName).length + 3;
      const size = opening + JSON.stringify(key).length + JSON.stringify(safe.value ?? null).length + 2;
      if (bytes + size > MAX_RAW_TAG_BYTES) {
        dropped++;
        continue;
      }
      bytes += size;
      kept++;
      tags[segmentName] ??= {};
      tags[segmentName][key] = safe.value ?? null;
    }
  }
  const notes: string[] = [];
  if (dropped > 0) {
    notes.push(
      `${dropped} of ${kept + dropped} tags were left out to keep this record under ${MAX_RAW_TAG_BYTES / 1024} KiB`,
    );
  }
  if (cut > 0) notes.push(`${cut} long values were cut to ${MAX_VALUE_CHARS} characters or items`);
  return notes.length
    ? { tags, rawTruncated: `${notes.join('; ')}; the original file, kept unchanged, holds them all` }
    : { tags };
}

/** A value the canonical JSON of the record can hold: no bytes, no undefined, no non-finite numbers. */
function jsonSafe(value: unknown, depth: number): { value: unknown; cut: boolean } {
  if (value === null || value === undefined) return { value: null, cut: false };
  if (typeof value === 'string') {
    return value.length > MAX_VALUE_CHARS
      ? { value: `${value.slice(0, MAX_VALUE_CHARS)}…`, cut: true }
      : { value, cut: false };
  }
  if (typeof value === 'number') return { value: Number.isFinite(value) ? value : String(value), cut: false };
  if (typeof value === 'boolean') return { value, cut: false };
  if (typeof value === 'bigint') return { value: value.toString(), cut: false };
  if (value instanceof Uint8Array) return { value: `(${value.byteLength} bytes)`, cut: false };
  if (depth >= 4) return { value: '(nested too deep)', cut: true };
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_VALUE_CHARS).map((v) => jsonSafe(v, depth + 1));
    return {
      value: items.map((i) => i.value),
      cut: value.length > MAX_VALUE_CHARS || items.some((i) => i.cut),
    };
  }
  if (typeof value === 'object') {
    let cut = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>).slice(0, MAX_VALUE_CHARS)) {
      const safe = jsonSafe(v, depth + 1);
      cut ||= safe.cut;
      out[k] = safe.value;
    }
    return { value: out, cut };
  }
  return { value: String(value), cut: false };
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const trimmed = value.replace(/\0+$/, '').trim();
    return trimmed ? trimmed.slice(0, MAX_VALUE_CHARS) : undefined;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  // XMP language alternatives come as {lang: value}; take the default.
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const alt = value as Record<string, unknown>;
    return text(alt['x-default'] ?? alt.value ?? Object.values(alt)[0]);
  }
  return undefined;
}

function textOrList(value: unknown): string | string[] | undefined {
  if (Array.isArray(value)) {
    const list = value
      .map(text)
      .filter((v): v is string => v !== undefined)
      .slice(0, 100);
    return list.length ? list : undefined;
  }
  return text(value);
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function altitude(value: unknown, ref: unknown): number | undefined {
  const metres = finite(value);
  if (metres === undefined) return undefined;
  // GPSAltitudeRef 1 means below sea level.
  const below = ref === 1 || (ref instanceof Uint8Array && ref[0] === 1);
  return below ? -metres : metres;
}

function gpsTime(date: unknown, time: unknown): string | undefined {
  const day = text(date);
  let clock: string | undefined;
  if (Array.isArray(time) && time.length === 3 && time.every((n) => typeof n === 'number')) {
    const [h, m, s] = time as number[];
    clock = `${pad(h!)}:${pad(m!)}:${s! < 10 ? '0' : ''}${s}`;
  } else {
    clock = text(time);
  }
  if (!day && !clock) return undefined;
  return [day, clock].filter(Boolean).join(' ') + (clock ? ' UTC' : '');
}

function pad(n: number): string {
  return String(Math.trunc(n)).padStart(2, '0');
}

function xmpHistory(value: unknown): Record<string, string>[] | undefined {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  const events = list
    .slice(0, MAX_HISTORY)
    .map((event) => {
      if (event === null || typeof event !== 'object') return undefined;
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(event as Record<string, unknown>)) {
        const s = text(v);
        if (s !== undefined) out[k] = s;
      }
      return Object.keys(out).length ? out : undefined;
    })
    .filter((e): e is Record<string, string> => e !== undefined);
  return events.length ? events : undefined;
}

function compact<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}

function nonEmpty<T extends Record<string, unknown>>(object: T): T | undefined {
  return Object.keys(object).length ? object : undefined;
}

/**
 * The investigator's fields of a photo's metadata as label and value pairs, in reading order (for
 * `custos item show` and the bundle report). GPS is shown as coordinates only: nothing is looked up.
 */
export function describeMedia(media: MediaMetadata): [string, string][] {
  const lines: [string, string | undefined][] = [
    ['camera', [media.camera?.make, media.camera?.model].filter(Boolean).join(' ') || undefined],
    ['lens', media.camera?.lens],
    ['serial number', media.camera?.serial],
    ['software', media.software],
    [
      'taken (camera clock)',
      media.dateTimeOriginal &&
        `${media.dateTimeOriginal}${media.offsetTimeOriginal ? ` (offset ${media.offsetTimeOriginal})` : ' (no offset written)'}`,
    ],
    ['created', media.createDate],
    ['modified', media.modifyDate],
    ['GPS position', formatPosition(media.gps)],
    ['GPS altitude', media.gps?.altitude === undefined ? undefined : `${media.gps.altitude} m`],
    ['GPS time', media.gps?.time],
    ['orientation', media.orientation === undefined ? undefined : String(media.orientation)],
    ['dimensions', media.width && media.height ? `${media.width} × ${media.height}` : undefined],
    ['creator tool (XMP)', media.xmp?.creatorTool],
    [
      'history (XMP)',
      media.xmp?.history
        ?.map((e) => [e.when, e.action, e.softwareAgent].filter(Boolean).join(' '))
        .join('; '),
    ],
    ...Object.entries(media.iptc ?? {}).map(
      ([key, value]) =>
        [`${key} (IPTC)`, Array.isArray(value) ? value.join(', ') : String(value)] as [string, string],
    ),
    ['limits', media.rawTruncated],
  ];
  return lines.filter((line): line is [string, string] => line[1] !== undefined && line[1] !== '');
}

/** Latitude and longitude in decimal degrees (six decimals, about 10 cm), e.g. `32.891667, 13.179167`. */
export function formatPosition(gps: MediaMetadata['gps']): string | undefined {
  if (gps?.latitude === undefined || gps.longitude === undefined) return undefined;
  return `${gps.latitude.toFixed(6)}, ${gps.longitude.toFixed(6)}`;
}
