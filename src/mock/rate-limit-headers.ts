/** Rate-limit response headers in each provider's own format (only for limits that are configured). */
import type { LimitState } from './rate-limits.js';

/** OpenAI writes durations like Go: `12ms`, `1s`, `7.66s`, `6m0s`, `1h2m3s`. */
export function formatGoDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms));
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = (total % 60_000) / 1000;
  const sec = `${Number(seconds.toFixed(3))}s`;
  if (hours > 0) return `${hours}h${minutes}m${sec}`;
  if (minutes > 0) return `${minutes}m${sec}`;
  return sec;
}

/** Anthropic's reset headers are RFC 3339 instants, to the second (rounded up so "retry at" is safe). */
export function formatRfc3339(epochMs: number): string {
  return new Date(Math.ceil(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`; OpenAI has no separate input/output limits. */
export function openaiRateLimitHeaders(limits: readonly LimitState[], headers: Record<string, string>): void {
  for (const l of limits) {
    if (l.name !== 'requests' && l.name !== 'tokens') continue;
    headers[`x-ratelimit-limit-${l.name}`] = String(l.limit);
    headers[`x-ratelimit-remaining-${l.name}`] = String(l.remaining);
    headers[`x-ratelimit-reset-${l.name}`] = formatGoDuration(l.resetMs);
  }
}

/** `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}`. */
export function anthropicRateLimitHeaders(limits: readonly LimitState[], now: number, headers: Record<string, string>): void {
  for (const l of limits) {
    headers[`anthropic-ratelimit-${l.name}-limit`] = String(l.limit);
    headers[`anthropic-ratelimit-${l.name}-remaining`] = String(l.remaining);
    headers[`anthropic-ratelimit-${l.name}-reset`] = formatRfc3339(now + l.resetMs);
  }
}

/** `retry-after` in whole seconds, at least 1 (both providers), plus OpenAI's precise `retry-after-ms`. */
export function setRetryAfter(headers: Record<string, string | number>, waitMs: number, withMs: boolean): void {
  headers['retry-after'] = Math.max(1, Math.ceil(waitMs / 1000));
  if (withMs) headers['retry-after-ms'] = Math.max(1, Math.ceil(waitMs));
}
