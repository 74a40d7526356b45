/**
 * Build the one request that asks for several items' answers: the shared prefix (system prompt, few-shot
 * turns) once, then each item's own message under a header naming its id, then the answer format.
 */
import type { ChatRequest, RequestParams } from '../../providers/types.js';
import type { ChatMessage, ContentPart } from '../../template/types.js';
import { END_OF_ITEMS, formatItemHeader, PACK_ANSWER_KEY, PACK_ID_KEY, PACK_ITEMS_KEY } from './pack-format.js';
import type { PackAnswerShape } from './pack-shape.js';

/** One item of a pack: its id and its own (last, user) message. */
export interface PackMember {
  id: string;
  message: ChatMessage;
}

export interface PackedRequestInput {
  /** The messages every member shares, before its own message. */
  prefix: readonly ChatMessage[];
  members: readonly PackMember[];
  shape: PackAnswerShape;
  /** The run's request parameters; the schema and max tokens are replaced. */
  params: RequestParams;
  /** Output ceiling for the whole packed answer. */
  maxTokens: number;
}

/** The packed request for `members`, in their order. */
export function buildPackedRequest(input: PackedRequestInput): ChatRequest {
  const { prefix, members, shape } = input;
  const parts: ContentPart[] = [];
  const addText = (text: string) => {
    const last = parts.at(-1);
    if (last?.type === 'text') last.text = `${last.text}\n\n${text}`;
    else parts.push({ type: 'text', text });
  };
  addText(
    `There are ${members.length} items below. Each starts with a line ${formatItemHeader('<id>')}. ` +
      'Handle every item on its own, exactly as if it were the only one: follow the instructions in its text.',
  );
  for (const member of members) {
    addText(formatItemHeader(member.id));
    // Copies, so merging text never edits the rendered message (it may be rendered again for a fallback).
    for (const part of member.message.content) {
      if (part.type === 'text') addText(part.text);
      else parts.push({ ...part });
    }
  }
  addText(END_OF_ITEMS);
  addText(closingInstruction(shape));

  const { jsonOutput: _ignored, ...rest } = input.params;
  const params: RequestParams = { ...rest, schema: shape.schema, maxTokens: input.maxTokens };
  return { messages: [...prefix, { role: 'user', content: parts }], params };
}

function closingInstruction(shape: PackAnswerShape): string {
  const id = `"${PACK_ID_KEY}" (the item's id, exactly as in its header)`;
  const entry =
    shape.placement === 'fields'
      ? `an object with ${id} and the fields of that item's answer`
      : `an object with ${id} and "${PACK_ANSWER_KEY}": your answer to that item${shape.itemSchema || shape.jsonOutput ? ', as JSON' : ', as text'}`;
  return `Answer with a JSON object {"${PACK_ITEMS_KEY}": [...]} holding one entry per item, in the order given. Each entry is ${entry}.`;
}
