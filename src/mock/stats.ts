/**
 * What the mock server saw: tests prove "only missing items were requested" with
 * `requestCountsByPrompt` and "the budget held" with `spendUsd`.
 */
import type { MockBehaviour } from './options.js';

export interface MockTokenTotals {
  /** All input tokens of successful responses, including cache reads and writes (like our `Usage`). */
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

export interface MockStats {
  /** API requests received (admin `/__mock/*` calls are not counted). */
  requests: number;
  /**
   * By HTTP status (`"200"`, `"429"`, …; a `garbage` or `truncated` fault counts as the 200 it sent),
   * plus `"reset"` and `"hang"` for injected no-responses and `"aborted"` when the client left before
   * the answer was ready.
   */
  byStatus: Record<string, number>;
  /** By URL path without the query string. */
  byPath: Record<string, number>;
  /** Requests being handled right now (arrival to response end; a hang counts until the client leaves). */
  inFlight: number;
  maxInFlight: number;
  /** Attempts per distinct prompt; key = text of the last user message. Empty when `trackPrompts` is off. */
  requestCountsByPrompt: Record<string, number>;
  /** Successful (200, well-formed) responses per prompt. */
  successesByPrompt: Record<string, number>;
  tokens: MockTokenTotals;
  /** Successful responses priced at the `price*PerMTok` options. */
  spendUsd: number;
  /** 429s caused by the rpm/tpm limits (injected 429 faults are not counted here). */
  rateLimited: number;
  /** Injected faults by kind (random `failRate` faults, markers, flaky and fail-first attempts). */
  faults: Record<string, number>;
  /** Epoch ms of the first and last API request; null before any. */
  firstRequestAt: number | null;
  lastRequestAt: number | null;
  /** Batches created through the OpenAI Batch and Anthropic Message Batches endpoints. */
  batchesCreated: number;
}

const MILLION = 1_000_000;

/** Mutable counters behind `MockStats`; maps rather than objects so 50k prompt keys stay cheap. */
export class StatsCollector {
  requests = 0;
  inFlight = 0;
  maxInFlight = 0;
  rateLimited = 0;
  batchesCreated = 0;
  spendUsd = 0;
  firstRequestAt: number | null = null;
  lastRequestAt: number | null = null;
  readonly tokens: MockTokenTotals = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
  private readonly byStatus = new Map<string, number>();
  private readonly byPath = new Map<string, number>();
  private readonly faults = new Map<string, number>();
  private readonly requestsByPrompt = new Map<string, number>();
  private readonly successesByPrompt = new Map<string, number>();

  /** A request arrived. */
  begin(path: string, now: number): void {
    this.requests++;
    this.inFlight++;
    if (this.inFlight > this.maxInFlight) this.maxInFlight = this.inFlight;
    bump(this.byPath, path);
    this.firstRequestAt ??= now;
    this.lastRequestAt = now;
  }

  /** A request ended: an HTTP status, or `reset`/`hang`/`aborted`. Call exactly once per `begin`. */
  end(outcome: number | 'reset' | 'hang' | 'aborted'): void {
    this.inFlight--;
    bump(this.byStatus, String(outcome));
  }

  countPrompt(prompt: string): number {
    return bump(this.requestsByPrompt, prompt);
  }

  countFault(kind: string): void {
    bump(this.faults, kind);
  }

  /** A successful answer: count it and price it (`priceFactor` 0.5 for a batch request, as both providers bill). */
  recordSuccess(prompt: string | undefined, usage: MockTokenTotals, prices: MockBehaviour, priceFactor = 1): void {
    if (prompt !== undefined) bump(this.successesByPrompt, prompt);
    const t = this.tokens;
    t.input += usage.input;
    t.output += usage.output;
    t.cacheRead += usage.cacheRead;
    t.cacheWrite += usage.cacheWrite;
    const uncached = usage.input - usage.cacheRead - usage.cacheWrite;
    const readPrice = prices.priceCacheReadPerMTok ?? prices.priceInputPerMTok * 0.1;
    const writePrice = prices.priceCacheWritePerMTok ?? prices.priceInputPerMTok * 1.25;
    this.spendUsd +=
      (uncached * prices.priceInputPerMTok +
        usage.cacheRead * readPrice +
        usage.cacheWrite * writePrice +
        usage.output * prices.priceOutputPerMTok) *
        priceFactor /
      MILLION;
  }

  snapshot(): MockStats {
    return {
      requests: this.requests,
      byStatus: Object.fromEntries(this.byStatus),
      byPath: Object.fromEntries(this.byPath),
      inFlight: this.inFlight,
      maxInFlight: this.maxInFlight,
      requestCountsByPrompt: Object.fromEntries(this.requestsByPrompt),
      successesByPrompt: Object.fromEntries(this.successesByPrompt),
      tokens: { ...this.tokens },
      spendUsd: this.spendUsd,
      rateLimited: this.rateLimited,
      faults: Object.fromEntries(this.faults),
      firstRequestAt: this.firstRequestAt,
      lastRequestAt: this.lastRequestAt,
      batchesCreated: this.batchesCreated,
    };
  }
}

function bump(map: Map<string, number>, key: string): number {
  const next = (map.get(key) ?? 0) + 1;
  map.set(key, next);
  return next;
}
