/**
 * Turns batch answers into journal records: results at batch prices, dead letters, the cache, the
 * budget, the stats and the item events. Every item of a batch ends here exactly once.
 */
import { requestHashOfKey } from '../journal/request-hash.js';
import { toResultRecord } from '../journal/result-record.js';
import type { ResponseCache } from '../cache/response-cache.js';
import type { BudgetPacer } from './budget-pacer.js';
import { costOfUsage } from '../cost/cost-of-usage.js';
import type { ModelPrice } from '../cost/prices.js';
import type { FailureInfo } from '../journal/records.js';
import { RefusalError } from '../providers/invalid-output-error.js';
import type { Completion } from '../providers/types.js';
import { validateOutput, type OutputExpectation } from '../providers/validate-output.js';
import type { BatchEntry } from './batch-tracked.js';
import type { EventSink } from './events.js';
import type { RunOutput } from './run-output.js';
import type { RunStats } from './run-stats.js';

export interface BatchOutcomeWriterOptions {
  output: Pick<RunOutput, 'writeResult' | 'writeFailure' | 'isDone'>;
  stats: RunStats;
  emit: EventSink;
  cache: Pick<ResponseCache, 'put'> | null;
  /** Where reservations are settled at the real cost (with the answer's output tokens) or given back. */
  ledger: Pick<BudgetPacer, 'settle' | 'release'> | null;
  price: ModelPrice | null;
  expectation: OutputExpectation;
  /** The model asked for, when an answer does not name one. */
  model: string;
  now: () => number;
}

type Source = 'api' | 'cache' | 'dedup';

export class BatchOutcomeWriter {
  constructor(private readonly options: BatchOutcomeWriterOptions) {}

  /** A batch answer for `entry` (and its followers); `submittedAt` gives the latency. */
  succeed(entry: BatchEntry, answer: Completion, submittedAt: number): void {
    const { stats, price, ledger, cache, now } = this.options;
    const completion = answer.model === '' ? { ...answer, model: this.options.model } : answer;
    const costUsd = price ? costOfUsage(completion.usage, price, 'batch') : null;
    if (entry.reservation) ledger?.settle(entry.reservation, costUsd ?? entry.reservation.usd, completion.usage.outputTokens);
    const check = validateOutput(completion, this.options.expectation);
    if (!check.ok) {
      // The answer was paid for even though it is unusable.
      stats.addUsage(completion.usage, costUsd);
      const info: FailureInfo =
        check.error instanceof RefusalError
          ? { class: 'refusal', code: 'refusal', message: check.error.message }
          : { class: 'invalid_output', code: check.error.reason, message: check.error.message };
      this.fail({ ...entry, reservation: undefined }, info);
      return;
    }
    if (entry.cacheKey !== undefined) cache?.put(entry.cacheKey, { completion, storedAt: now() });
    const latencyMs = Math.max(0, now() - submittedAt);
    const requestHash = entry.cacheKey === undefined ? undefined : requestHashOfKey(entry.cacheKey);
    this.#write(entry.itemId, completion, check.parsed, 'api', { costUsd, attempts: 1, latencyMs }, requestHash);
    for (const follower of entry.followers) this.#write(follower, completion, check.parsed, 'dedup', { costUsd: 0, attempts: 0, latencyMs: 0 }, requestHash);
  }

  /** A dead letter for `entry` and its followers; its budget reservation is given back (nothing was billed). */
  fail(entry: BatchEntry, info: FailureInfo): void {
    if (entry.reservation) this.options.ledger?.release(entry.reservation);
    for (const id of [entry.itemId, ...entry.followers]) this.deadLetter(id, info, 1);
  }

  /** An item answered from the response cache: never submitted, costs nothing. */
  fromCache(itemId: string, completion: Completion, cacheKey: string): void {
    const check = validateOutput(completion, this.options.expectation);
    this.#write(itemId, completion, check.ok ? check.parsed : undefined, 'cache', { costUsd: 0, attempts: 0, latencyMs: 0 }, requestHashOfKey(cacheKey));
  }

  deadLetter(id: string, info: FailureInfo, attempts: number): void {
    const { output, stats, emit, now } = this.options;
    // A batch collected partly before a crash is read again on resume: what is written stays written.
    if (output.isDone(id)) return;
    output.writeFailure({ id, error: info, attempts, ts: new Date(now()).toISOString() });
    stats.recordFailure(info.class);
    emit({ type: 'item-failed', id, errorClass: info.class, status: info.status, message: info.message, attempts });
  }

  #write(
    id: string,
    completion: Completion,
    parsed: unknown,
    source: Source,
    paid: { costUsd: number | null; attempts: number; latencyMs: number },
    requestHash: string | undefined,
  ): void {
    const { output, stats, emit, now } = this.options;
    if (output.isDone(id)) return;
    const { usage } = completion;
    const record = toResultRecord({
      id,
      requestHash,
      output: completion.text,
      parsed,
      model: completion.model,
      usage,
      costUsd: paid.costUsd,
      attempts: paid.attempts,
      latencyMs: paid.latencyMs,
      cached: source !== 'api',
      finishReason: completion.finishReason,
      mode: 'batch',
      ts: new Date(now()).toISOString(),
    });
    output.writeResult(record);
    stats.recordSuccess(source === 'api' ? usage : null, record.cost_usd, source);
    emit({ type: 'item-succeeded', id, cached: record.cached, costUsd: record.cost_usd, latencyMs: record.latency_ms, attempts: paid.attempts });
  }
}
