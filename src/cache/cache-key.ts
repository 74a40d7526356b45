/** The response cache key (SPEC §11): what was asked, of whom — never who asked (no API key). */

import { createHash } from 'node:crypto';
import type { ChatRequest, ProviderId } from '../providers/types.js';
import { stringifyCanonical } from './canonical-json.js';

/**
 * Bumped when the key's ingredients or the stored value's shape change, so old entries simply miss
 * instead of being misread.
 */
export const CACHE_KEY_VERSION = 1;

/** Everything that decides the answer. Deliberately has no room for credentials. */
export interface CacheKeyInput {
  provider: ProviderId;
  /** The endpoint: a gateway or local server can answer differently from the vendor for the same model. */
  baseUrl: string;
  /** Model, messages and every parameter (temperature, maxTokens, schema, extra params, jsonOutput). */
  request: ChatRequest;
}

/**
 * sha256 (hex) of the canonical JSON of provider, base URL and the whole request. The request is hashed
 * whole rather than field by field so a parameter added later cannot be forgotten in the key.
 */
export function computeCacheKey(input: CacheKeyInput): string {
  // The canonical JSON of { v, provider, baseUrl, messages, params }, its keys in sorted order, written in
  // parts: every request of a run shares one params object, which is written once (requests are never
  // changed in place; a changed one is a new object).
  const material =
    `{"baseUrl":${JSON.stringify(normalizeBaseUrl(input.baseUrl))},"messages":${stringifyCanonical(input.request.messages)}` +
    `,"params":${canonicalParams(input.request.params)},"provider":${JSON.stringify(input.provider)},"v":${CACHE_KEY_VERSION}}`;
  return createHash('sha256').update(material).digest('hex');
}

const writtenParams = new WeakMap<ChatRequest['params'], string>();

function canonicalParams(params: ChatRequest['params']): string {
  let written = writtenParams.get(params);
  if (written === undefined) {
    written = stringifyCanonical(params);
    writtenParams.set(params, written);
  }
  return written;
}

/** `https://api.openai.com/v1/` and `https://api.openai.com/v1` are the same endpoint. */
export function normalizeBaseUrl(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}
