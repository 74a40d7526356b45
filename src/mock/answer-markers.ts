/**
 * Markers a test writes into an item's text to script how the mock answers it. They change only the
 * answer's content (the HTTP exchange is normal); `[[fault:…]]` and `[[flaky:N]]` in `faults.ts` break
 * the exchange itself.
 */

/** The answer breaks the JSON asked for: JSON without the schema's fields, or prose when only JSON was asked. */
export const INVALID_OUTPUT_MARKER = '[[invalid-output]]';
/** In a packed request: this item's entry is left out of the answer. Alone it is answered normally. */
export const PACK_DROP_MARKER = '[[pack:drop]]';
/** In a packed request: the whole packed answer is unusable (no item list). Alone it is answered normally. */
export const PACK_MALFORMED_MARKER = '[[pack:malformed]]';

/** The model declines: OpenAI `message.refusal` with `content: null`, Anthropic `stop_reason: "refusal"`. */
export const REFUSE_MARKER = '[[refuse]]';
/** What a refused item's answer says. */
export const REFUSAL_TEXT = "I'm sorry, but I can't help with that request.";

/** What an item carrying `INVALID_OUTPUT_MARKER` gets instead of its answer. */
export const REFUSAL = 'I cannot answer that in the requested format.';
