/**
 * OpenAI's structured outputs in strict mode accept a subset of JSON Schema: every object must list all
 * its properties as required and set `additionalProperties: false`. This makes such a copy of a user's
 * schema. Making optional properties required (rather than nullable) keeps every strict answer valid
 * against the original schema, which is what we validate with.
 */

type Schema = Record<string, unknown>;

/** Keywords whose value is a map of name → subschema. */
const SCHEMA_MAPS = ['properties', '$defs', 'definitions'] as const;
/** Keywords whose value is a subschema or an array of subschemas. */
const SCHEMA_SLOTS = ['items', 'prefixItems', 'anyOf', 'allOf', 'not'] as const;

/**
 * A strict-mode copy of `schema`, or `undefined` when strict mode cannot express it (a root that is not an
 * object, a dictionary-style object, `oneOf`); the caller then sends the schema with `strict: false`.
 * The input is never mutated.
 */
export function toStrictSchema(schema: Schema): Schema | undefined {
  if (!isObjectSchema(schema)) return undefined;
  try {
    return convert(schema);
  } catch (error) {
    if (error instanceof NotStrictCompatible) return undefined;
    throw error;
  }
}

class NotStrictCompatible extends Error {}

function convert(schema: Schema): Schema {
  if ('oneOf' in schema) throw new NotStrictCompatible();
  const copy: Schema = { ...schema };
  for (const key of SCHEMA_MAPS) {
    const map = schema[key];
    if (isRecord(map)) {
      copy[key] = Object.fromEntries(Object.entries(map).map(([name, sub]) => [name, isRecord(sub) ? convert(sub) : sub]));
    }
  }
  for (const key of SCHEMA_SLOTS) {
    const slot = schema[key];
    if (Array.isArray(slot)) copy[key] = slot.map((sub) => (isRecord(sub) ? convert(sub) : sub));
    else if (isRecord(slot)) copy[key] = convert(slot);
  }
  if (isObjectSchema(schema)) {
    const properties = isRecord(schema.properties) ? schema.properties : {};
    // An object without listed properties is free-form or a dictionary; strict mode would force it empty.
    if (Object.keys(properties).length === 0 && schema.additionalProperties !== false) {
      throw new NotStrictCompatible();
    }
    copy.required = Object.keys(properties);
    copy.additionalProperties = false;
  }
  return copy;
}

function isObjectSchema(schema: Schema): boolean {
  const { type } = schema;
  return type === 'object' || (Array.isArray(type) && type.includes('object')) || (type === undefined && isRecord(schema.properties));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
