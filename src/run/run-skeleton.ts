/**
 * What every run does, whatever the mode: price, output files (resume state, lock), the pre-scan, the run's
 * numbers, the progress ticker and the summary tail (state totals, last progress, `run-finished`). A mode
 * (`run-job.ts` realtime, `run-batch-job.ts` batch) brings only what truly differs: how items are sent, and
 * what it opens and closes for that.
 */
import type { Readable, Writable } from 'node:stream';
import type { ModelPrice } from '../cost/prices.js';
import { formatProblems, prescan, type PrescanResult } from '../input/prescan.js';
import type { PromptTemplate } from '../template/types.js';
import type { EventSink, PauseReason, RunSummary, RunTotals } from './events.js';
import { openRunOutput, type RunOutput } from './run-output.js';
import type { RunConfig } from './run-config.js';
import type { RunControl } from './run-control.js';
import { RunStats } from './run-stats.js';
import { resolveRunPrices, type RunPrices } from './resolve-run-price.js';
import { describeWriteError } from './describe-write-error.js';
import { checkScan } from './scan-checks.js';

/**
 * How often the state file gets the run's figures so far: a run killed without warning (kill -9, power)
 * loses at most this much of the ledger `status` reads, at the price of one small atomic write.
 */
const STATE_CHECKPOINT_MS = 5_000;

/** The part of the world every run touches, injected so tests can replace any part. */
export interface SkeletonDeps {
  emit: EventSink;
  control: RunControl;
  now?: () => number;
  stdin?: Readable;
  stdout?: Writable;
  /** How often a `progress` event is emitted. @default 250 */
  progressTickMs?: number;
  /** How journal lines reach the disk (tests inject disk faults). @default fs.writeSync */
  writeText?: (fd: number, text: string) => number;
}

/** What the pre-scan learned; null for stdin, which is not scanned ahead. */
export type ScanResult = Pick<PrescanResult, 'total' | 'pending' | 'duplicates' | 'idsSeen' | 'lastLine' | 'doneLines'>;

/** What a mode is handed once the output is open and the input scanned. */
export interface RunSetup {
  price: ModelPrice | null;
  /** `price` with the standard price beside it (a flex request answered on the default tier). */
  prices: RunPrices;
  output: RunOutput;
  scan: ScanResult | null;
  stats: RunStats;
  now: () => number;
}

/** A mode's part of one run. */
export interface ModeRun {
  /** Cost reserved by requests in flight (progress and summary). */
  reservedUsd(): number;
  /** True while dispatch is paused for a rate limit. */
  paused(): boolean;
  /** Why dispatch is paused; null when it is not (absent: a rate limit). */
  pauseReason?(): PauseReason | null;
  /** Sends every pending item; resolves when all are done or the run stopped. */
  work(): Promise<void>;
  /** Releases what the mode opened; always called once `work` has ended. */
  close(): Promise<void>;
  /** Anything left for `--resume` besides failures and an early stop (batch: batches still running), and extra summary fields. */
  finish?(totals: RunTotals): { leftOver?: boolean; extra?: Pick<RunSummary, 'packed'> };
}

