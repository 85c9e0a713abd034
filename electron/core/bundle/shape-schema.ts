/**
 * The zod schema of a shape declared in shape-rules.ts, for the code that parses bundle files with
 * zod (pulling a case from a remote); `checkShape` answers as this schema does, without zod.
 */
import { z } from 'zod';
import type { Shape, ShapeNode } from './shape-rules.js';

/** The zod schema of a node, before null and absence. */
function baseSchemaOf(node: ShapeNode): z.ZodType {
  switch (node.kind) {
    case 'text': {
      let schema = z.string();
      if (node.min !== undefined) schema = schema.min(node.min);
      if (node.pattern) schema = schema.regex(node.pattern.regex, node.pattern.message);
      if (!node.refine) return schema;
      return schema.refine(node.refine.test, { message: node.refine.message });
    }
    case 'int': {
      const schema = z.number().int();
      if (node.sign === 'nonnegative') return schema.nonnegative();
      return node.sign === 'positive' ? schema.positive() : schema;
    }
    case 'one-of':
      return node.values.every((value) => typeof value === 'string')
        ? z.enum(node.values as [string, ...string[]])
        : z.literal(node.values as [string | number, ...(string | number)[]]);
    case 'object': {
      const fields = Object.fromEntries(
        Object.entries(node.fields).map(([key, field]) => [key, schemaOfNode(field)]),
      );
      return node.loose ? z.looseObject(fields) : z.object(fields);
    }
    case 'list':
      return z.array(schemaOfNode(node.of));
    case 'record':
      return z.record(z.string(), z.unknown());
  }
}

/** The zod schema of a node, null and absence included. */
function schemaOfNode(node: ShapeNode): z.ZodType {
  let schema = baseSchemaOf(node);
  if (node.nullable) schema = schema.nullable();
  if (node.optional) schema = schema.optional();
  return schema;
}

/** The zod schema that parses what `shape` accepts, giving what `checkShape` gives. */
export function zodSchemaOf<T>(shape: Shape<T>): z.ZodType<T> {
  return schemaOfNode(shape) as z.ZodType<T>;
}
