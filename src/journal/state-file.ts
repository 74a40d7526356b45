import { addTokens, mapTokens, tokensOf, zeroTokens, type TokenCounts } from '../usage/token-usage.js';
import type { RunMode } from './records.js';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { RunFingerprint } from './fingerprint.js';
import type { ProviderId } from '../providers/types.js';

export type { InputFingerprint, RunFingerprint } from './fingerprint.js';

/** A provider batch this output submitted (batch mode); resume re-attaches to it instead of resubmitting. */
export interface BatchRecord {
  /** The provider's batch id. */
  id: string;
  provider: ProviderId;
  /** The provider's status as last seen (`validating`, `in_progress`, `ended`, …). */
  status: string;
  /** ISO time of submission. */
  createdAt: string;
  /**
   * custom_id → item id for every request of the batch (also where they are equal: the map is the list of
   * items a resume must not submit again). Dropped once the results are collected.
   */
  customIdMap?: Record<string, string>;
  /** custom_id → further item ids answered by the same request (identical prompts in one batch). */
  duplicates?: Record<string, string[]>;
  /** OpenAI: the uploaded JSONL file. */
  inputFileId?: string;
  itemCount: number;
  /** ISO time the results were written to the output; absent while the batch is pending. */
  collectedAt?: string;
}

/**
 * The run's ledger kept in the state file: the one source of the figures `status` shows and the summary
 * reports (README "The numbers"). Tokens and cost are what the provider billed: answers that became
 * results, and answers paid for but unusable (invalid output, refusal); never cache hits or in-run
 * duplicates, which sent nothing.
 */
export interface StateTotals extends TokenCounts {
  /** Result lines written (cache hits and in-run duplicates included). */
  succeeded: number;
  /** Failure records written (an item that failed in two runs counts twice). */
  failed: number;
  /** What the billed tokens cost, USD (0 where the price is unknown). */
  costUsd: number;
  /** Items answered from the local response cache. Absent in states written before it was kept: read as 0. */
  cacheHits?: number;
  /** Items answered by an identical request of the same run (in-run duplicates). Absent in older states: 0. */
  dedupHits?: number;
}

/** The last run's own figures (its summary's), beside the cumulative `totals`. */
export interface LastRunTotals extends StateTotals {
  /** ISO time the run started. */
  startedAt: string;
  mode: RunMode;
}

/** A byte offset in each journal of an output. */
export interface JournalOffsets {
  results: number;
  failed: number;
}

/** `results.state.json` (SPEC §6). */
export interface RunState {
  version: 1;
  fingerprint: RunFingerprint;
  batches: BatchRecord[];
  /** Every run into this output, added up. */
  totals: StateTotals;
  /**
   * Bytes of the results and failures files that `totals` accounts for, as of the last write: lines
   * beyond them were written after it (a run killed between checkpoints). Absent in older states.
   */
  covered?: JournalOffsets;
  /** The latest run alone; absent in states written before it was kept. */
  lastRun?: LastRunTotals;
  /** ISO time of the last write. */
  updatedAt: string;
}

const STATE_VERSION = 1;
/** State may name batch ids and hold spend: private to the user (SPEC §14). */
const STATE_FILE_MODE = 0o600;

/** Reads a state file; undefined when there is none. A damaged or foreign file is a usage error. */
export async function readState(filePath: string): Promise<RunState | undefined> {
  let text: string;
  try {
    text = await fs.readFile(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch (error) {
    throw unreadable(filePath, `not JSON (${(error as Error).message})`);
  }
  if (!isRunState(state)) throw unreadable(filePath, `not an llm-batch state file of version ${STATE_VERSION}`);
  // An older version may have kept no figures, or fewer of them: what it did not keep reads as 0, and the
  // lines it left out are counted from the journals (ledger-gap.ts).
  return { ...state, totals: addStateTotals(emptyStateTotals(), state.totals ?? {}) };
}

/**
 * Replaces the state file atomically: a temp file in the same directory (so rename stays on one file
 * system), fsynced, then renamed over the old one. A crash leaves either the old or the new state.
 */
export async function writeStateAtomic(filePath: string, state: RunState): Promise<void> {
  const temp = `${filePath}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await fs.open(temp, 'wx', STATE_FILE_MODE);
  try {
    await handle.writeFile(JSON.stringify(state, null, 2) + '\n');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await fs.rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await fs.rename(temp, filePath);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(path.dirname(filePath));
}

/** Zeroed totals for a new output. */
export function emptyStateTotals(): StateTotals {
  return { succeeded: 0, failed: 0, ...zeroTokens(), costUsd: 0, cacheHits: 0, dedupHits: 0 };
}

/** `a + b`, field by field (a missing count of an older state reads as 0). */
export function addStateTotals(a: StateTotals, b: Partial<StateTotals>): StateTotals {
  return {
    succeeded: a.succeeded + (b.succeeded ?? 0),
    failed: a.failed + (b.failed ?? 0),
    ...addTokens(tokensOf(a), mapTokens((kind) => b[kind] ?? 0)),
    costUsd: a.costUsd + (b.costUsd ?? 0),
    cacheHits: (a.cacheHits ?? 0) + (b.cacheHits ?? 0),
    dedupHits: (a.dedupHits ?? 0) + (b.dedupHits ?? 0),
  };
}

/** The rename is durable only once the directory entry is; some platforms cannot fsync a directory. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(directory, 'r');
    await handle.sync();
  } catch {
    // Best effort: the file content is already synced, only the rename's durability is at stake.
  } finally {
    await handle?.close();
  }
}

function isRunState(value: unknown): value is RunState {
  if (value === null || typeof value !== 'object') return false;
  const state = value as Partial<RunState>;
  return (
    state.version === STATE_VERSION &&
    state.fingerprint !== null &&
    typeof state.fingerprint === 'object' &&
    Array.isArray(state.batches) &&
    (state.totals === undefined || (state.totals !== null && typeof state.totals === 'object'))
  );
}

function unreadable(filePath: string, why: string): UsageError {
  return new UsageError(`cannot read the state file ${filePath}: ${why}`, [
    'remove it to resume without the recorded fingerprint, or start over with --overwrite',
  ]);
}
