/**
 * What `llm-batch status` reports. `status --json` prints {@link OutputStatus} as is, so these field names are
 * a public contract: add fields, never rename them.
 */
import type { StatusTokens } from '../usage/token-usage.js';

/**
 * Tokens the provider billed (README "The numbers"); `input` counts all input tokens, cached ones included
 * (as in the results file).
 */
export type TokenTotals = StatusTokens;

/** Where the token, cost, cache-hit and duplicate figures come from. */
export type FiguresSource =
  /** The state file's ledger: what every run into the output reported (its summaries' figures, added up). */
  | 'state'
  /** No state file: summed from result lines, leaving out `cached` ones (answers paid but unusable are missing). */
  | 'results';

/** One run's figures, as its summary reported them (`lastRun` of the state file). */
export interface RunFigures {
  /** ISO time the run started. */
  startedAt: string;
  mode: string;
  succeeded: number;
  failed: number;
  tokens: TokenTotals;
  costUsd: number;
  cacheHits: number;
  dedupHits: number;
}

/** Items whose latest record is a failure and that have no result. */
export interface FailedSummary {
  total: number;
  /** Failure class (`rate_limit`, `bad_request`, …) → items; keys sorted by count, then name. */
  byClass: Record<string, number>;
}

/** Items of the input not yet done or failed. */
export interface PendingSummary {
  /** Null when it cannot be known (no readable input, ids that do not match); `reason` says why. */
  count: number | null;
  /** Input items in the output's scope (its shard, when recorded); null when the input was not read. */
  inScope: number | null;
  /** The input file counted against; null when none was found. */
  input: string | null;
  /** Why `count` is null. */
  reason?: string;
}

/** A provider batch (batch mode) whose last seen status is not final. */
export interface PendingBatch {
  /** The results file whose state records it. */
  output: string;
  id: string;
  provider: string;
  status: string;
  createdAt: string;
  itemCount: number;
}

/** The figures shown for one output and for the merged total. */
export interface StatusCounts {
  /** Distinct ids with a result. */
  done: number;
  failed: FailedSummary;
  pending: PendingSummary;
  pendingBatches: PendingBatch[];
  /** Result lines; more than `done` when an id was answered (and paid) twice. */
  resultLines: number;
  /** Billed tokens of every run into the output (see `figures`). */
  tokens: TokenTotals;
  /** What the billed tokens cost, USD, every run; a lower bound when `unpricedResults` > 0. */
  costUsd: number;
  /** Items answered from the local response cache, not sent and not paid, every run. */
  cacheHits: number;
  /** Items answered by an identical request of the same run (in-run duplicates), not paid, every run. */
  dedupHits: number;
  /** Where `tokens`, `costUsd`, `cacheHits` and `dedupHits` come from. */
  figures: FiguresSource;
  /** Results whose `cost_usd` is null (price unknown). */
  unpricedResults: number;
  /** ISO time of the latest write to any of the output's files; null when none exists. */
  lastUpdate: string | null;
  /** Damage the tolerant reader skipped. */
  damage: { tornTails: number; invalidLines: number };
}

/** The run's identity, from the state file. */
export interface FingerprintSummary {
  model: string;
  provider: string;
  mode: string;
  baseUrl: string;
  /** sha256 of the template source (hex). */
  templateHash: string;
  /** Request parameters as sent (temperature, max tokens, `--param` values, schema hash). */
  params: Record<string, unknown>;
  input: { path: string; size: number };
  /** The `--shard` of the run when the state records it (1-based `k` of `n`). */
  shard?: { k: number; n: number };
}

/** One output (a results file and its side files). */
export interface OutputReport extends StatusCounts {
  /** The results file, as given. */
  path: string;
  /** Null when there is no state file. */
  fingerprint: FingerprintSummary | null;
  /** The latest run alone (its summary's figures); null when the state file does not hold them. */
  lastRun: RunFigures | null;
  /**
   * Records written after the state file's last checkpoint (a run killed without warning, or a state from an
   * older version): their figures, read from the lines, are already in `tokens`, `costUsd` and `cacheHits`.
   * Null when there is no state file.
   */
  sinceCheckpoint: { results: number; failures: number } | null;
  /** Things a reader should know about these figures, one sentence each. */
  notes: string[];
}

/** The merged figures of several outputs. */
export interface MergedStatus extends StatusCounts {
  /** How many outputs were merged. */
  outputs: number;
  notes: string[];
}

/** What {@link readOutputStatus} returns and `status --json` prints. */
export interface OutputStatus {
  /** Bumped only on an incompatible change of this document. */
  version: 1;
  outputs: OutputReport[];
  merged: MergedStatus;
}
