import type { ChatRequest } from '../providers/types.js';

/**
 * English text averages about 4 characters per token; 3 over-counts on purpose, so a rate limiter fed
 * this estimate errs on the slow side until actual usage corrects it.
 */
const CHARS_PER_TOKEN = 3;
const TOKENS_PER_MESSAGE = 4;
/** A large image on either provider; the real size is unknown before the provider downloads it. */
const TOKENS_PER_IMAGE = 1600;

/**
 * Input tokens of a request without the tokenizer: for rate limiting, where speed matters and actual
 * usage corrects the charge. The budget and `estimate` use the real tokenizer (`token-estimate.ts`).
 */
export function quickEstimateRequestTokens(request: ChatRequest): number {
  let chars = request.params.schema ? JSON.stringify(request.params.schema.schema).length : 0;
  let images = 0;
  for (const message of request.messages) {
    for (const part of message.content) {
      if (part.type === 'text') chars += part.text.length;
      else images += 1;
    }
  }
  return Math.ceil(chars / CHARS_PER_TOKEN) + request.messages.length * TOKENS_PER_MESSAGE + images * TOKENS_PER_IMAGE;
}
