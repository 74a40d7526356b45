import type { Message as PromptMessage } from 'dotprompt';
import type { ChatMessage, ContentPart, Role } from './types.js';

/** Dotprompt's role names → ours. */
const ROLE_BY_PROMPT_ROLE: Readonly<Record<string, Role>> = {
  system: 'system',
  user: 'user',
  model: 'assistant',
  assistant: 'assistant',
};

/** Turns a media URL into a content part (remote, data: or local file). */
export type ImageLoader = (ref: string) => Promise<ContentPart>;

/**
 * Converts Dotprompt's rendered messages: adjacent text parts merged and trimmed, `{{media}}` parts turned
 * into image parts, empty messages dropped (the whitespace around `{{role}}` markers makes some).
 */
export async function toChatMessages(messages: PromptMessage[], loadImage: ImageLoader): Promise<ChatMessage[]> {
  const result: ChatMessage[] = [];
  for (const message of messages) {
    const role = ROLE_BY_PROMPT_ROLE[message.role];
    if (role === undefined) throw new Error(`unsupported role "${message.role}" (parseTemplate should have rejected it)`);
    const content: ContentPart[] = [];
    let text = '';
    for (const part of message.content) {
      if (typeof part.text === 'string') {
        text += part.text;
      } else if (part.media) {
        pushText(content, text);
        text = '';
        content.push(await loadImage(part.media.url));
      }
      // Data, tool and pending `{{section}}` parts have no meaning for a chat request.
    }
    pushText(content, text);
    if (content.length > 0) result.push({ role, content });
  }
  return result;
}

/** A single user message holding `text` (a plain Handlebars template's output). */
export function toUserMessages(text: string): ChatMessage[] {
  const content: ContentPart[] = [];
  pushText(content, text);
  return [{ role: 'user', content }];
}

/**
 * Puts `text` first in the system prompt: a system message of its own, or merged into the template's.
 * `shared`: the text is the same for every item; the merged message stays shared only if both parts are.
 */
export function prependSystem(messages: ChatMessage[], text: string, shared = false): ChatMessage[] {
  const trimmed = text.trim();
  if (trimmed === '') return messages;
  const [first, ...rest] = messages;
  if (first?.role === 'system') {
    const [head, ...tail] = first.content;
    const content: ContentPart[] =
      head?.type === 'text' ? [{ type: 'text', text: `${trimmed}\n\n${head.text}` }, ...tail] : [{ type: 'text', text: trimmed }, ...first.content];
    return [{ role: 'system', content, ...(shared && first.shared && { shared: true }) }, ...rest];
  }
  return [{ role: 'system', content: [{ type: 'text', text: trimmed }], ...(shared && { shared: true }) }, ...messages];
}

/** Adds an image to the last user message (a new user message when there is none). */
export function appendImage(messages: ChatMessage[], image: ContentPart): ChatMessage[] {
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    if (messages[i].role === 'user') {
      const updated: ChatMessage = { role: 'user', content: [...messages[i].content, image] };
      return [...messages.slice(0, i), updated, ...messages.slice(i + 1)];
    }
  }
  return [...messages, { role: 'user', content: [image] }];
}

function pushText(content: ContentPart[], text: string): void {
  const trimmed = text.trim();
  if (trimmed !== '') content.push({ type: 'text', text: trimmed });
}
