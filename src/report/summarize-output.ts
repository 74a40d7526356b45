import { parseShard, type Shard } from '../input/shard.js';
import type { FailureRecord } from '../journal/records.js';
import type { RunFingerprint } from '../journal/fingerprint.js';
import { addStateTotals, type BatchRecord, type RunState, type StateTotals } from '../journal/state-file.js';
import { describeLedgerGap } from '../journal/ledger-gap.js';
import type { ResultTotals } from '../journal/resume-set.js';
import type { LoadedOutput } from './read-output.js';
import { toStatusTokens, tokensOf, zeroTokens } from '../usage/token-usage.js';
import type { FailedSummary, FingerprintSummary, PendingBatch, RunFigures, StatusCounts } from './status-types.js';

/**
 * Provider batch statuses after which nothing more will arrive: OpenAI's `completed`, `failed`, `expired`,
 * `cancelled`; Anthropic's `ended` (and its `canceled` spelling). Anything else may still deliver results.
 */
const FINAL_BATCH_STATUSES = new Set(['completed', 'failed', 'expired', 'cancelled', 'canceled', 'ended']);

/** A failure record without a usable class still counts, under this name. */
const UNKNOWN_CLASS = 'unknown';

/** The figures of one output, except `pending`, which needs its input (see `count-pending.ts`). */
export function summarizeOutput(output: LoadedOutput): Omit<StatusCounts, 'pending'> {
  const { resume, state } = output;
  const lines = resume.totals;
  return {
    done: resume.done.size,
    failed: summarizeFailures(resume.failedLatest.values()),
    pendingBatches: (state?.batches ?? []).filter(isPendingBatch).map((batch) => toPendingBatch(output.path, batch)),
    resultLines: lines?.succeeded ?? 0,
    ...(state === undefined ? figuresOfLines(lines) : figuresOfLedger(addStateTotals(state.totals, output.gap?.totals ?? {}))),
    unpricedResults: lines?.unpricedResults ?? 0,
    lastUpdate: new Date(output.lastModifiedMs).toISOString(),
    damage: { tornTails: resume.tornTails, invalidLines: resume.invalidLines },
  };
}

type Figures = Pick<StatusCounts, 'tokens' | 'costUsd' | 'cacheHits' | 'dedupHits' | 'figures'>;

/** The state's ledger: every run's summary figures, added up (the one source, README "The numbers"). */
function figuresOfLedger(totals: StateTotals): Figures {
  return {
    tokens: toStatusTokens(tokensOf(totals)),
    costUsd: totals.costUsd,
    cacheHits: totals.cacheHits ?? 0,
    dedupHits: totals.dedupHits ?? 0,
    figures: 'state',
  };
}

/** Without a state file, result lines are all there is; cache hits and in-run duplicates look alike there. */
function figuresOfLines(lines: ResultTotals | undefined): Figures {
  return {
    tokens: toStatusTokens(lines ?? zeroTokens()),
    costUsd: lines?.costUsd ?? 0,
    cacheHits: lines?.cachedResults ?? 0,
    dedupHits: 0,
    figures: 'results',
  };
}

/** The state's `lastRun`, shaped like the status figures; null when the state does not hold it. */
export function summarizeLastRun(state: RunState | undefined): RunFigures | null {
  const run = state?.lastRun;
  if (run === undefined) return null;
  return {
    startedAt: run.startedAt,
    mode: run.mode,
    succeeded: run.succeeded,
    failed: run.failed,
    tokens: toStatusTokens(tokensOf(run)),
    costUsd: run.costUsd,
    cacheHits: run.cacheHits ?? 0,
    dedupHits: run.dedupHits ?? 0,
  };
}

/**
 * Why the figures may not cover every line: result lines the ledger does not know of (a run killed between
 * two state checkpoints), or no ledger at all.
 */
export function figuresNotes(output: LoadedOutput): string[] {
  const lines = output.resume.totals;
  if (output.state === undefined) {
    return (lines?.succeeded ?? 0) === 0
      ? []
      : ['no state file: tokens and cost are summed from result lines (answers paid but unusable are not in them), and cache hits include in-run duplicates'];
  }
  const gap = output.gap === undefined ? undefined : describeLedgerGap(output.gap);
  return gap === undefined ? [] : [gap];
}

/** Counts failures by class, most frequent first (ties by name), so the JSON and the display are stable. */
export function summarizeFailures(failures: Iterable<FailureRecord>): FailedSummary {
  const counts = new Map<string, number>();
  let total = 0;
  for (const failure of failures) {
    const failureClass = typeof failure.error?.class === 'string' ? failure.error.class : UNKNOWN_CLASS;
    counts.set(failureClass, (counts.get(failureClass) ?? 0) + 1);
    total += 1;
  }
  const sorted = [...counts].sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b));
  return { total, byClass: Object.fromEntries(sorted) };
}

/** The parts of the state's fingerprint a reader of `status` cares about. */
export function summarizeFingerprint(fingerprint: RunFingerprint): FingerprintSummary {
  const shard = recordedShard(fingerprint);
  return {
    model: fingerprint.model,
    provider: fingerprint.provider,
    mode: fingerprint.mode,
    baseUrl: fingerprint.baseUrl,
    templateHash: fingerprint.templateHash,
    params: fingerprint.params ?? {},
    input: { path: fingerprint.input?.path ?? '', size: fingerprint.input?.size ?? 0 },
    ...(shard === undefined ? {} : { shard: { k: shard.index + 1, n: shard.count } }),
  };
}

/**
 * The `--shard` a run recorded in its fingerprint, if it did: as a 0-based `{index, count}` (the run's own
 * form) or as the `k/n` text. States that do not record it give undefined: the whole input is then in scope.
 */
export function recordedShard(fingerprint: RunFingerprint): Shard | undefined {
  const shard = (fingerprint as RunFingerprint & { shard?: unknown }).shard;
  if (typeof shard === 'string') {
    try {
      return parseShard(shard);
    } catch {
      return undefined;
    }
  }
  if (shard === null || typeof shard !== 'object') return undefined;
  const { index, count } = shard as Partial<Shard>;
  const valid = Number.isSafeInteger(index) && Number.isSafeInteger(count) && count! >= 1 && index! >= 0 && index! < count!;
  return valid ? { index: index!, count: count! } : undefined;
}

function isPendingBatch(batch: BatchRecord): boolean {
  return !FINAL_BATCH_STATUSES.has(String(batch.status).toLowerCase());
}

function toPendingBatch(output: string, batch: BatchRecord): PendingBatch {
  return {
    output,
    id: batch.id,
    provider: batch.provider,
    status: batch.status,
    createdAt: batch.createdAt,
    itemCount: batch.itemCount,
  };
}
