/**
 * `--mode batch`: the same input, template, output files and `--resume` as realtime mode, through the
 * providers' Batch APIs at about half price. Flow: pre-scan → re-attach to the batches an earlier run
 * recorded → render pending items into batches within the provider's limits, each id saved the moment it
 * exists → poll with backoff → write results and dead letters as batches end → summary.
 */
import type { Readable } from 'node:stream';
import { openResponseCache } from '../cache/response-cache.js';
import { BudgetLedger } from '../cost/budget-ledger.js';
import type { ModelPrice } from '../cost/prices.js';
import type { BatchRecord } from '../journal/state-file.js';
import { formatProblems, prescan } from '../input/prescan.js';
import { checkScan } from './scan-checks.js';
import { describeWriteError } from './describe-write-error.js';
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
import { openRunOutput, type RunOutput } from './run-output.js';
import type { RunConfig } from './run-config.js';
import type { RunDeps } from './run-job.js';
import { RunStats } from './run-stats.js';
import { resolveRunPrice } from './resolve-run-price.js';
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
export async function runBatchJob(config: RunConfig, template: PromptTemplate, deps: BatchRunDeps): Promise<RunSummary> {
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const sleep = deps.sleep ?? defaultSleep;
  const { emit, control } = deps;

  const price = await resolveRunPrice(config, emit);
  const output = await openRunOutput(config, template, {
    emit,
    stdout: deps.stdout,
    now,
    onWriteError: (error) => control.stop('output-error', describeWriteError(error)),
  });
  try {
    const scan = await scanInput(config, template, output, emit, deps.stdin);
    await output.begin();

    const stats = new RunStats({
      total: scan?.pending ?? null,
      alreadyDone: scan ? scan.total - scan.pending : output.doneCount,
      budgetUsd: config.budgetUsd ?? null,
      priced: price !== null,
      // What the same tokens would have cost in realtime mode.
      otherModeFactor: price ? 1 / price.batchDiscount : null,
      now,
    });
    const ledger = createLedger(config, price, emit);
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
      cache,
      price,
      writer: new BatchOutcomeWriter({
        output,
        stats,
        emit,
        cache,
        ledger,
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

    emit({
      type: 'run-started',
      total: stats.total,
      alreadyDone: scan ? scan.total - scan.pending : output.doneCount,
      model: config.params.model,
      provider: config.provider,
      mode: 'batch',
      concurrency: config.concurrency,
      budgetUsd: config.budgetUsd ?? null,
      outputPath: output.paths.results,
    });
    const snapshot = () => stats.snapshot({ reservedUsd: ledger?.reservedUsd ?? 0, paused: false });
    const ticker = setInterval(() => emit({ type: 'progress', totals: snapshot() }), deps.progressTickMs ?? 250);
    ticker.unref();
    try {
      await submitPending(ctx, template, deps.stdin);
      await pollUntilDone(ctx, deps.pollIntervalMs ?? DEFAULT_POLL_INTERVAL);
    } finally {
      clearInterval(ticker);
      await client.close();
      await cache?.close();
    }

    const running = [...ctx.tracked.values()].filter((batch) => batch.pending).length;
    const totals = snapshot();
    const stop = control.stopReason ?? 'completed';
    const resumable = stop !== 'completed' || totals.failed > 0 || running > 0;
    if (running > 0) {
      emit({ type: 'warning', message: `${running} batch${running === 1 ? '' : 'es'} still running at the provider; ${config.resumeCommand} collects the results` });
    }
    const summary: RunSummary = {
      ...totals,
      stop,
      mode: 'batch',
      model: config.params.model,
      provider: config.provider,
      outputPath: output.paths.results,
      failedPath: output.paths.failed,
      fatalMessage: control.stopMessage,
      resumeCommand: resumable ? config.resumeCommand : undefined,
    };
    await output.finish(totals);
    emit({ type: 'progress', totals });
    emit({ type: 'run-finished', summary });
    return summary;
  } finally {
    await output.close();
  }
}

function defaultBatchClient(config: RunConfig, retry: RetryPolicy): BatchClient {
  return createBatchClient({ provider: config.provider, baseUrl: config.baseUrl, apiKey: config.apiKey, timeoutMs: config.timeoutMs, retry });
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

/** The pre-scan (§3), as in realtime mode: bad input stops the run before anything is sent. */
async function scanInput(
  config: RunConfig,
  template: PromptTemplate,
  output: Pick<RunOutput, 'isDone' | 'isChanged'>,
  emit: EventSink,
  stdin: Readable | undefined,
): Promise<{ total: number; pending: number } | null> {
  if (config.input.path === '-') return null;
  emit({ type: 'phase-started', phase: 'scanning', text: `scanning ${config.input.path}` });
  const { isDone, isChanged } = output;
  const result = await prescan({ source: config.input, template, stdin, shard: config.shard, limit: config.limit, isDone, isChanged });
  if (result.problemCount > 0 && config.onBadItem === 'fail') {
    emit({ type: 'phase-finished', phase: 'scanning', text: `${result.problemCount} bad items` });
    throw formatProblems(config.input.path, result.problems, result.problemCount);
  }
  emit({ type: 'phase-finished', phase: 'scanning', text: `scanned ${result.total} items, ${result.pending} to do` });
  checkScan(config.input.path, result, emit);
  return result;
}
