import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installedCatalogueVersion, priceFromSnapshot, type CatalogueSnapshot } from '../../src/cost/catalogue-snapshot.js';
import { lookupGenaiPrice, takeCatalogueSnapshot } from '../../src/cost/genai-prices-lookup.js';
import { ROOT } from '../helpers/cli.js';

const snapshot: CatalogueSnapshot = {
  version: '0.0.0',
  apiPatterns: [
    ['openai', 'https://api\\.openai\\.com'],
    ['openrouter', 'https://openrouter\\.ai'],
  ],
  prices: { openai: { 'gpt-4o-mini': { input: 0.15, output: 0.6, cachedInput: 0.075 } } },
};

describe('priceFromSnapshot', () => {
  it('answers for an exact name of the wire provider, whatever its case, with no base URL or an unlisted one', () => {
    expect(priceFromSnapshot(snapshot, 'openai', 'gpt-4o-mini')).toEqual({ input: 0.15, output: 0.6, cachedInput: 0.075 });
    expect(priceFromSnapshot(snapshot, 'openai', ' GPT-4o-Mini ')?.input).toBe(0.15);
    expect(priceFromSnapshot(snapshot, 'openai', 'gpt-4o-mini', 'http://127.0.0.1:8787/v1')?.input).toBe(0.15);
  });

  it("answers for the provider's own API URL, which the catalogue matches to the same provider", () => {
    expect(priceFromSnapshot(snapshot, 'openai', 'gpt-4o-mini', 'https://api.openai.com/v1')?.input).toBe(0.15);
  });

  it("leaves a gateway's URL, a name it does not hold and another provider to the catalogue", () => {
    expect(priceFromSnapshot(snapshot, 'openai', 'gpt-4o-mini', 'https://openrouter.ai/api/v1')).toBeUndefined();
    expect(priceFromSnapshot(snapshot, 'openai', 'gpt-4o-mini-2024-07-18')).toBeUndefined();
    expect(priceFromSnapshot(snapshot, 'anthropic', 'gpt-4o-mini')).toBeUndefined();
  });
});

describe('takeCatalogueSnapshot', () => {
  it("holds the catalogue's own answer for every name, and leaves out prices that change with the date", async () => {
    const taken = await takeCatalogueSnapshot(['openai', 'anthropic']);
    expect(taken.version).toBe(installedCatalogueVersion());
    expect(Object.keys(taken.prices.openai ?? {}).length).toBeGreaterThan(50);
    expect(taken.prices.openai?.['gpt-4o-mini']).toEqual(lookupGenaiPrice('openai', 'gpt-4o-mini'));
    expect(taken.prices.anthropic?.['claude-haiku-4-5']).toEqual(lookupGenaiPrice('anthropic', 'claude-haiku-4-5'));
    // o3's price changed on a date (a conditional price): the catalogue decides it at run time.
    expect(lookupGenaiPrice('openai', 'o3')).not.toBeNull();
    expect(taken.prices.openai?.['o3']).toBeUndefined();
    for (const [provider, models] of Object.entries(taken.prices)) {
      for (const [name, entry] of Object.entries(models)) {
        expect(entry, `${provider} ${name}`).toEqual(lookupGenaiPrice(provider as 'openai', name));
      }
    }
    expect(taken.apiPatterns.some(([id]) => id === 'openrouter')).toBe(true);
  });

  it('is written by the build from the installed catalogue version', () => {
    const built = JSON.parse(readFileSync(join(ROOT, 'dist/price-catalogue-snapshot.json'), 'utf8')) as CatalogueSnapshot;
    expect(built.version).toBe(installedCatalogueVersion());
    expect(built.prices.openai?.['gpt-4o-mini']).toEqual(lookupGenaiPrice('openai', 'gpt-4o-mini'));
  });
});
