/**
 * The text conventions of a packed request, shared by the packer that writes them and the mock server
 * that answers them: each item opens with a header line naming its id, and the answer is an object
 * `{"items": [{"id": …, …}]}` (an object root, because Anthropic tool inputs and OpenAI strict schemas
 * must be objects).
 */

/** The answer's root key: the list of per-item entries. */
export const PACK_ITEMS_KEY = 'items';
/** The key in each entry that names its item. */
export const PACK_ID_KEY = 'id';
/** The key holding an item's answer when it cannot sit beside `id` (free text, a non-object schema). */
export const PACK_ANSWER_KEY = 'answer';

// The id is written as a JSON string, so any id (quotes, spaces, unicode) reads back unambiguously.
const HEADER = /^=== item ("(?:[^"\\\n]|\\.)*") ===$/gm;

/** The line after the last item: what follows it is the packer's instructions, not item text. */
export const END_OF_ITEMS = '=== end of items ===';

/** The line that opens an item in a packed prompt. */
export function formatItemHeader(id: string): string {
  return `=== item ${JSON.stringify(id)} ===`;
}

export interface PackedPromptItem {
  id: string;
  /** The item's own text, between its header and the next header (or the end-of-items line). */
  text: string;
}

/** The items a packed prompt lists, in order; empty when the text is not a packed prompt. */
export function parsePackedPrompt(text: string): PackedPromptItem[] {
  const headers = [...text.matchAll(HEADER)];
  const items: PackedPromptItem[] = [];
  for (let i = 0; i < headers.length; i++) {
    const header = headers[i];
    let id: unknown;
    try {
      id = JSON.parse(header[1]);
    } catch {
      continue;
    }
    const start = header.index + header[0].length;
    const closing = text.indexOf(END_OF_ITEMS, start);
    const end = i + 1 < headers.length ? headers[i + 1].index : closing === -1 ? text.length : closing;
    items.push({ id: String(id), text: text.slice(start, end).trim() });
  }
  return items;
}
