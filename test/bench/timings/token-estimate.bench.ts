/** The real tokenizer's speed on the pre-scan path (src/cost/token-estimate.ts). Printed, not asserted. */
import { describe, expect, it } from 'vitest';
import { estimateInputTokens } from '../../../src/cost/token-estimate.js';
import type { ChatMessage } from '../../../src/template/types.js';

const user = (text: string): ChatMessage => ({ role: 'user', content: [{ type: 'text', text }] });

describe('token estimate', () => {
  it('counts tokens per second (printed, not asserted)', () => {
    const messages = Array.from({ length: 5_000 }, (_, i) =>
      user(`Review ${i}: the headphones arrived after ${i % 30} days; battery ${i % 97} hours, would${i % 2 ? '' : ' not'} buy again.`),
    );
    for (const message of messages.slice(0, 500)) estimateInputTokens([message]);
    const start = performance.now();
    let tokens = 0;
    for (const message of messages) tokens += estimateInputTokens([message]);
    const seconds = (performance.now() - start) / 1000;
    console.log(`[bench] estimateInputTokens: ${Math.round(tokens / seconds)} tokens/s over ${messages.length} messages`);
    expect(tokens).toBeGreaterThan(0);
  });
});
