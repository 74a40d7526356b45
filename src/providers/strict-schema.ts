/**
 * OpenAI's structured outputs in strict mode accept a subset of JSON Schema. The reference is openai-node's
 * `toStrictJsonSchema` (src/lib/transform.ts): it closes every object (`additionalProperties: false`), lists
 * every property as required, and refuses what strict mode cannot express without changing the schema's
 * meaning — an optional property that is not nullable, an open object, an array without `items`, tuples,
 * and keywords such as `allOf`, `not`, `if/then`, `uniqueItems`, `patternProperties`.
 *
 * This is a conservative copy of those rules: every schema it accepts, openai-node converts to the same
 * result (test/providers/strict-schema.test.ts runs both); a few that openai-node can still rewrite (a
 * mergeable `allOf`, a non-exclusive `oneOf`) are sent with `strict: false` instead. A schema that is not
 * eligible is sent unchanged, so it can always be satisfied exactly as the user wrote it.
 */

type Schema = Record<string, unknown>;

/** openai-node's JSON_SCHEMA_UNSUPPORTED_SCHEMA_KEYWORDS, plus the ones it only rewrites in special cases. */
const UNSUPPORTED_KEYWORDS: readonly string[] = [
  '$anchor',
  '$dynamicAnchor',
  '$dynamicRef',
  '$recursiveAnchor',
  '$recursiveRef',
  'allOf',
  'contains',
  'contentEncoding',
  'contentMediaType',
  'contentSchema',
  'dependentRequired',
  'dependentSchemas',
  'dependencies',
  'else',
  'if',
  'maxContains',
  'maxProperties',
  'minContains',
  'minProperties',
  'not',
  'patternProperties',
  'prefixItems',
  'propertyNames',
  'then',
  'unevaluatedItems',
  'unevaluatedProperties',
  'uniqueItems',
  // Rewritten by openai-node only when it can prove the branches exclusive, or in tuples: not here.
  'oneOf',
  'additionalItems',
  // A nested resource scope (openai-node rejects nested $id).
  '$id',
];

const OBJECT_KEYWORDS = ['additionalProperties', 'properties', 'required'];

/** Why a schema cannot be sent in strict mode; the message is shown in the one warning. */
export class NotStrictCompatible extends Error {}

/**
 * A strict-mode copy of `schema`, or the reason strict mode cannot express it. The input is never mutated.
 */
export function toStrictSchema(schema: Schema): { ok: true; schema: Schema } | { ok: false; reason: string } {
  try {
    if (schema.type !== 'object') throw new NotStrictCompatible('the root is not `type: "object"`');
    if (schema.anyOf !== undefined) throw new NotStrictCompatible('the root is a union (`anyOf`)');
    return { ok: true, schema: convert(schema, '') };
  } catch (error) {
    if (error instanceof NotStrictCompatible) return { ok: false, reason: error.message };
    throw error;
  }
}

function convert(value: unknown, path: string): Schema {
  const where = path === '' ? 'the root' : `\`${path}\``;
  if (!isRecord(value)) throw new NotStrictCompatible(`${where} is a boolean schema`);
  const schema = value;
  for (const keyword of UNSUPPORTED_KEYWORDS) {
    if (schema[keyword] !== undefined) throw new NotStrictCompatible(`${where} uses \`${keyword}\``);
  }
  if (typeof schema.$ref === 'string' && !schema.$ref.startsWith('#')) {
    throw new NotStrictCompatible(`${where} has an external $ref`);
  }
  const copy: Schema = { ...schema };
  for (const key of ['$defs', 'definitions', 'properties'] as const) {
    const map = schema[key];
    if (map === undefined) continue;
    if (!isRecord(map)) throw new NotStrictCompatible(`${where} has a malformed \`${key}\``);
    copy[key] = Object.fromEntries(Object.entries(map).map(([name, sub]) => [name, convert(sub, `${path}/${key}/${name}`)]));
  }
  if (Array.isArray(schema.anyOf)) copy.anyOf = schema.anyOf.map((sub, index) => convert(sub, `${path}/anyOf/${index}`));
  if (schema.items !== undefined) {
    if (Array.isArray(schema.items)) throw new NotStrictCompatible(`${where} uses tuple-form \`items\``);
    copy.items = convert(schema.items, `${path}/items`);
  } else if (includesType(schema, 'array')) {
    throw new NotStrictCompatible(`${where} is an array without \`items\``);
  }
  if (hasObjectShape(schema)) closeObject(schema, copy, where);
  return copy;
}

function closeObject(schema: Schema, copy: Schema, where: string): void {
  if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) {
    throw new NotStrictCompatible(`${where} allows additional properties`);
  }
  const properties = isRecord(schema.properties) ? schema.properties : {};
  // openai-node would close it, leaving `{}` as the only valid answer: a free-form object or dictionary is
  // sent with strict: false instead, so the model can still fill it.
  if (Object.keys(properties).length === 0 && schema.additionalProperties !== false) {
    throw new NotStrictCompatible(`${where} is an object without listed properties`);
  }
  const required = schema.required ?? [];
  if (!Array.isArray(required) || required.some((key) => typeof key !== 'string' || !Object.hasOwn(properties, key))) {
    throw new NotStrictCompatible(`${where} requires a property it does not declare`);
  }
  for (const [key, sub] of Object.entries(properties)) {
    if (!required.includes(key) && !isNullable(sub)) {
      throw new NotStrictCompatible(`${where} has an optional property "${key}" that is not nullable (strict mode requires every property)`);
    }
  }
  if (schema.properties !== undefined) copy.required = Object.keys(properties);
  copy.additionalProperties = false;
}

function hasObjectShape(schema: Schema): boolean {
  if (schema.type !== undefined) return schema.type === 'object' || (Array.isArray(schema.type) && schema.type.includes('object'));
  return OBJECT_KEYWORDS.some((keyword) => keyword in schema);
}

function includesType(schema: Schema, type: string): boolean {
  return schema.type === type || (Array.isArray(schema.type) && schema.type.includes(type));
}

/** Null is a valid value: an optional property can then be required and answered with null. */
function isNullable(value: unknown): boolean {
  if (!isRecord(value)) return value === true;
  if (includesType(value, 'null')) return true;
  if (Array.isArray(value.enum) && value.enum.includes(null)) return true;
  return Array.isArray(value.anyOf) && value.anyOf.some(isNullable);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
