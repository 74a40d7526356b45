import fs from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { outputPathsFor, type OutputPaths } from '../journal/output-paths.js';
import { loadResumeState, type ResumeState } from '../journal/resume-set.js';
import { readLedgerGap, type LedgerGap } from '../journal/ledger-gap.js';
import { readState, type RunState } from '../journal/state-file.js';

/** Everything `status` needs from one output's files, read once. */
export interface LoadedOutput {
  /** The results file, as given. */
  path: string;
  paths: OutputPaths;
  /** Done ids, latest failures, token and cost totals. */
  resume: ResumeState;
  /** Undefined when there is no state file. */
  state: RunState | undefined;
  /** Records the state's ledger leaves out (written after its last checkpoint); undefined without a state. */
  gap: LedgerGap | undefined;
  /** Latest modification time of the output's files (ms since epoch). */
  lastModifiedMs: number;
  /** Set when a lock file exists: a run may be writing right now (or crashed without removing it). */
  lockNote?: string;
}

/** Reads an output through the journal's fast path (one streaming pass per file). */
export async function readOutput(resultsPath: string): Promise<LoadedOutput> {
  const { paths, lastModifiedMs } = await statOutput(resultsPath);
  const [resume, state] = await Promise.all([
    loadResumeState(paths, { withTotals: true }),
    readState(paths.state),
  ]).catch((error: unknown) => {
    throw toUsageError(error, resultsPath);
  });
  const gap = state === undefined ? undefined : await readLedgerGap(paths, state).catch((error: unknown) => {
    throw toUsageError(error, resultsPath);
  });
  const lockNote = await describeLock(paths.lock);
  return { path: resultsPath, paths, resume, state, gap, lastModifiedMs, ...(lockNote === undefined ? {} : { lockNote }) };
}

/** Names the lock's holder without judging whether it is alive: that is the next run's job (output-lock.ts). */
async function describeLock(lockPath: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await fs.readFile(lockPath, 'utf8');
  } catch {
    return undefined;
  }
  let holder = '';
  try {
    const content = JSON.parse(text) as { pid?: unknown; host?: unknown; startedAt?: unknown; heartbeatAt?: unknown };
    const alive = typeof content.heartbeatAt === 'string' ? `, last alive ${content.heartbeatAt}` : '';
    holder = ` (pid ${String(content.pid)} on ${String(content.host)}, since ${String(content.startedAt)}${alive})`;
  } catch {
    // A lock being written this instant, or a damaged one: its existence is the news.
  }
  return `the output is locked${holder}: a run may be writing it now, so these figures may change`;
}

/**
 * The files of an output and when they last changed. An output with none of its files present is a
 * `UsageError`: most likely a typo.
 */
export async function statOutput(resultsPath: string): Promise<{ paths: OutputPaths; lastModifiedMs: number }> {
  const paths = outputPathsFor(resultsPath);
  const times = await Promise.all([paths.results, paths.failed, paths.state].map(modifiedAt));
  const present = times.filter((time): time is number => time !== undefined);
  if (present.length === 0) {
    throw new UsageError(`no output at ${resultsPath}`, [
      `none of ${paths.results}, ${paths.failed}, ${paths.state} exists`,
    ]);
  }
  return { paths, lastModifiedMs: Math.max(...present) };
}

async function modifiedAt(filePath: string): Promise<number | undefined> {
  try {
    const stats = await fs.stat(filePath);
    if (stats.isDirectory()) throw new UsageError(`${filePath} is a directory, not an output file`);
    return stats.mtimeMs;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new UsageError(`cannot read ${filePath}: ${(error as Error).message}`);
  }
}

/** A file we cannot read (permissions, I/O) is the user's to fix, not a bug: report it without a stack. */
export function toUsageError(error: unknown, resultsPath: string): unknown {
  if (error instanceof UsageError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (typeof code !== 'string') return error;
  return new UsageError(`cannot read output ${resultsPath}: ${(error as Error).message}`);
}
