/**
 * What one entry of a packed answer looks like, derived once per run from the run's own output settings,
 * and the schema sent with every packed request. A packed request always carries a schema, even when the
 * run has none: one entry per listed id is exactly what structured output enforces best.
 */
import type { OutputSchema, RequestParams } from '../../providers/types.js';
import { PACK_ANSWER_KEY, PACK_ID_KEY, PACK_ITEMS_KEY } from './pack-format.js';

type Schema = Record<string, unknown>;

/** Root keywords that must stay at the root, or `$ref`s and the draft selection break when wrapped. */
const ROOT_KEYWORDS = ['$schema', '$defs', 'definitions'] as const;

/** Structured-output names allow `[a-zA-Z0-9_-]{1,64}`; this one is the Anthropic tool's name too. */
export const PACK_SCHEMA_NAME = 'answers';

export interface PackAnswerShape {
  /**
   * `fields`: the item's answer fields sit beside `id` (an object schema without its own `id`).
   * `answer`: the answer sits under `answer` (free text, JSON mode, any other schema).
   */
  placement: 'fields' | 'answer';
  /** What each item's answer is checked against, as a single request's answer would be. */
  itemSchema?: Schema;
  /** JSON output without a schema: the answer is a JSON object, stored as `parsed`. */
  jsonOutput: boolean;
  /** The schema of the whole packed answer. */
  schema: OutputSchema;
  /** The item schema wraps a non-object root (`output-schema.ts`): `parsed` is this property. */
  unwrap?: string;
}

/** The entry shape for a run's output settings. */
export function describePackAnswer(params: Pick<RequestParams, 'schema' | 'jsonOutput'>): PackAnswerShape {
  const shape = describeEntries(params);
  return params.schema?.unwrap === undefined ? shape : { ...shape, unwrap: params.schema.unwrap };
}

function describeEntries(params: Pick<RequestParams, 'schema' | 'jsonOutput'>): PackAnswerShape {
  const itemSchema = params.schema?.schema;
  if (itemSchema !== undefined && isObjectSchema(itemSchema) && !hasOwnId(itemSchema)) {
    return { placement: 'fields', itemSchema, jsonOutput: false, schema: wrap(itemSchema, fieldsEntry(itemSchema)) };
  }
  const jsonOutput = itemSchema === undefined && params.jsonOutput === true;
  const answer: Schema = itemSchema !== undefined ? withoutRootKeywords(itemSchema) : jsonOutput ? { type: 'object' } : { type: 'string' };
  const entry: Schema = {
    type: 'object',
    properties: { [PACK_ID_KEY]: { type: 'string' }, [PACK_ANSWER_KEY]: answer },
    required: [PACK_ID_KEY, PACK_ANSWER_KEY],
    additionalProperties: false,
  };
  return { placement: 'answer', itemSchema, jsonOutput, schema: wrap(itemSchema ?? {}, entry) };
}

/** The item schema's properties with `id` first; its own `required` list follows `id`. */
function fieldsEntry(itemSchema: Schema): Schema {
  const properties = isRecord(itemSchema.properties) ? itemSchema.properties : {};
  const required = Array.isArray(itemSchema.required) ? itemSchema.required.filter((key) => typeof key === 'string') : [];
  const entry: Schema = {
    ...withoutRootKeywords(itemSchema),
    type: 'object',
    properties: { [PACK_ID_KEY]: { type: 'string' }, ...properties },
    required: [PACK_ID_KEY, ...required],
  };
  delete entry.description;
  delete entry.title;
  return entry;
}

function wrap(itemSchema: Schema, entry: Schema): OutputSchema {
  const root: Schema = {};
  for (const key of ROOT_KEYWORDS) if (itemSchema[key] !== undefined) root[key] = itemSchema[key];
  Object.assign(root, {
    type: 'object',
    description: 'Record the answers: one entry per item, each with the id the item was given.',
    properties: { [PACK_ITEMS_KEY]: { type: 'array', items: entry } },
    required: [PACK_ITEMS_KEY],
    additionalProperties: false,
  });
  return { name: PACK_SCHEMA_NAME, schema: root };
}

function withoutRootKeywords(schema: Schema): Schema {
  const copy = { ...schema };
  for (const key of ROOT_KEYWORDS) delete copy[key];
  return copy;
}

function isObjectSchema(schema: Schema): boolean {
  const { type } = schema;
  return type === 'object' || (type === undefined && isRecord(schema.properties));
}

function hasOwnId(schema: Schema): boolean {
  return isRecord(schema.properties) && PACK_ID_KEY in schema.properties;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
