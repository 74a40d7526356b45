/**
 * The mock server's behaviour: documented options with defaults, validated once with messages that say
 * what was expected. Everything here can change at runtime (`configure`, `POST /__mock/config`).
 */

/** Random fault kinds: HTTP errors, or broken transport/bodies that a robust client must survive. */
export const FAULT_KINDS = ['429', '500', '502', '503', '529', 'reset', 'garbage', 'truncated', 'hang'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Fixed milliseconds, or uniformly random in [min, max]. */
export type LatencySpec = number | { min: number; max: number };

/** Which faults `failRate` produces: a list (equal weights) or relative weights per kind. */
export type FaultMix = readonly FaultKind[] | Partial<Record<FaultKind, number>>;

export interface MockBehaviour {
  /** Delay before answering (successes and injected faults; auth/validation/limit errors are immediate). @default 0 */
  latencyMs: LatencySpec;
  /** When set, any other key gets 401; when unset, any non-empty key is accepted. */
  apiKey?: string;
  /** Requests per minute, enforced by a continuously refilling token bucket (like OpenAI). */
  rpm?: number;
  /** Tokens (input + output) per minute. */
  tpm?: number;
  /** Input tokens per minute (Anthropic's separate ITPM limit). */
  inputTpm?: number;
  /** Output tokens per minute (Anthropic's separate OTPM limit). */
  outputTpm?: number;
  /** Share of requests (0–1) that get a random fault from `faultMix`. @default 0 */
  failRate: number;
  /** @default every kind, equally */
  faultMix: Partial<Record<FaultKind, number>>;
  /** Retry-After of an injected (random or marker) 429, in ms: a short burst limit by default. @default 300 */
  faultRetryAfterMs: number;
  /** Seeds the fault and latency RNG, so a fault sequence is reproducible. @default 42 */
  seed: number;
  /** Every distinct request fails this many times (500/429 alternately) before it succeeds. @default 0 */
  failFirstAttempts: number;
  /** OpenAI: 429 `insufficient_quota`; Anthropic: 400 "credit balance is too low". @default false */
  quotaExhausted: boolean;
  /** Every request gets 529 `overloaded_error`. @default false */
  overloaded: boolean;
  /** Keep per-prompt counters (turn off for million-item benchmarks). @default true */
  trackPrompts: boolean;
  /** USD per million input tokens, for `stats().spendUsd`. @default 0.15 */
  priceInputPerMTok: number;
  /** @default 0.60 */
  priceOutputPerMTok: number;
  /** @default 10% of the input price (Anthropic's cache-read multiplier) */
  priceCacheReadPerMTok?: number;
  /** @default 125% of the input price (Anthropic's 5-minute cache-write multiplier) */
  priceCacheWritePerMTok?: number;
  /** Shortest prefix Anthropic prompt caching applies to (real models: 1024–4096). @default 0 */
  cacheMinTokens: number;
  /** How long a cached prefix lives after its last use. @default 300000 (Anthropic's 5 minutes) */
  cacheTtlMs: number;
  /** How long a Batch API batch runs before it ends (read when the batch is created). @default 1000 */
  batchCompletionDelayMs: number;
  /** Batches end as expired instead of completed: every request gets an expired result. @default false */
  batchExpire: boolean;
  /** Share of `service_tier: "flex"` requests (0–1) answered 429 "Resource Unavailable". @default 0 */
  flexUnavailableRate: number;
}

/** What `configure` and `POST /__mock/config` accept: `null` unsets an option (back to its default). */
export type MockConfigPatch = {
  [K in keyof MockBehaviour]?: (K extends 'faultMix' ? FaultMix : MockBehaviour[K]) | null;
};

export interface MockServerOptions extends MockConfigPatch {
  /** @default 0 (any free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
}

export const DEFAULT_BEHAVIOUR: Readonly<MockBehaviour> = Object.freeze({
  latencyMs: 0,
  failRate: 0,
  faultMix: Object.fromEntries(FAULT_KINDS.map((k) => [k, 1])),
  seed: 42,
  faultRetryAfterMs: 300,
  failFirstAttempts: 0,
  quotaExhausted: false,
  overloaded: false,
  trackPrompts: true,
  priceInputPerMTok: 0.15,
  priceOutputPerMTok: 0.6,
  cacheMinTokens: 0,
  cacheTtlMs: 300_000,
  batchCompletionDelayMs: 1000,
  batchExpire: false,
  flexUnavailableRate: 0,
});

const OPTIONAL_KEYS = new Set(['apiKey', 'rpm', 'tpm', 'inputTpm', 'outputTpm', 'priceCacheReadPerMTok', 'priceCacheWritePerMTok']);
const ALL_KEYS = new Set([...Object.keys(DEFAULT_BEHAVIOUR), ...OPTIONAL_KEYS]);

/** Apply `patch` over `base` and validate the result. Throws a `TypeError` naming the bad option. */
export function resolveBehaviour(patch: MockConfigPatch, base: MockBehaviour = DEFAULT_BEHAVIOUR): MockBehaviour {
  const next: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (!ALL_KEYS.has(key)) throw new TypeError(`Unknown mock option \`${key}\``);
    if (value === null || value === undefined) {
      if (OPTIONAL_KEYS.has(key)) delete next[key];
      else next[key] = DEFAULT_BEHAVIOUR[key as keyof MockBehaviour];
    } else {
      next[key] = value;
    }
  }
  next.faultMix = normalizeFaultMix(next.faultMix as FaultMix);
  validate(next as unknown as MockBehaviour);
  return next as unknown as MockBehaviour;
}

function normalizeFaultMix(mix: FaultMix): Partial<Record<FaultKind, number>> {
  const entries = Array.isArray(mix) ? mix.map((kind) => [kind, 1] as const) : Object.entries(mix);
  const out: Partial<Record<FaultKind, number>> = {};
  for (const [kind, weight] of entries) {
    if (!(FAULT_KINDS as readonly string[]).includes(kind)) {
      throw new TypeError(`Expected \`faultMix\` kinds from ${FAULT_KINDS.join(', ')}, got \`${kind}\``);
    }
    if (typeof weight !== 'number' || !(weight >= 0)) {
      throw new TypeError(`Expected \`faultMix.${kind}\` to be a weight from 0 and up, got \`${String(weight)}\``);
    }
    out[kind as FaultKind] = (out[kind as FaultKind] ?? 0) + weight;
  }
  return out;
}

function validate(b: MockBehaviour): void {
  validateLatency(b.latencyMs);
  expectNumber('failRate', b.failRate, 0, 1);
  expectNumber('flexUnavailableRate', b.flexUnavailableRate, 0, 1);
  expectNumber('seed', b.seed, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, true);
  expectNumber('failFirstAttempts', b.failFirstAttempts, 0, Number.MAX_SAFE_INTEGER, true);
  for (const key of ['rpm', 'tpm', 'inputTpm', 'outputTpm'] as const) {
    if (b[key] !== undefined) expectNumber(key, b[key], Number.MIN_VALUE, Number.POSITIVE_INFINITY);
  }
  for (const key of ['faultRetryAfterMs', 'priceInputPerMTok', 'priceOutputPerMTok', 'priceCacheReadPerMTok', 'priceCacheWritePerMTok', 'cacheMinTokens', 'cacheTtlMs', 'batchCompletionDelayMs'] as const) {
    if (b[key] !== undefined) expectNumber(key, b[key], 0, Number.POSITIVE_INFINITY);
  }
  for (const key of ['quotaExhausted', 'overloaded', 'trackPrompts', 'batchExpire'] as const) {
    if (typeof b[key] !== 'boolean') throw new TypeError(`Expected \`${key}\` to be a boolean, got \`${String(b[key])}\``);
  }
  if (b.apiKey !== undefined && (typeof b.apiKey !== 'string' || b.apiKey === '')) {
    throw new TypeError(`Expected \`apiKey\` to be a non-empty string, got \`${String(b.apiKey)}\``);
  }
  if (b.failRate > 0 && !Object.values(b.faultMix).some((w) => w > 0)) {
    throw new TypeError('Expected `faultMix` to give at least one kind a weight above 0 when `failRate` is set');
  }
}

function validateLatency(latency: LatencySpec): void {
  if (typeof latency === 'number') return expectNumber('latencyMs', latency, 0, Number.POSITIVE_INFINITY);
  if (typeof latency !== 'object' || latency === null) {
    throw new TypeError(`Expected \`latencyMs\` to be a number or {min, max}, got \`${String(latency)}\``);
  }
  expectNumber('latencyMs.min', latency.min, 0, Number.POSITIVE_INFINITY);
  expectNumber('latencyMs.max', latency.max, latency.min, Number.POSITIVE_INFINITY);
}

function expectNumber(name: string, value: unknown, min: number, max: number, integer = false): void {
  const ok = typeof value === 'number' && value >= min && value <= max && (!integer || Number.isInteger(value));
  if (ok) return;
  const range =
    max !== Number.POSITIVE_INFINITY ? `from ${min} to ${max}` : min === Number.MIN_VALUE ? 'above 0' : `from ${min} and up`;
  throw new TypeError(`Expected \`${name}\` to be ${integer ? 'an integer' : 'a number'} ${range}, got \`${String(value)}\``);
}
