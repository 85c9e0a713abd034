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

/** The item a picture belongs to, as the similar-image lists show it. */
export interface PictureItem {
  readonly itemId: string;
  readonly caseId: string;
  readonly caseNumber: string;
  readonly kind: string;
  readonly title: string | null;
  readonly source: string;
  readonly capturedAt: string;
}

/**
 * Where a page image (role `page-image`: a photo inside a captured page, an image response of the
 * capture's WARC) is: its URL on the page, the WARC artifact and its record's byte offset there.
 */
export interface PageImageLocation {
  readonly uri: string;
  readonly warcSha256: string;
  readonly recordOffset: number;
}

/** What the walk of a capture's WARC for its page images found. */
export interface PageImageScan {
  /** Image responses (JPEG, PNG, WebP, GIF, AVIF) met, duplicates included. */
  readonly found: number;
  /** Distinct pictures hashed. */
  readonly hashed: number;
  /** Left out as icons, spacers and buttons (too few pixels or bytes to be a photo). */
  readonly small: number;
  /** Records whose picture could not be read or decoded. */
  readonly unreadable: number;
  /** The per-item cap was reached and later images were not hashed. */
  readonly capped: boolean;
  /** What else the walk met (a damaged record, the cap), in words; null when nothing. */
  readonly note: string | null;
}

/**
 * A picture shown on this many different pages or more is the site's furniture (a logo, a banner,
 * a platform's sprite), not a photo someone posted: a re-posted photo is uploaded again (other
 * bytes, near in hash), while furniture is the same file on every page of the site. The same post
 * captured again and again (a watch) is one page, so its photos are never taken for furniture.
 */
export const SITE_FURNITURE_PAGES = 5;

/** A page image left out of "similar images" and the groups: the same file on many different pages. */
export interface SiteFurniture {
  readonly sha256: string;
  /** The image's URL on this item's page. */
  readonly uri: string | null;
  /** On how many different pages the store holds it. */
  readonly pages: number;
}

/** An item whose picture looks like one of another item's (a near-duplicate), as "similar images" lists it. */
export interface SimilarImage extends PictureItem {
  /** Bits (of 64) in which the two perceptual hashes differ: 0 is the same picture. */
  readonly distance: number;
  /** The other item's picture (for a page image, the SHA-256 of its bytes). */
  readonly sha256: string;
  readonly role: string;
  /** Where the other item's picture is, when it is a page image (`uri`: the image's URL on the page). */
  readonly page?: PageImageLocation;
  /** The picture of the item asked about that it resembles. */
  readonly matchedSha256: string;
  readonly matchedRole: string;
  readonly matchedPage?: PageImageLocation;
}

/** Whether an item's pictures have been hashed, so that "no similar images" can be believed. */
export type ImageHashStatus = 'hashed' | 'no-images' | 'pending' | 'failed';

/** The items whose pictures are near-duplicates of an item's, across all cases, nearest first. */
export interface SimilarImages {
  readonly itemId: string;
  readonly status: ImageHashStatus;
  /** Why hashing failed, when it did. */
  readonly error: string | null;
  /** The item's hashed pictures. */
  readonly images: readonly {
    readonly sha256: string;
    readonly role: string;
    readonly phash: string;
    readonly page?: PageImageLocation;
  }[];
  /** For a capture, what the walk of its WARC found (null: no WARC, or not hashed yet). */
  readonly pageImages: PageImageScan | null;
  /** The item's page images left out as the site's furniture (a logo on every page), with why. */
  readonly siteFurniture: readonly SiteFurniture[];
  readonly maxDistance: number;
  readonly similar: readonly SimilarImage[];
}

/** One item of a group of near-duplicates. */
export interface NearDuplicateMember extends PictureItem {
  /** Its picture that joins the group. */
  readonly sha256: string;
  readonly role: string;
  readonly page?: PageImageLocation;
  /** The smallest distance from this picture to another member's. */
  readonly distance: number;
}

/** Items whose pictures are near-duplicates of one another, directly or through other members. */
export interface NearDuplicateGroup {
  readonly members: readonly NearDuplicateMember[];
  /** The case numbers of its members, sorted: more than one means the picture crosses cases. */
  readonly caseNumbers: readonly string[];
}
