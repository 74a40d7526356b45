/**
 * OpenAI's flex tier as the mock plays it: a flex request may find no capacity and get 429 "Resource
 * Unavailable" (not billed, not a rate limit). `[[flex-unavailable:N]]` in a prompt scripts the first N
 * flex attempts of that exact request; `flexUnavailableRate` draws the rest from a seeded RNG.
 */
import { SeededDraws } from './seeded-draws.js';
import type { ApiErrorSpec } from './dialect.js';
import type { MockBehaviour } from './options.js';

const MARKER = /\[\[flex-unavailable:(\d+)\]\]/i;

/** What the mock sends; OpenAI documents the condition as "429 Resource Unavailable". */
export const FLEX_UNAVAILABLE: ApiErrorSpec = {
  kind: 'rate_limit',
  type: 'invalid_request_error',
  code: 'resource_unavailable',
  message: 'Resource Unavailable: there is no flex processing capacity for this request right now. Retry later, or send it on the default service tier.',
};

export class FlexCapacity extends SeededDraws {

  /** True when this flex request gets the 429; `requestKey` identifies the exact request. */
  unavailable(behaviour: MockBehaviour, prompt: string, requestKey: () => string): boolean {
    const marker = prompt.includes('[[') ? MARKER.exec(prompt) : null;
    if (marker) {
      if (this.nextAttempt(requestKey()) <= Number(marker[1])) return true;
    }
    return behaviour.flexUnavailableRate > 0 && this.random() < behaviour.flexUnavailableRate;
  }
}
