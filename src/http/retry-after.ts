/**
 * The server's advice on when to try again, as the OpenAI and Anthropic SDKs read it: `retry-after-ms`
 * (milliseconds, OpenAI/Azure) wins over `retry-after` (seconds, possibly fractional, or an HTTP date).
 */

const NUMBER = /^\s*-?\d+(\.\d+)?\s*$/;

/** Milliseconds to wait from `nowMs`, or `undefined` when no usable header is present. Never negative. */
export function parseRetryAfter(headers: Record<string, string>, nowMs: number): number | undefined {
  const ms = readNumber(findHeader(headers, 'retry-after-ms'));
  if (ms !== undefined) return clamp(ms);

  const value = findHeader(headers, 'retry-after');
  if (value === undefined) return undefined;
  const seconds = readNumber(value);
  if (seconds !== undefined) return clamp(seconds * 1000);

  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : clamp(date - nowMs);
}

function readNumber(value: string | undefined): number | undefined {
  if (value === undefined || !NUMBER.test(value)) return undefined;
  return Number(value);
}

// Round up: waking a few ms early would earn another 429.
function clamp(ms: number): number {
  return ms <= 0 ? 0 : Math.ceil(ms);
}

/** Our client lowercases header names, but headers from elsewhere (tests, batch APIs) may not be. */
function findHeader(headers: Record<string, string>, name: string): string | undefined {
  if (name in headers) return headers[name];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}
