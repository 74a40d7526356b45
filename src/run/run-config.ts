import type { InputSource } from '../input/types.js';
import type { RunMode } from '../journal/records.js';
import type { AzureTarget } from '../providers/azure.js';
import type { OpenAiApi } from '../providers/openai-apis.js';
import type { ProviderId, RequestParams } from '../providers/types.js';

/** What to do with a row that cannot be processed (malformed, missing variable, bad id). */
export type BadItemPolicy = 'fail' | 'skip';

/**
 * A run, fully resolved at the boundary (defaults → env → template front matter → flags).
 * Nothing below `cli/` reads flags or the environment; everything it needs is here.
 */
export interface RunConfig {
  input: InputSource;
  /** Results JSONL path, or `-` for stdout. */
  output: string;
  resume: boolean;
  overwrite: boolean;
  /** With --resume: also change fingerprint (template, model, params) without refusing. */
  force: boolean;
  /** With --resume: leave items whose latest record is a failure alone. */
  skipFailed: boolean;
  limit?: number;
  shard?: { index: number; count: number };
  /** `--sample n --seed s`: a reproducible random sample of n items (see `input/sample.ts`). */
  sample?: { count: number; seed: string };
  onBadItem: BadItemPolicy;

  template: { file?: string; inline?: string; system?: string; imageField?: string };

  provider: ProviderId;
  baseUrl: string;
  /** The key itself (never logged); undefined for `mock`. */
  apiKey?: string;
  /** OpenAI Chat Completions or the Responses API (realtime and batch). @default 'chat' */
  api?: OpenAiApi;
  /** Azure: the deployment and api-version; `baseUrl` is then the resource endpoint. */
  azure?: Omit<AzureTarget, 'endpoint'>;
  params: RequestParams;

  mode: RunMode;
  /** @default 16 */
  concurrency: number;
  rpm?: number;
  tpm?: number;
  /** @default 6 */
  maxRetries: number;
  /** `--breaker-first` / `--breaker-streak`: stop a run whose items all fail the same way. */
  breaker?: { first: number; streak: number };
  /** Per-request deadline. @default 120_000 */
  timeoutMs: number;
  /** A Retry-After longer than this is fatal. @default 600_000 */
  maxWaitMs: number;

  budgetUsd?: number;
  /**
   * max_tokens sent because `--budget` needs a hard bound and the user set none (see `withOutputCap`).
   * Not in `params`: it is not part of what was asked.
   */
  budgetMaxTokens?: number;
  /** `--budget-key`: share the budget, through `redisUrl`, with every process giving the same name. */
  budgetKey?: string;
  /** `--redis` / `LLM_BATCH_REDIS_URL`: share rate limits (and a keyed budget) across processes (§13). */
  redisUrl?: string;
  prices: { input?: number; output?: number; cachedInput?: number; file?: string };
  /** The model prices are looked up under (`--model-family`, for Azure deployments). @default params.model */
  priceModel?: string;
  /** `--flex-fallback`: after this many flex "resource unavailable" answers, an item is sent on the default tier. */
  flexFallback?: number;

  /** Response cache directory; undefined = --no-cache. */
  cacheDir?: string;
  /** Structured output: retries of an answer that fails validation. @default 2 */
  maxInvalidOutputRetries: number;
  /** `--pack`: items per request (realtime mode only); undefined = one item per request. */
  pack?: number;

  /** The command that continues this run (shown when the run stops early). */
  resumeCommand: string;
}
