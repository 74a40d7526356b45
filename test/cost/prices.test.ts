import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parsePriceFile } from '../../src/cost/price-file.js';
import { resolvePrice } from '../../src/cost/prices.js';

describe('resolvePrice from the shipped tables', () => {
  it.each([
    // provider, model, input, output, cached input, cache write
    ['openai', 'gpt-4o-mini', 0.15, 0.6, 0.075, 0.15],
    ['anthropic', 'claude-haiku-4-5', 1, 5, 0.1, 1.25],
    ['anthropic', 'claude-sonnet-4-5', 3, 15, 0.3, 3.75],
    ['mock', 'mock', 0.15, 0.6, 0.075, 0.15],
  ] as const)('%s %s → %s / %s / %s / %s per 1M', (provider, model, input, output, cached, write) => {
    const price = resolvePrice(provider, model);
    expect(price).toMatchObject({
      inputPerMTok: input,
      outputPerMTok: output,
      cachedInputPerMTok: cached,
      cacheWritePerMTok: write,
      batchDiscount: 0.5,
    });
  });

  it('names its source', () => {
    expect(resolvePrice('openai', 'gpt-4o-mini')?.source).toBe('genai-prices');
    expect(resolvePrice('mock', 'mock')?.source).toBe('builtin');
  });

  it('takes the base tier of a tiered price (Sonnet above 200k input tokens costs more)', () => {
    expect(resolvePrice('anthropic', 'claude-sonnet-4-5')?.inputPerMTok).toBe(3);
  });

  it('resolves a dated model id', () => {
    expect(resolvePrice('anthropic', 'claude-sonnet-4-5-20250929')?.inputPerMTok).toBe(3);
  });

  it('finds a gateway model under any provider when the wire provider does not know it', () => {
    const price = resolvePrice('openai', 'deepseek-chat');
    expect(price?.source).toBe('genai-prices');
    expect(price?.inputPerMTok).toBeGreaterThan(0);
    expect(price?.outputPerMTok).toBeGreaterThan(price?.inputPerMTok ?? 0);
  });

  it("uses a gateway's own list when the base URL identifies it", () => {
    const price = resolvePrice('openai', 'anthropic/claude-sonnet-4.5', {}, 'https://openrouter.ai/api/v1');
    expect(price).toMatchObject({ inputPerMTok: 3, outputPerMTok: 15 });
  });

  it('returns null for an unknown model', () => {
    expect(resolvePrice('openai', 'no-such-model-xyz')).toBeNull();
    expect(resolvePrice('openai', 'llama3.1:8b', {}, 'http://localhost:11434/v1')).toBeNull();
  });
});

describe('resolvePrice with a price file and flags', () => {
  const priceFile = parsePriceFile(
    JSON.stringify({
      'gpt-4o-mini': { input: 0.1, output: 0.4 },
      'house-model': { input: 2, output: 8, cached_input: 0.5 },
      'claude-haiku-4-5': { input: 0.8, output: 4 },
    }),
    'prices.json',
  );

  it.each([
    // provider, model, overrides, expected subset
    ['openai', 'gpt-4o-mini', { priceFile }, { inputPerMTok: 0.1, outputPerMTok: 0.4, source: 'price-file' }],
    // a missing cached price means no discount; a missing cache-write price is input for OpenAI…
    ['openai', 'gpt-4o-mini', { priceFile }, { cachedInputPerMTok: 0.1, cacheWritePerMTok: 0.1 }],
    // …and 1.25 × input for Anthropic
    ['anthropic', 'claude-haiku-4-5', { priceFile }, { cachedInputPerMTok: 0.8, cacheWritePerMTok: 1 }],
    ['openai', 'house-model', { priceFile }, { inputPerMTok: 2, cachedInputPerMTok: 0.5, source: 'price-file' }],
    // flags beat the file, part by part
    ['openai', 'gpt-4o-mini', { priceFile, flags: { input: 0.05 } }, { inputPerMTok: 0.05, outputPerMTok: 0.4, source: 'flags' }],
    // flags beat the catalogue; parts not given come from it
    ['openai', 'gpt-4o-mini', { flags: { output: 1 } }, { inputPerMTok: 0.15, outputPerMTok: 1, cachedInputPerMTok: 0.075 }],
    ['openai', 'gpt-4o-mini', { flags: { cachedInput: 0 } }, { inputPerMTok: 0.15, cachedInputPerMTok: 0, source: 'flags' }],
    // flags alone price an unknown model when both input and output are given
    ['openai', 'local-llm', { flags: { input: 0, output: 0 } }, { inputPerMTok: 0, outputPerMTok: 0, cachedInputPerMTok: 0, source: 'flags' }],
    ['anthropic', 'new-claude', { flags: { input: 4, output: 20 } }, { cacheWritePerMTok: 5, batchDiscount: 0.5 }],
  ] as const)('%s %s with %j', (provider, model, overrides, expected) => {
    expect(resolvePrice(provider, model, overrides)).toMatchObject(expected);
  });

  it('a price file entry for an unknown model needs no catalogue', () => {
    expect(resolvePrice('openai', 'house-model', { priceFile })?.outputPerMTok).toBe(8);
  });

  it.each([
    [{ input: 1 }, '--price-output'],
    [{ output: 1 }, '--price-input'],
    [{ cachedInput: 1 }, '--price-input and --price-output'],
  ])('refuses partial flags %j for a model without a table entry', (flags, missing) => {
    expect(() => resolvePrice('openai', 'unknown-model', { flags })).toThrow(UsageError);
    expect(() => resolvePrice('openai', 'unknown-model', { flags })).toThrow(missing);
  });

  it.each([[-1], [Number.NaN], [Number.POSITIVE_INFINITY]])('refuses a flag of %s', (value) => {
    expect(() => resolvePrice('openai', 'gpt-4o-mini', { flags: { input: value } })).toThrow(/--price-input/);
  });
});
