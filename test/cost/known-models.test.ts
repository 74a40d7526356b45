import { describe, expect, it } from 'vitest';
import { listKnownModels } from '../../src/cost/known-models.js';

describe('listKnownModels', () => {
  const models = listKnownModels();

  it('lists mock first, then OpenAI and Anthropic chat models with complete prices', () => {
    expect(models[0]).toMatchObject({ provider: 'mock', model: 'mock', price: { inputPerMTok: 0.15, source: 'builtin' } });
    expect(models).toContainEqual(
      expect.objectContaining({ provider: 'openai', model: 'gpt-4o-mini', price: expect.objectContaining({ inputPerMTok: 0.15 }) }),
    );
    expect(models).toContainEqual(
      expect.objectContaining({ provider: 'anthropic', model: 'claude-haiku-4-5', price: expect.objectContaining({ outputPerMTok: 5 }) }),
    );
    for (const { price } of models) {
      for (const rate of [price.inputPerMTok, price.outputPerMTok, price.cachedInputPerMTok, price.cacheWritePerMTok]) {
        expect(Number.isFinite(rate) && rate >= 0).toBe(true);
      }
    }
  });

  it('leaves out id patterns and non-chat models', () => {
    const names = models.map((model) => model.model);
    expect(names.some((name) => name.startsWith('ft:') || name.endsWith('-'))).toBe(false);
    expect(names.some((name) => /tts|transcribe|realtime/.test(name))).toBe(false);
  });
});
