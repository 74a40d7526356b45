/**
 * Deterministic, plausible answers for the mock server and the in-process mock provider. E2E tests
 * call `mockAnswer` on the same `ChatRequest` the client built to know each item's expected output,
 * so the answer depends only on what survives the trip over either wire format: the text of the
 * messages (whitespace-normalised, so joining system blocks differently does not matter), the number
 * of images, the output schema and JSON mode.
 */
import type { ChatMessage } from '../template/types.js';
import type { ChatRequest } from '../providers/types.js';
import { textAnswer, extractCategories, topicWord } from './answer-text.js';
import { INVALID_OUTPUT_MARKER, REFUSAL, REFUSAL_TEXT, REFUSE_MARKER } from './answer-markers.js';
import { createRng, hashString } from './hash.js';
import { answerPacked } from './pack-answer.js';
import { sampleFromSchema } from './schema-sample.js';

export interface MockAnswer {
  text: string;
  /** The model declined (`REFUSE_MARKER`): `text` is its refusal, sent in each dialect's refusal shape. */
  refused?: boolean;
  usage: { inputTokens: number; outputTokens: number };
}

/** Roughly what a low-detail image costs on OpenAI; any constant works as long as it is stable. */
export const IMAGE_TOKENS = 85;
const CHARS_PER_TOKEN = 4;

// Anthropic has no JSON mode on the wire, so "the prompt asks for JSON" must trigger it too.
const ASKS_FOR_JSON = /\b(?:in|as|valid|return|respond with|answer with|output)\s+(?:a\s+)?json\b|\bjson\s+(?:object|format)\b/i;

/** The answer the mock gives to `request`: same request, same answer. */
export function mockAnswer(request: ChatRequest): MockAnswer {
  const { text: prompt, images } = promptText(request.messages);
  const random = createRng(hashString(prompt));
  const last = lastUserText(request.messages);
  const { schema, jsonOutput } = request.params;
  // The categories usually sit in the system prompt, the item in the user message.
  const categories = extractCategories(prompt);
  const asksJson = schema !== undefined || jsonOutput === true || ASKS_FOR_JSON.test(last);
  const packed = schema ? answerPacked(last, () => promptText(request.messages.slice(0, -1)).text, schema.schema) : undefined;
  let text: string;
  if (last.includes(REFUSE_MARKER)) {
    return { text: REFUSAL_TEXT, refused: true, usage: { inputTokens: estimateTokens(prompt) + images * IMAGE_TOKENS, outputTokens: estimateTokens(REFUSAL_TEXT) } };
  } else if (packed !== undefined) {
    text = packed;
  } else if (asksJson && last.includes(INVALID_OUTPUT_MARKER)) {
    // JSON (a forced tool's input must stay JSON) that lacks the schema's fields; prose when only JSON was asked.
    text = schema ? JSON.stringify({ refusal: REFUSAL }) : REFUSAL;
  } else if (schema) {
    const context = { random, categories, topic: topicWord(last, random), root: schema.schema };
    text = JSON.stringify(sampleFromSchema(schema.schema, context));
  } else if (asksJson) {
    text = JSON.stringify({ answer: textAnswer(last, random, categories) });
  } else {
    text = textAnswer(last, random, categories);
  }
  return {
    text,
    usage: { inputTokens: estimateTokens(prompt) + images * IMAGE_TOKENS, outputTokens: estimateTokens(text) },
  };
}

/** A cheap token estimate: characters / 4, rounded up, at least 1. */
export function estimateTokens(text: string): number {
  return tokensForChars(text.length);
}

/** The same estimate from a character count. */
export function tokensForChars(chars: number): number {
  return Math.max(1, Math.ceil(chars / CHARS_PER_TOKEN));
}

/** All message text, whitespace-normalised, and the number of images. */
export function promptText(messages: readonly ChatMessage[]): { text: string; images: number } {
  const parts: string[] = [];
  let images = 0;
  for (const message of messages) {
    for (const part of message.content) {
      if (part.type === 'text') parts.push(part.text);
      else images++;
    }
  }
  return { text: parts.join(' ').replace(/\s+/g, ' ').trim(), images };
}

/** The text of the last user message (its text parts joined by newlines): the stats key for a request. */
export function lastUserText(messages: readonly ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message.role !== 'user') continue;
    const texts: string[] = [];
    for (const part of message.content) if (part.type === 'text') texts.push(part.text);
    return texts.join('\n');
  }
  return '';
}

/**
 * Cut an answer to `maxTokens` like a real model stopping at the limit (servers report `length` /
 * `max_tokens`). Answers are short, so this only triggers with deliberately tiny limits.
 */
export function capToMaxTokens(answer: MockAnswer, maxTokens: number | undefined): MockAnswer & { truncated: boolean } {
  if (maxTokens === undefined || maxTokens <= 0 || answer.usage.outputTokens <= maxTokens) {
    return { ...answer, truncated: false };
  }
  return {
    ...answer,
    text: answer.text.slice(0, maxTokens * CHARS_PER_TOKEN),
    usage: { inputTokens: answer.usage.inputTokens, outputTokens: maxTokens },
    truncated: true,
  };
}
