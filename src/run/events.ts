import type { StopReason } from '../errors.js';
import type { FailureClass, RunMode } from '../journal/records.js';
import type { ProviderId } from '../providers/types.js';
import type { TokenCounts } from '../usage/token-usage.js';

/** Running totals, carried by `progress` events and the summary. Costs in USD. */
export interface RunTotals extends TokenCounts {
  /** Items this run will process (after resume skips, --limit, --shard); null when unknown (stdin). */
  total: number | null;
  succeeded: number;
  failed: number;
  failedByClass: Partial<Record<FailureClass, number>>;
  /** Items skipped because an earlier run already finished them (resume). */
  alreadyDone: number;
  inFlight: number;
  /** Requests in flight that have waited unusually long (3× the run's typical latency, at least 10 s). */
  slowRequests: number;
  /** Age of the oldest request in flight; null when none is. */
  oldestInFlightMs: number | null;
  cacheHits: number;
  /** Requests answered by another identical request in this run (in-run dedup). */
  dedupHits: number;
  retries: number;
  retriesByClass: Partial<Record<FailureClass, number>>;
  requestsSent: number;
  /** Spent by this run (null when the price is unknown). */
  spentUsd: number | null;
  /** Spent + projected cost of the items left; null until it can be estimated. */
  projectedUsd: number | null;
  /** What the same tokens cost in the other mode (batch when realtime, realtime when batch). */
  otherModeUsd: number | null;
  budgetUsd: number | null;
  /** Cost reserved for requests in flight (budget accounting). */
  reservedUsd: number;
  elapsedMs: number;
  /** Items per second over the run so far. */
  rate: number;
  /** Estimated time left; null when unknown. */
  etaMs: number | null;
  /** True while dispatch is paused for a rate limit or an overload. */
  paused: boolean;
  /** Why dispatch is paused (a 429 limit or a 529 overload); null when it is not. */
  pauseReason: PauseReason | null;
}

/** Cumulative figures of an output (every run into it), as its state file keeps them. */
export interface AllRunsTotals extends TokenCounts {
  /** Result lines written. */
  succeeded: number;
  /** Failure records written. */
  failed: number;
  costUsd: number;
  cacheHits: number;
  dedupHits: number;
}

/** What paused dispatch: the account's rate limit (429) or the provider's overload (529), which is not a limit. */
export type PauseReason = 'rate_limit' | 'overloaded';

export interface RunSummary extends RunTotals {
  stop: StopReason;
  mode: RunMode;
  model: string;
  provider: ProviderId;
  outputPath: string;
  failedPath: string;
  /** The exact command that continues this run, when there is something left to do. */
  resumeCommand?: string;
  /**
   * Resuming: the figures of every run into this output, this one included (the state file's `totals`);
   * the rest of the summary is this run alone.
   */
  allRuns?: AllRunsTotals;
  /** What stopped a fatal run, redacted. */
  fatalMessage?: string;
  /** Pack mode: requests and tokens saved. */
  packed?: {
    requestsSaved: number;
    /** Estimated: the shared prefix sent once per pack instead of once per item, minus the packing instructions. */
    inputTokensSaved?: number;
    /** Items a packed answer lacked (or could not be read), sent on their own. */
    fallbackItems?: number;
  };
}

/**
 * Everything the engine tells the outside world. The UI renders these; `--log-json` prints them as-is
 * (one per line), so their shape is a public contract: add fields, never rename.
 */
export type RunEvent =
  | { type: 'phase-started'; phase: Phase; text: string }
  | { type: 'phase-finished'; phase: Phase; text: string }
  | {
      type: 'run-started';
      total: number | null;
      alreadyDone: number;
      model: string;
      provider: ProviderId;
      mode: RunMode;
      concurrency: number;
      budgetUsd: number | null;
      outputPath: string;
    }
  | { type: 'item-succeeded'; id: string; cached: boolean; costUsd: number | null; latencyMs: number; attempts: number }
  | { type: 'item-failed'; id: string; errorClass: FailureClass; status?: number; message: string; attempts: number }
  | { type: 'retry-scheduled'; id: string; attempt: number; delayMs: number; errorClass: FailureClass; status?: number }
  | { type: 'rate-limited'; pauseMs: number; status?: number; reason: string }
  | { type: 'rate-limits-learned'; rpm?: number; tpm?: number; inputTpm?: number; outputTpm?: number; source: string }
  | { type: 'budget-warning'; fraction: number; spentUsd: number; budgetUsd: number }
  | { type: 'budget-reached'; spentUsd: number; reservedUsd: number; budgetUsd: number }
  | { type: 'fatal-error'; errorClass: FailureClass; status?: number; message: string }
  | { type: 'interrupted'; signal: string; abandoning: boolean }
  | { type: 'warning'; message: string }
  | { type: 'batch-submitted'; batchId: string; requests: number }
  | {
      type: 'batch-progress';
      batchId: string;
      status: string;
      completed: number;
      failed: number;
      total: number;
      /** Time since this run began waiting for its batches. */
      waitedMs?: number;
      /** Time until the next polling round. */
      nextPollMs?: number;
    }
  | { type: 'progress'; totals: RunTotals }
  | { type: 'run-finished'; summary: RunSummary };

export type Phase = 'scanning' | 'resuming' | 'uploading' | 'submitting' | 'polling' | 'downloading';

export type RunEventType = RunEvent['type'];

/** Receives events; the engine never knows whether it is drawing a bar or writing JSON. */
export type EventSink = (event: RunEvent) => void;
