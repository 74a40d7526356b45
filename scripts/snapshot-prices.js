#!/usr/bin/env node
/**
 * Writes `dist/price-catalogue-snapshot.json` (run by `npm run build`, after tsc): the price catalogue's
 * time-independent answers for the wire providers' model names, so a run reads a small JSON file instead of
 * loading the whole catalogue (`src/cost/catalogue-snapshot.ts` says when the snapshot is used).
 */
import { writeFileSync } from 'node:fs';
import { takeCatalogueSnapshot } from '../dist/cost/genai-prices-lookup.js';
import { SNAPSHOT_URL } from '../dist/cost/catalogue-snapshot.js';

const snapshot = await takeCatalogueSnapshot(['openai', 'anthropic', 'azure']);
writeFileSync(SNAPSHOT_URL, `${JSON.stringify(snapshot)}\n`);
const counts = Object.entries(snapshot.prices).map(([provider, models]) => `${Object.keys(models).length} ${provider}`);
console.log(`snapshot-prices: genai-prices ${snapshot.version}, ${counts.join(', ')} model names`);
