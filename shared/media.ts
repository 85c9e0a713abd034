/**
 * Photo metadata as an import records it in the item's capture record (`metadata.media`), read
 * from the file's EXIF, GPS, XMP and IPTC by the core (electron/core/import/media-metadata.ts).
 * Values are as the file writes them: dates are the camera's strings, never converted.
 */

/** The fields an investigator asks about first, read from the photo's own metadata. */
export interface MediaMetadata {
  /** What read it (the fields' meaning depends on the reader). */
  readonly reader: string;
  readonly camera?: {
    readonly make?: string;
    readonly model?: string;
    readonly lens?: string;
    readonly serial?: string;
  };
  readonly software?: string;
  /** As written by the camera, e.g. `2024:05:01 14:32:10`; its offset (if the camera wrote one) beside it. */
  readonly dateTimeOriginal?: string;
  readonly offsetTimeOriginal?: string;
  readonly createDate?: string;
  readonly modifyDate?: string;
  readonly gps?: {
    /** Decimal degrees, north and east positive (from the degrees, minutes and seconds written). */
    readonly latitude?: number;
    readonly longitude?: number;
    /** Metres; negative below sea level. */
    readonly altitude?: number;
    /** The satellite time (UTC) as written: `GPSDateStamp GPSTimeStamp`. */
    readonly time?: string;
  };
  /** The EXIF orientation (1 to 8) as written. */
  readonly orientation?: number;
  /** Pixel dimensions as the EXIF or PNG header states them. */
  readonly width?: number;
  readonly height?: number;
  readonly xmp?: {
    readonly creatorTool?: string;
    readonly history?: readonly Readonly<Record<string, string>>[];
  };
  readonly iptc?: Readonly<Record<string, string | readonly string[]>>;
  /** Every tag read, by segment, bounded (see `rawTruncated`). */
  readonly tags: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Says what was left out of `tags` when the file held more than MAX_RAW_TAG_BYTES. */
  readonly rawTruncated?: string;
}
