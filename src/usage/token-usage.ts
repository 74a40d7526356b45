/**
 * Token counts: one type, one adder, and the one table that names each kind in every place it is stored.
 * A new token kind is one row in `TOKEN_KINDS`: the provider answer (`Usage`), the result record, the run
 * totals, the state file, `status` and the summary all derive their fields from it.
 */

/**
 * Every kind of token a request is billed for. `record` is its field in a results line's `usage` (SPEC §6),
 * `status` its field in `status --json` (both public: never rename); `side` says whether it is counted on
 * the prompt or the answer (a packed request shares the prompt side by each item's share of the prompt).
 */
export const TOKEN_KINDS = {
  /** All input tokens, cache reads and cache writes included. */
  inputTokens: { record: 'input_tokens', status: 'input', side: 'input' },
  /** All output tokens, reasoning tokens included. */
  outputTokens: { record: 'output_tokens', status: 'output', side: 'output' },
  cachedInputTokens: { record: 'cached_input_tokens', status: 'cachedInput', side: 'input' },
  cacheWriteTokens: { record: 'cache_write_tokens', status: 'cacheWrite', side: 'input' },
  reasoningTokens: { record: 'reasoning_tokens', status: 'reasoning', side: 'output' },
} as const;

export type TokenKind = keyof typeof TOKEN_KINDS;

/** The counts the engine carries: in a provider's answer, run totals, the state file's totals. */
export type TokenCounts = { [K in TokenKind]: number };

/** The `usage` object of a results line. */
export type UsageRecord = { [K in TokenKind as (typeof TOKEN_KINDS)[K]['record']]: number };

/** The `tokens` object of `status --json`. */
export type StatusTokens = { [K in TokenKind as (typeof TOKEN_KINDS)[K]['status']]: number };

export const TOKEN_KIND_NAMES = Object.keys(TOKEN_KINDS) as TokenKind[];

export function zeroTokens(): TokenCounts {
  return mapTokens(() => 0);
}

/** Builds counts kind by kind. */
export function mapTokens(count: (kind: TokenKind) => number): TokenCounts {
  const counts = {} as TokenCounts;
  for (const kind of TOKEN_KIND_NAMES) counts[kind] = count(kind);
  return counts;
}

/** The one adder: adds `add` into `into` and returns `into`. Only the token kinds are touched. */
export function addTokens<T extends TokenCounts>(into: T, add: TokenCounts): T {
  for (const kind of TOKEN_KIND_NAMES) into[kind] += add[kind];
  return into;
}

/** The token counts of anything that carries them (a `Usage`, run totals), and nothing else. */
export function tokensOf(source: TokenCounts): TokenCounts {
  return mapTokens((kind) => source[kind]);
}

export function toUsageRecord(counts: TokenCounts): UsageRecord {
  return Object.fromEntries(TOKEN_KIND_NAMES.map((kind) => [TOKEN_KINDS[kind].record, counts[kind]])) as UsageRecord;
}

/** Reads a results line's `usage` leniently: a missing or damaged count (an older or torn file) reads as 0. */
export function fromUsageRecord(value: unknown): TokenCounts {
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  return mapTokens((kind) => finiteOr0(record[TOKEN_KINDS[kind].record]));
}

export function toStatusTokens(counts: TokenCounts): StatusTokens {
  return Object.fromEntries(TOKEN_KIND_NAMES.map((kind) => [TOKEN_KINDS[kind].status, counts[kind]])) as StatusTokens;
}

export function fromStatusTokens(tokens: StatusTokens): TokenCounts {
  return mapTokens((kind) => tokens[TOKEN_KINDS[kind].status]);
}

function finiteOr0(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
