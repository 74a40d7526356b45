/**
 * How big a packed request may get. The input side must stay inside every model's context window and
 * the output side inside every model's output ceiling, since a pack that is too large fails as a whole.
 */

/** Input tokens per packed request: well inside the smallest current context window (128k, gpt-4o-mini). */
export const PACK_INPUT_TOKEN_BUDGET = 100_000;
/** Output tokens per packed request: gpt-4o(-mini)'s ceiling (16,384), the smallest among current models. */
export const PACK_OUTPUT_TOKEN_CAP = 16_384;
/** An item's answer allowance without --max-tokens: what an Anthropic request gets by default (SPEC §5). */
export const DEFAULT_ITEM_OUTPUT_TOKENS = 1024;

export interface PackSize {
  /** Items per request actually used. */
  size: number;
  /** Output tokens allowed per item's answer. */
  itemOutputTokens: number;
  /** Set when `size` is below what was asked for, and why. */
  reducedBecause?: string;
}

/** Items per request: the asked-for size, unless their answers could not fit one request's output. */
export function choosePackSize(requested: number, maxTokens: number | undefined, outputCap = PACK_OUTPUT_TOKEN_CAP): PackSize {
  const itemOutputTokens = maxTokens ?? DEFAULT_ITEM_OUTPUT_TOKENS;
  const fits = Math.max(1, Math.floor(outputCap / itemOutputTokens));
  if (requested <= fits) return { size: requested, itemOutputTokens };
  const allowance = maxTokens === undefined ? `the default ${itemOutputTokens}` : `--max-tokens ${itemOutputTokens}`;
  return {
    size: fits,
    itemOutputTokens,
    reducedBecause: `--pack ${requested}: with ${allowance} output tokens per item, at most ${fits} answers fit one request's ${outputCap}-token output limit; packing ${fits} per request (lower --max-tokens to pack more)`,
  };
}

export interface GroupCandidate<T> {
  value: T;
  /** Identical for items whose messages before their own are identical: only those can share a request. */
  prefixKey: string;
  /** Estimated input tokens of the shared prefix. */
  prefixTokens: number;
  /** Estimated input tokens of the item's own message. */
  tokens: number;
}

/**
 * Split a batch of items into requests, keeping input order within each: items share a request only
 * when they share a prefix, and a request's estimated input stays within `budget`. An item too large
 * for the budget on its own ends up alone (it is then sent as an ordinary single request).
 */
export function groupForRequests<T>(candidates: ReadonlyArray<GroupCandidate<T>>, budget = PACK_INPUT_TOKEN_BUDGET): T[][] {
  const groups: T[][] = [];
  const open = new Map<string, { members: T[]; tokens: number }>();
  for (const candidate of candidates) {
    const current = open.get(candidate.prefixKey);
    if (current && current.tokens + candidate.tokens <= budget) {
      current.members.push(candidate.value);
      current.tokens += candidate.tokens;
      continue;
    }
    const next = { members: [candidate.value], tokens: candidate.prefixTokens + candidate.tokens };
    groups.push(next.members);
    open.set(candidate.prefixKey, next);
  }
  return groups;
}
