/**
 * The mock's answer to a packed request (`--pack`): one entry per item the prompt lists, each answered
 * from that item's own text as a single request would be, so packed results read like unpacked ones.
 */
import { PACK_ANSWER_KEY, PACK_ID_KEY, PACK_ITEMS_KEY, parsePackedPrompt } from '../run/pack/pack-format.js';
import { extractCategories, textAnswer, topicWord } from './answer-text.js';
import { INVALID_OUTPUT_MARKER, PACK_DROP_MARKER, PACK_MALFORMED_MARKER, REFUSAL } from './answer-markers.js';
import { createRng, hashString } from './hash.js';
import { sampleFromSchema } from './schema-sample.js';

type Schema = Record<string, unknown>;

/**
 * The packed answer's JSON text, or undefined when the request is not a packed one (its schema is not
 * `{items: [{id, …}]}` or its prompt lists no items).
 * @param prompt the last user message: the items
 * @param context the text of the messages before it (the shared system prompt, where categories usually
 *   are); a function, because most structured requests are not packed and need not pay for it
 */
export function answerPacked(prompt: string, context: () => string, schema: Schema): string | undefined {
  const entrySchema = packEntrySchema(schema);
  if (entrySchema === undefined) return undefined;
  const items = parsePackedPrompt(prompt);
  if (items.length === 0) return undefined;
  if (items.some((item) => item.text.includes(PACK_MALFORMED_MARKER))) return JSON.stringify({ [PACK_ITEMS_KEY]: 'malformed' });

  const properties = entrySchema.properties as Schema;
  const shared = context();
  const entries: Schema[] = [];
  for (const item of items) {
    if (item.text.includes(PACK_DROP_MARKER)) continue;
    if (item.text.includes(INVALID_OUTPUT_MARKER)) {
      entries.push({ [PACK_ID_KEY]: item.id, refusal: REFUSAL });
      continue;
    }
    const random = createRng(hashString(item.text));
    // Whitespace-normalised, as for a single request: a category list often starts on the line after its lead-in.
    const categories = extractCategories(`${shared} ${item.text}`.replace(/\s+/g, ' '));
    const sampled = sampleFromSchema(entrySchema, { random, categories, topic: topicWord(item.text, random), root: schema }) as Schema;
    const entry: Schema = { [PACK_ID_KEY]: item.id, ...sampled };
    entry[PACK_ID_KEY] = item.id;
    const answer = properties[PACK_ANSWER_KEY] as Schema | undefined;
    // Free text (or JSON mode without a schema): answer as the item alone would be answered.
    if (answer?.type === 'string' && answer.enum === undefined) entry[PACK_ANSWER_KEY] = textAnswer(item.text, random, categories);
    else if (answer?.type === 'object' && answer.properties === undefined) entry[PACK_ANSWER_KEY] = { answer: textAnswer(item.text, random, categories) };
    entries.push(entry);
  }
  return JSON.stringify({ [PACK_ITEMS_KEY]: entries });
}

/** The schema of one entry when `schema` is a packed answer's, else undefined. */
function packEntrySchema(schema: Schema): Schema | undefined {
  const list = (schema.properties as Schema | undefined)?.[PACK_ITEMS_KEY] as Schema | undefined;
  const entry = list?.items as Schema | undefined;
  const properties = entry?.properties as Schema | undefined;
  return properties !== undefined && PACK_ID_KEY in properties ? entry : undefined;
}
