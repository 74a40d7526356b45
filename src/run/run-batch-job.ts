/**
 * `--mode batch`: the same input, template, output files and `--resume` as realtime mode, through the
 * providers' Batch APIs at about half price. Flow: pre-scan → re-attach to the batches an earlier run
 * recorded → render pending items into batches within the provider's limits, each id saved the moment it
 * exists → poll with backoff → write results and dead letters as batches end → summary.
 */
import { openResponseCache } from '../cache/response-cache.js';
import { BudgetLedger } from '../cost/budget-ledger.js';
import { BudgetPacer } from './budget-pacer.js';
import type { ModelPrice } from '../cost/prices.js';
import type { BatchRecord } from '../journal/state-file.js';
import { createBatchClient } from '../providers/batch/create-batch-client.js';
import type { RetryPolicy } from '../providers/batch/retry-call.js';
import type { BatchClient, BatchLimits } from '../providers/batch/types.js';
import type { PromptTemplate } from '../template/types.js';
import type { BatchRunContext } from './batch-context.js';
import { BatchOutcomeWriter } from './batch-outcomes.js';
import { submitPending } from './batch-pass.js';
import { DEFAULT_POLL_INTERVAL, pollUntilDone, type PollInterval } from './batch-poll.js';
import { isBatchPending, TrackedBatch } from './batch-tracked.js';
import type { EventSink, RunSummary } from './events.js';
import type { RunConfig } from './run-config.js';
import type { RunDeps } from './run-job.js';
import type { RunStats } from './run-stats.js';
import { runSkeleton, type ModeRun, type RunSetup } from './run-skeleton.js';
import { sleep as defaultSleep } from './sleep.js';

/** The realtime deps (the provider factory is not used here), plus what only batch mode needs. */
export interface BatchRunDeps extends Omit<RunDeps, 'createProvider'> {
  createProvider?: RunDeps['createProvider'];
  /** Build the Batch API client. @default the provider's, from `config` (base URL, key, timeout) */
  createBatchClient?: (config: RunConfig, retry: RetryPolicy) => BatchClient | Promise<BatchClient>;
  /** Lower per-batch limits than the provider's (tests; or smaller batches that come back sooner). */
  batchLimits?: Partial<BatchLimits>;
  /** @default 5 s growing to 60 s */
  pollIntervalMs?: PollInterval;
  /** Waits between polls and retries; rejects when `signal` aborts. @default a setTimeout sleep */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** Run a batch-mode job end to end. Same contract as `runJob`: throws UsageError before anything is sent. */
export function runBatchJob(config: RunConfig, template: PromptTemplate, deps: BatchRunDeps): Promise<RunSummary> {
  return runSkeleton(config, template, deps, (setup) => startBatch(config, template, deps, setup));
}

/** Batch mode's part: the Batch API client, submitting pending items in batches, polling until they end. */
async function startBatch(config: RunConfig, template: PromptTemplate, deps: BatchRunDeps, setup: RunSetup): Promise<ModeRun> {
  const { price, output, stats, now } = setup;
  const random = deps.random ?? Math.random;
  const sleep = deps.sleep ?? defaultSleep;
  const { emit, control } = deps;
  const ledger = createLedger(config, price, emit);
  const interval = deps.pollIntervalMs ?? DEFAULT_POLL_INTERVAL;
  // Batches settle only when collected: a reservation that does not fit submits what is gathered and
  // collects the batches in flight (their real cost frees most of what they held), then tries again.
  const pacer = ledger
    ? new BudgetPacer(ledger, (ms) => sleep(ms, control.abandonSignal).catch(() => undefined), async () => {
        await ctx.flushChunk();
        await pollUntilDone(ctx, interval);
      })
    : null;
  const retry: RetryPolicy = {
    maxRetries: config.maxRetries,
    maxWaitMs: config.maxWaitMs,
    random,
    now,
    sleep,
    onRetry: ({ operation, attempt, delayMs, info }) =>
      emit({ type: 'warning', message: `${operation}: ${info.message}; retry ${attempt} in ${Math.ceil(delayMs / 1000)} s` }),
  };
  const client = await (deps.createBatchClient ?? defaultBatchClient)(config, retry);
  const cache = config.cacheDir ? openResponseCache(config.cacheDir) : null;
  const ctx: BatchRunContext = {
    config,
    client,
    limits: { ...client.limits, ...deps.batchLimits },
    output,
    stats,
    ledger,
    pacer,
    flushChunk: async () => undefined,
    cache,
    price,
    writer: new BatchOutcomeWriter({
      output,
      stats,
      emit,
      cache,
      ledger: pacer,
      price,
      expectation: { schema: config.params.schema, jsonOutput: config.params.jsonOutput },
      model: config.params.model,
      now,
    }),
    control,
    emit,
    now,
    sleep,
    retry,
    tracked: reattach(output.batches, stats),
  };

  return {
    reservedUsd: () => ledger?.reservedUsd ?? 0,
    // The provider schedules a batch's requests: there is no dispatch of ours to pause.
    paused: () => false,
    async work() {
      await submitPending(ctx, template, deps.stdin);
      await pollUntilDone(ctx, interval);
    },
    async close() {
      await client.close();
      await cache?.close();
    },
    finish() {
      const running = [...ctx.tracked.values()].filter((batch) => batch.pending).length;
      if (running > 0) {
        emit({ type: 'warning', message: `${running} batch${running === 1 ? '' : 'es'} still running at the provider; ${config.resumeCommand} collects the results` });
      }
      return { leftOver: running > 0 };
    },
  };
}

function defaultBatchClient(config: RunConfig, retry: RetryPolicy): BatchClient {
  return createBatchClient({ provider: config.provider, baseUrl: config.baseUrl, apiKey: config.apiKey, api: config.api, azure: config.azure, timeoutMs: config.timeoutMs, retry });
}

/** Every batch an earlier run recorded and did not collect: its items are in flight, never resubmitted. */
function reattach(records: readonly BatchRecord[], stats: RunStats): Map<string, TrackedBatch> {
  const tracked = new Map<string, TrackedBatch>();
  for (const record of records) {
    if (!isBatchPending(record)) continue;
    const batch = TrackedBatch.fromRecord(record);
    tracked.set(batch.id, batch);
    stats.inFlight += record.itemCount;
  }
  return tracked;
}

function createLedger(config: RunConfig, price: ModelPrice | null, emit: EventSink): BudgetLedger | null {
  if (config.budgetUsd === undefined || price === null) return null;
  const budgetUsd = config.budgetUsd;
  return new BudgetLedger({ budgetUsd, onWarning: (fraction, spentUsd) => emit({ type: 'budget-warning', fraction, spentUsd, budgetUsd }) });
}
