/**
 * The zod schemas of the bundle's JSON files, built from their shapes in format.ts, for the code
 * that parses them with zod (pulling a case from a remote); verify checks the same shapes without
 * zod (`checkShape`), word for word alike.
 */
import { CAPTURE_RECORD_SHAPE, MANIFEST_SHAPE, TIMESTAMP_INDEX_SHAPE } from './format.js';
import { zodSchemaOf } from './shape-schema.js';

/** manifest.json. */
export const manifestSchema = zodSchemaOf(MANIFEST_SHAPE);
/** A capture record inside manifest.json. */
export const captureRecordSchema = zodSchemaOf(CAPTURE_RECORD_SHAPE);
/** timestamps/index.json. */
export const timestampIndexSchema = zodSchemaOf(TIMESTAMP_INDEX_SHAPE);