/** Run a job end to end in the mode `start` builds. Throws UsageError before any request. */
export async function runSkeleton(
  config: RunConfig,
  template: PromptTemplate,
  deps: SkeletonDeps,
  start: (setup: RunSetup) => Promise<ModeRun>,
): Promise<RunSummary> {
  const now = deps.now ?? Date.now;
  const { emit, control } = deps;

  const prices = await resolveRunPrices(config, emit);
  const { price } = prices;
  const output = await openRunOutput(config, template, {
    emit,
    stdout: deps.stdout,
    now,
    onWriteError: (error) => control.stop('output-error', describeWriteError(error)),
    onUnexpected: (error) => control.fail(error),
    writeText: deps.writeText,
  });
  try {
    const scan = await scanInput(config, template, output, emit);
    await output.begin();

    const alreadyDone = scan ? scan.total - scan.pending : output.doneCount;
    const stats = new RunStats({
      total: scan?.pending ?? null,
      alreadyDone,
      budgetUsd: config.budgetUsd ?? null,
      priced: price !== null,
      // What the same tokens would have cost in the other mode.
      otherModeFactor: price ? (config.mode === 'realtime' ? price.batchDiscount : 1 / price.batchDiscount) : null,
      now,
    });
    const mode = await start({ price, prices, output, scan, stats, now });

    emit({
      type: 'run-started',
      total: stats.total,
      alreadyDone,
      model: config.params.model,
      provider: config.provider,
      mode: config.mode,
      concurrency: config.concurrency,
      budgetUsd: config.budgetUsd ?? null,
      outputPath: output.paths.results,
    });
    const snapshot = () => stats.snapshot({ reservedUsd: mode.reservedUsd(), paused: mode.paused(), pauseReason: mode.pauseReason?.() });
    const tickMs = deps.progressTickMs ?? 250;
    let sinceCheckpointMs = 0;
    const ticker = setInterval(() => {
      const totals = snapshot();
      emit({ type: 'progress', totals });
      sinceCheckpointMs += tickMs;
      if (sinceCheckpointMs >= STATE_CHECKPOINT_MS) {
        sinceCheckpointMs = 0;
        output.checkpoint(totals);
      }
    }, tickMs);
    ticker.unref();
    try {
      await mode.work();
    } finally {
      clearInterval(ticker);
      await mode.close();
    }

    const totals = snapshot();
    if (control.internalError !== undefined) {
      // A bug: keep what is known in the state file, then let the CLI report it (exit 70).
      await output.finish(totals).catch(() => undefined);
      throw control.internalError;
    }
    const stop = control.stopReason ?? 'completed';
    const { leftOver = false, extra = {} } = mode.finish?.(totals) ?? {};
    const resumable = stop !== 'completed' || totals.failed > 0 || leftOver;
    const summary: RunSummary = {
      ...totals,
      stop,
      mode: config.mode,
      model: config.params.model,
      provider: config.provider,
      outputPath: output.paths.results,
      failedPath: output.paths.failed,
      fatalMessage: control.stopMessage,
      resumeCommand: resumable ? config.resumeCommand : undefined,
      ...extra,
    };
    const allRuns = await output.finish(totals);
    if (allRuns !== undefined) summary.allRuns = { ...allRuns, cacheHits: allRuns.cacheHits ?? 0, dedupHits: allRuns.dedupHits ?? 0 };
    emit({ type: 'progress', totals });
    emit({ type: 'run-finished', summary });
    return summary;
  } finally {
    await output.close();
  }
}

/** The pre-scan (§3): every item read and rendered before any request. Stdin is not scanned ahead. */
async function scanInput(
  config: RunConfig,
  template: PromptTemplate,
  output: Pick<RunOutput, 'isDone' | 'claimDone' | 'isChanged'>,
  emit: EventSink,
): Promise<ScanResult | null> {
  if (config.input.path === '-') return null;
  emit({ type: 'phase-started', phase: 'scanning', text: `scanning ${config.input.path}` });
  const { isDone, claimDone, isChanged } = output;
  const result = await prescan({ source: config.input, template, shard: config.shard, limit: config.limit, isDone, claimDone, isChanged });
  if (result.problemCount > 0 && config.onBadItem === 'fail') {
    emit({ type: 'phase-finished', phase: 'scanning', text: `${result.problemCount} bad items` });
    throw formatProblems(config.input.path, result.problems, result.problemCount);
  }
  emit({ type: 'phase-finished', phase: 'scanning', text: `scanned ${result.total} items, ${result.pending} to do` });
  if (result.total === 0) {
    // Nothing is wrong enough to fail (an empty export is normal in cron), but a silent success hides a wrong path.
    const scope = config.shard ? ` in shard ${config.shard.index + 1}/${config.shard.count}` : '';
    emit({ type: 'warning', message: `${config.input.path} has no items${scope}: nothing to do` });
  }
  checkScan(config.input.path, result, emit);
  return result;
}
