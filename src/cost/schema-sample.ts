/**
 * A plausible instance of a JSON Schema, to size the typical structured answer without calling a model.
 * Deliberately rough: every property filled once, arrays with their minimum (at least one) item, strings
 * a short phrase. Unknown constructs (`$ref`, `not`) become a short string.
 */

/** Stands in for a free-text field: typical classifier/extractor values are a few words. */
export const SAMPLE_STRING = 'a short phrase of several words';

/** Deeper nesting is cut off; real answer schemas are shallow and `$ref` cycles must not loop. */
const MAX_DEPTH = 8;

/** Arrays are sampled with at least one and at most this many items. */
const MAX_SAMPLE_ITEMS = 3;

const FORMAT_SAMPLES: Readonly<Record<string, string>> = {
  'date-time': '2024-01-01T00:00:00Z',
  date: '2024-01-01',
  time: '00:00:00',
  email: 'name@example.com',
  uri: 'https://example.com/path',
  uuid: '00000000-0000-0000-0000-000000000000',
};

/** A JSON value that satisfies the common parts of `schema`. */
export function sampleFromSchema(schema: unknown, depth = 0): unknown {
  if (!isObject(schema) || depth > MAX_DEPTH) return SAMPLE_STRING;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options) && options.length > 0) {
      const firstNonNull = options.find((option) => !(isObject(option) && option.type === 'null'));
      return sampleFromSchema(firstNonNull ?? options[0], depth + 1);
    }
  }
  switch (pickType(schema)) {
    case 'object':
      return sampleObject(schema, depth);
    case 'array':
      return sampleArray(schema, depth);
    case 'integer':
      return 42;
    case 'number':
      return 0.75;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return typeof schema.format === 'string' ? (FORMAT_SAMPLES[schema.format] ?? SAMPLE_STRING) : SAMPLE_STRING;
  }
}

function sampleObject(schema: Record<string, unknown>, depth: number): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (!isObject(schema.properties)) return result;
  for (const [name, propertySchema] of Object.entries(schema.properties)) {
    result[name] = sampleFromSchema(propertySchema, depth + 1);
  }
  return result;
}

function sampleArray(schema: Record<string, unknown>, depth: number): unknown[] {
  const minItems = typeof schema.minItems === 'number' ? schema.minItems : 1;
  const count = Math.min(MAX_SAMPLE_ITEMS, Math.max(1, minItems));
  return Array.from({ length: count }, () => sampleFromSchema(schema.items, depth + 1));
}

function pickType(schema: Record<string, unknown>): string | undefined {
  if (typeof schema.type === 'string') return schema.type;
  if (Array.isArray(schema.type)) return schema.type.find((type) => type !== 'null') ?? 'null';
  if (isObject(schema.properties)) return 'object';
  if ('items' in schema) return 'array';
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
