/**
 * Pure parsers for the rate-limit headers providers send with every response (SPEC §9).
 *
 * OpenAI:    x-ratelimit-{limit,remaining,reset}-{requests,tokens}; resets are Go durations (`6m0s`, `12ms`).
 * Anthropic: anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset};
 *            resets are RFC 3339 times.
 */

/** One limit as the provider reported it. */
export interface RateLimitWindow {
  /** Most requests or tokens per window (per minute for the limits we pace by). */
  limit: number;
  remaining?: number;
  /** Time until the window is fully replenished. */
  resetMs?: number;
}

/** Everything one response said about our limits. */
export interface RateLimitSnapshot {
  /** Which header family it came from. */
  source: 'openai' | 'anthropic';
  requests?: RateLimitWindow;
  /** OpenAI: all tokens. Anthropic: the most restrictive token limit currently in effect. */
  tokens?: RateLimitWindow;
  /** Anthropic only: input tokens per minute (ITPM). */
  inputTokens?: RateLimitWindow;
  /** Anthropic only: output tokens per minute (OTPM). */
  outputTokens?: RateLimitWindow;
}

const MS_PER_UNIT: Record<string, number> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 0.001,
  µs: 0.001,
  μs: 0.001,
  ns: 0.000001,
};
const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(h|ms|m|s|us|µs|μs|ns)/y;
const PLAIN_NUMBER = /^\d+(?:\.\d+)?$/;

/**
 * A Go `time.Duration` string in milliseconds: `6m0s`, `1s`, `12ms`, `1m30.5s`, `0s`, `1h2m3s`, `500us`.
 * A bare number is read as seconds, as some OpenAI-compatible servers send. Undefined when unreadable.
 */
export function parseGoDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (PLAIN_NUMBER.test(trimmed)) return Number(trimmed) * 1000;
  DURATION_PART.lastIndex = 0;
  let total = 0;
  while (DURATION_PART.lastIndex < trimmed.length) {
    const start = DURATION_PART.lastIndex;
    const match = DURATION_PART.exec(trimmed);
    if (match === null || match.index !== start) return undefined;
    total += Number(match[1]) * MS_PER_UNIT[match[2]];
  }
  return total;
}

/**
 * Milliseconds from `now` until an RFC 3339 time (never negative). Falls back to a Go duration or seconds,
 * which some gateways send under the same header name.
 */
export function parseResetTime(text: string, now: number): number | undefined {
  const trimmed = text.trim();
  if (/^\d{4}-\d{2}-\d{2}T/.test(trimmed)) {
    const at = Date.parse(trimmed);
    return Number.isNaN(at) ? undefined : Math.max(0, at - now);
  }
  return parseGoDuration(trimmed);
}

/** Lower-cases header names once, so lookups do not depend on how a client spelled them. */
export function normalizeHeaders(headers: Record<string, string>): Record<string, string> {
  const normalized: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) normalized[name.toLowerCase()] = value;
  return normalized;
}

/** OpenAI's `x-ratelimit-*` headers; undefined when there are none. Expects lower-case names. */
export function parseOpenAiRateLimits(headers: Record<string, string>): RateLimitSnapshot | undefined {
  const window = (kind: string) =>
    readWindow(
      headers[`x-ratelimit-limit-${kind}`],
      headers[`x-ratelimit-remaining-${kind}`],
      headers[`x-ratelimit-reset-${kind}`],
      parseGoDuration,
    );
  return snapshotOf('openai', { requests: window('requests'), tokens: window('tokens') });
}

/** Anthropic's `anthropic-ratelimit-*` headers; undefined when there are none. Expects lower-case names. */
export function parseAnthropicRateLimits(headers: Record<string, string>, now: number): RateLimitSnapshot | undefined {
  const window = (kind: string) =>
    readWindow(
      headers[`anthropic-ratelimit-${kind}-limit`],
      headers[`anthropic-ratelimit-${kind}-remaining`],
      headers[`anthropic-ratelimit-${kind}-reset`],
      (text) => parseResetTime(text, now),
    );
  return snapshotOf('anthropic', {
    requests: window('requests'),
    tokens: window('tokens'),
    inputTokens: window('input-tokens'),
    outputTokens: window('output-tokens'),
  });
}

/**
 * Whichever family the headers carry (OpenAI-compatible servers send OpenAI's, whatever the provider),
 * or undefined when the response had no usable rate-limit headers.
 */
export function parseRateLimitHeaders(headers: Record<string, string>, now: number): RateLimitSnapshot | undefined {
  // Runs on every response: a response without such headers should cost a scan of its names, not a copy.
  if (!hasRateLimitHeader(headers)) return undefined;
  const normalized = normalizeHeaders(headers);
  return parseOpenAiRateLimits(normalized) ?? parseAnthropicRateLimits(normalized, now);
}

const RATE_LIMIT_HEADER = /^(?:x-ratelimit-|anthropic-ratelimit-)/i;

function hasRateLimitHeader(headers: Record<string, string>): boolean {
  for (const name in headers) if (RATE_LIMIT_HEADER.test(name)) return true;
  return false;
}

function readWindow(
  limitText: string | undefined,
  remainingText: string | undefined,
  resetText: string | undefined,
  parseReset: (text: string) => number | undefined,
): RateLimitWindow | undefined {
  const limit = parseCount(limitText);
  // A zero limit would mean "never send"; it is a gateway's placeholder, not a limit to pace by.
  if (limit === undefined || limit === 0) return undefined;
  const window: RateLimitWindow = { limit };
  const remaining = parseCount(remainingText);
  if (remaining !== undefined) window.remaining = remaining;
  const resetMs = resetText === undefined ? undefined : parseReset(resetText);
  if (resetMs !== undefined) window.resetMs = resetMs;
  return window;
}

function parseCount(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (!PLAIN_NUMBER.test(trimmed)) return undefined;
  return Number(trimmed);
}

function snapshotOf(
  source: RateLimitSnapshot['source'],
  windows: Omit<RateLimitSnapshot, 'source'>,
): RateLimitSnapshot | undefined {
  const snapshot: RateLimitSnapshot = { source };
  let any = false;
  for (const [key, window] of Object.entries(windows) as [keyof typeof windows, RateLimitWindow | undefined][]) {
    if (window === undefined) continue;
    snapshot[key] = window;
    any = true;
  }
  return any ? snapshot : undefined;
}
