/**
 * The price catalogue's answers for plain model names, worked out at build time (`scripts/snapshot-prices.js`)
 * and read as JSON at run time. Loading `@pydantic/genai-prices` itself builds its whole catalogue as
 * objects, about 70 ms of every run's start-up (issue 13), to look up one price. The snapshot holds only
 * what the catalogue answers the same at every moment: models without date or time-of-day price variants,
 * asked by exact name of a wire provider, through no gateway. Anything else asks the catalogue.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PriceEntry } from './price-table.js';

export interface CatalogueSnapshot {
  /** The `@pydantic/genai-prices` version it was taken from; another installed version is not trusted. */
  version: string;
  /**
   * Every provider's id and `api_pattern`, in the catalogue's order: the catalogue prices a base URL's
   * requests by the first provider whose pattern matches it (a gateway with its own list).
   */
  apiPatterns: Array<[providerId: string, pattern: string]>;
  /** provider id → lower-case model name → price. */
  prices: Record<string, Record<string, PriceEntry>>;
}

/**
 * Where the build writes the snapshot: `dist/price-catalogue-snapshot.json`. Both the compiled module
 * (`dist/cost/`) and the CLI bundle (`dist/cli-bundle/`) sit one folder below `dist`.
 */
export const SNAPSHOT_URL = new URL('../price-catalogue-snapshot.json', import.meta.url);

/**
 * The snapshot's price for a model, or undefined when the snapshot cannot answer for the catalogue: the
 * name is not in it, or the base URL belongs to another provider (a gateway), whose list comes first.
 */
export function priceFromSnapshot(snapshot: CatalogueSnapshot, provider: string, model: string, baseUrl?: string): PriceEntry | undefined {
  if (baseUrl !== undefined) {
    const urlOwner = snapshot.apiPatterns.find(([, pattern]) => new RegExp(`^(?:${pattern})`).test(baseUrl));
    if (urlOwner !== undefined && urlOwner[0] !== provider) return undefined;
  }
  return snapshot.prices[provider]?.[model.toLowerCase().trim()];
}

let loaded: CatalogueSnapshot | null | undefined;

/** The build's snapshot, or null when there is none or it was taken from another catalogue version. */
export function loadCatalogueSnapshot(): CatalogueSnapshot | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  try {
    const snapshot = JSON.parse(readFileSync(SNAPSHOT_URL, 'utf8')) as CatalogueSnapshot;
    if (snapshot.version === installedCatalogueVersion()) loaded = snapshot;
  } catch {
    // No snapshot (tests run the sources; a build that skipped it): the catalogue answers.
  }
  return loaded;
}

/** The installed `@pydantic/genai-prices` version (its `exports` hide `package.json`, so found beside its entry). */
export function installedCatalogueVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@pydantic/genai-prices');
  const manifest = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}
