/**
 * Provider payloads copied from official sources (test/fixtures/official/, each naming its repository and
 * path). Anthropic's SDK keeps its fixtures as server-sent event streams; `foldAnthropicStream` builds the
 * final message from one the way the SDK's MessageStream does, so the non-streaming reader can be tested
 * against real payloads.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('../fixtures/official/', import.meta.url));

/** The `body` of an official JSON fixture (its `source` says where it was copied from). */
export function officialJson<T = Record<string, unknown>>(name: string): T {
  const fixture = JSON.parse(readFileSync(`${DIR}${name}`, 'utf8')) as { source: unknown; body: T };
  if (fixture.source === undefined) throw new Error(`${name} does not name its source`);
  return fixture.body;
}

type Json = Record<string, unknown>;

/** The final Anthropic message of an SSE fixture: message_start, content block deltas, message_delta. */
export function foldAnthropicStream(name: string): Json {
  const text = readFileSync(`${DIR}${name}`, 'utf8');
  if (!text.startsWith(': source: ')) throw new Error(`${name} does not name its source`);
  let message: Json = {};
  const partialJson = new Map<number, string>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('data: ')) continue;
    const event = JSON.parse(line.slice(6)) as Json;
    const index = event.index as number;
    const content = message.content as Json[];
    switch (event.type) {
      case 'message_start':
        message = structuredClone(event.message as Json);
        break;
      case 'content_block_start':
        content[index] = structuredClone(event.content_block as Json);
        break;
      case 'content_block_delta': {
        const delta = event.delta as Json;
        const block = content[index];
        if (delta.type === 'text_delta') block.text = `${block.text as string}${delta.text as string}`;
        if (delta.type === 'thinking_delta') block.thinking = `${block.thinking as string}${delta.thinking as string}`;
        if (delta.type === 'signature_delta') block.signature = delta.signature;
        if (delta.type === 'input_json_delta') partialJson.set(index, `${partialJson.get(index) ?? ''}${delta.partial_json as string}`);
        break;
      }
      case 'content_block_stop':
        if (partialJson.has(index)) content[index].input = JSON.parse(partialJson.get(index) || '{}');
        break;
      case 'message_delta':
        Object.assign(message, event.delta);
        message.usage = { ...(message.usage as Json), ...(event.usage as Json) };
        break;
    }
  }
  return message;
}
