/** What every step of a batch-mode run shares, built once by `run-batch-job.ts`. */
import type { ResponseCache } from '../cache/response-cache.js';
import type { BudgetLedger } from '../cost/budget-ledger.js';
import type { BudgetPacer } from './budget-pacer.js';
import type { ModelPrice } from '../cost/prices.js';
import type { RetryPolicy } from '../providers/batch/retry-call.js';
import type { BatchClient, BatchLimits } from '../providers/batch/types.js';
import type { BatchOutcomeWriter } from './batch-outcomes.js';
import type { TrackedBatch } from './batch-tracked.js';
import type { EventSink } from './events.js';
import type { RunConfig } from './run-config.js';
import type { RunControl } from './run-control.js';
import type { RunOutput } from './run-output.js';
import type { RunStats } from './run-stats.js';

export interface BatchRunContext {
  config: RunConfig;
  client: BatchClient;
  /** The client's limits, possibly lowered by the caller. */
  limits: BatchLimits;
  output: RunOutput;
  stats: RunStats;
  ledger: BudgetLedger | null;
  /**
   * Reserves from the ledger so the budget is used (README "Cost and budget"): when an item does not fit,
   * the chunk being filled is submitted and the batches in flight are collected, settling their
   * reservations at their real cost, before it is tried again. Every reservation goes through it.
   */
  pacer: BudgetPacer | null;
  /** Submits the chunk the pass is filling (set by the pass; the pacer calls it before collecting). */
  flushChunk: () => Promise<void>;
  cache: Pick<ResponseCache, 'get' | 'put'> | null;
  price: ModelPrice | null;
  writer: BatchOutcomeWriter;
  control: RunControl;
  emit: EventSink;
  now: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  retry: RetryPolicy;
  /** Every batch of this run, re-attached or new, by id. */
  tracked: Map<string, TrackedBatch>;
}
