/**
 * The schema that goes on the wire. Both providers require an object at the root (OpenAI's
 * `response_format.json_schema.schema`, Anthropic's `input_schema.type: "object"`), so a schema whose root is
 * anything else (a string enum, an array) is wrapped as the single required property `value` of an object;
 * the answer's `parsed` is that property, so users get back the value their schema describes.
 */
import type { OutputSchema } from './types.js';

/** The property a non-object root is wrapped in. */
export const WRAPPED_ROOT_KEY = 'value';

/** Root keywords that must stay at the root for `$ref`s (`#/$defs/…`) and the dialect to keep their meaning. */
const ROOT_ONLY_KEYWORDS = ['$schema', '$defs', 'definitions'] as const;

/** `schema` as an `OutputSchema` whose root is an object, wrapped when it was not. */
export function toOutputSchema(schema: Record<string, unknown>, name = 'answer'): OutputSchema {
  if (schema.type === 'object') return { name, schema };
  const inner: Record<string, unknown> = { ...schema };
  const wrapper: Record<string, unknown> = {};
  for (const keyword of ROOT_ONLY_KEYWORDS) {
    if (keyword in inner) {
      wrapper[keyword] = inner[keyword];
      delete inner[keyword];
    }
  }
  Object.assign(wrapper, {
    type: 'object',
    properties: { [WRAPPED_ROOT_KEY]: inner },
    required: [WRAPPED_ROOT_KEY],
    additionalProperties: false,
  });
  return { name, schema: wrapper, unwrap: WRAPPED_ROOT_KEY };
}

/** The value the user's schema describes, from an answer that satisfied the wire schema. */
export function unwrapAnswer(schema: OutputSchema, parsed: unknown): unknown {
  if (schema.unwrap === undefined) return parsed;
  return (parsed as Record<string, unknown>)[schema.unwrap];
}
