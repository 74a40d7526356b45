import { tokensOf } from '../usage/token-usage.js';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { UsageError } from '../errors.js';
import { diffFingerprint, fingerprintInput, sha256Hex, type RunFingerprint } from '../journal/fingerprint.js';
import { JournalWriter, type JournalWriterOptions } from '../journal/journal-writer.js';
import { asOutputWriteError, type OutputWriteError } from '../journal/output-write-error.js';
import { acquireOutputLock, type OutputLock } from '../journal/output-lock.js';
import { outputPathsFor, type OutputPaths } from '../journal/output-paths.js';
import type { FailureRecord, ResultRecord } from '../journal/records.js';
import { createSkipPredicate, loadRunResumeState } from '../journal/resume-set.js';
import { addStateTotals, emptyStateTotals, readState, writeStateAtomic, type BatchRecord, type JournalOffsets, type LastRunTotals, type RunState, type StateTotals } from '../journal/state-file.js';
import { readLedgerGap } from '../journal/ledger-gap.js';
import { repairTornTail } from '../journal/torn-tail.js';
import { computeRequestHash, tagOfRequestHash } from '../journal/request-hash.js';
import type { Item } from '../input/types.js';
import type { ChatMessage, PromptTemplate } from '../template/types.js';
import type { EventSink, RunTotals } from './events.js';
import type { RunConfig } from './run-config.js';

/** The files of one output (SPEC §6), opened for one run. */
export interface RunOutput {
  paths: OutputPaths;
  /** Ids an earlier run finished (and, with --skip-failed, failed): never sent again. */
  isDone(id: string): boolean;
  /**
   * Resuming: `IdRegistry.claim` on the ids with a result (not on failures skipped by --skip-failed,
   * which only `isDone` knows). Lets the pre-scan mark a done id seen in the same lookup that finds it done.
   */
  claimDone?(id: string, line: number): number | null | undefined;
  /**
   * Resuming: whether a done item's request (its rendered `messages`) hashes differently from its recorded
   * answer's. A changed item is no longer done: the run redoes it (SPEC §7).
   */
  isChanged?(item: Item, messages: ChatMessage[]): boolean;
  /** Ids this output already holds as done. */
  doneCount: number;
  /** Provider batches recorded by earlier runs (batch mode re-attaches to them). */
  batches: BatchRecord[];
  /** Take the lock, clear or repair the files, write the fingerprint. Call once the pre-scan passed. */
  begin(): Promise<void>;
  writeResult(record: ResultRecord): void;
  writeFailure(record: FailureRecord): void;
  /** Record or update a provider batch in the state file, durably, before anything else happens. */
  saveBatch(batch: BatchRecord): Promise<void>;
  /**
   * Write this run's figures so far to the state file (as `lastRun`, and added into `totals`), so a run
   * killed without warning loses at most what came after the last checkpoint. A write already under way
   * makes this a no-op: the next tick catches up.
   */
  checkpoint(totals: RunTotals): void;
  /**
   * Add this run's final totals to the state file. Returns the figures of every run into the output when
   * earlier runs wrote into it (a resume), else undefined.
   */
  finish(totals: RunTotals): Promise<StateTotals | undefined>;
  /** Flush, fsync and close the files; release the lock. Safe to call twice. */
  close(): Promise<void>;
}

const STDOUT = '-';

/**
 * Check the output before anything is sent: refuse an existing output without --resume/--overwrite,
 * refuse a changed fingerprint without --force, and load what is already done. Writes nothing.
 */
export async function openRunOutput(
  config: RunConfig,
  template: PromptTemplate,
  io: {
    emit: EventSink;
    stdout?: Writable;
    now: () => number;
    /** An output file refused a write (disk full, read-only, I/O error): nothing more is written; stop the run. */
    onWriteError?: (error: OutputWriteError) => void;
    /** A background state write failed for a reason that is not the disk's: a bug (exit 70). */
    onUnexpected?: (error: unknown) => void;
    /** How journal lines reach the disk. @default fs.writeSync */
    writeText?: JournalWriterOptions['writeText'];
  },
): Promise<RunOutput> {
  if (config.output === STDOUT) return openStdoutOutput(io.emit);
  const paths = outputPathsFor(config.output);
  const exists = existsSync(paths.results) || existsSync(paths.failed) || existsSync(paths.state);
  if (exists && !config.resume && !config.overwrite) {
    throw new UsageError(`${paths.results} already exists`, [
      'add --resume to continue it (finished items are skipped), or --overwrite to start over',
    ]);
  }
  const resuming = exists && config.resume;
  const previous = resuming ? await readState(paths.state) : undefined;
  const fingerprint = await computeFingerprint(config, template, previous?.fingerprint.input.headBytes);
  if (previous && !config.force) {
    const changes = diffFingerprint(previous.fingerprint, fingerprint);
    if (changes.length > 0) {
      throw new UsageError(`${paths.results} was made by a different run; refusing to mix results`, [
        ...changes,
        'add --force to resume anyway, or write to another --output',
      ]);
    }
  }
  if (resuming) io.emit({ type: 'phase-started', phase: 'resuming', text: `reading ${paths.results}` });
  const resume = resuming ? await loadRunResumeState(paths) : undefined;
  if (resume) {
    io.emit({ type: 'phase-finished', phase: 'resuming', text: `${resume.done.size} items already done, ${resume.failedLatest.size} failed earlier` });
  }
  const skip = resume ? createSkipPredicate(resume, config.skipFailed) : () => false;
  // Ids whose recorded answer was asked for other content; few, so a Set (empty in the usual case).
  const changedIds = new Set<string>();
  const isDone = (id: string) => skip(id) && (changedIds.size === 0 || !changedIds.has(id));
  const isChanged = (item: Item, messages: ChatMessage[]): boolean => {
    const tag = resume?.done.tagOf(item.id) ?? 0;
    if (tag === 0) return false; // recorded before request hashes existed: nothing to compare
    const hash = computeRequestHash({ provider: config.provider, baseUrl: config.baseUrl, request: { messages, params: config.params } });
    if (tagOfRequestHash(hash) === tag) return false;
    changedIds.add(item.id);
    return true;
  };

  let lock: OutputLock | undefined;
  let results: JournalWriter | undefined;
  let failures: JournalWriter | undefined;
  const batches = [...(previous?.batches ?? [])];
  // A run killed between checkpoints left lines its ledger does not know: count them in, so this run's
  // "all runs" figures and `status` agree (README "The numbers").
  const gap = previous === undefined ? undefined : await readLedgerGap(paths, previous);
  const baseTotals: StateTotals = previous === undefined ? emptyStateTotals() : addStateTotals(previous.totals, gap!.totals);
  /** The bytes of each journal that the figures of the next state write account for. */
  let covered: JournalOffsets | undefined;
  /** This run's figures as last reported; undefined until the run has reported any. */
  let runTotals: LastRunTotals | undefined;
  let startedAt = new Date(io.now()).toISOString();
  const writeState = async () => {
    const state: RunState = {
      version: 1,
      fingerprint,
      batches,
      totals: runTotals === undefined ? baseTotals : addStateTotals(baseTotals, runTotals),
      ...(covered === undefined ? {} : { covered }),
      ...(runTotals ?? previous?.lastRun ? { lastRun: runTotals ?? previous?.lastRun } : {}),
      updatedAt: new Date(io.now()).toISOString(),
    };
    try {
      await writeStateAtomic(paths.state, state);
    } catch (error) {
      throw asOutputWriteError(error, paths.state) ?? error;
    }
  };
  // One write at a time, in order: a slow checkpoint must never land after (and undo) a later write.
  let writing: Promise<void> = Promise.resolve();
  let checkpointPending = false;
  const queueWrite = (): Promise<void> => {
    const next = writing.then(writeState);
    writing = next.catch(() => undefined);
    return next;
  };
  // The journals are written synchronously with the totals, so their sizes now are what these figures cover.
  const coverNow = () => {
    if (results !== undefined && failures !== undefined) covered = { results: results.size, failed: failures.size };
  };
  const report = (totals: RunTotals) => {
    runTotals = { ...ledgerOfRun(totals), startedAt, mode: config.mode };
    coverNow();
  };
  // After the first refused write nothing more is appended anywhere: a torn last line is all a full disk
  // can leave, which the resume repairs, so no record is ever lost in the middle or doubled.
  let writeError: OutputWriteError | undefined;
  const refuse = (error: unknown, file: string): void => {
    const fault = asOutputWriteError(error, file);
    if (fault === undefined) throw error;
    if (writeError !== undefined) return;
    writeError = fault;
    io.onWriteError?.(fault);
  };
  const append = (writer: () => JournalWriter | undefined, file: string) => (record: object) => {
    if (writeError !== undefined) return;
    try {
      writer()?.append(record);
    } catch (error) {
      refuse(error, file);
    }
  };

  return {
    paths,
    isDone,
    ...(resume ? { claimDone: (id: string, line: number) => resume.done.claim(id, line), isChanged } : {}),
    doneCount: resume?.done.size ?? 0,
    batches,
    async begin() {
      await createOutputDirectory(paths.results);
      lock = await acquireOutputLock(paths.lock, {
        outputPath: paths.results,
        force: config.force,
        onTakeover: (message) => io.emit({ type: 'warning', message }),
      });
      if (config.overwrite && !config.resume) {
        await Promise.all([paths.results, paths.failed, paths.state].map((file) => rm(file, { force: true })));
      } else if (resuming) {
        await repairTornTail(paths.results);
        await repairTornTail(paths.failed);
      }
      results = openJournal(paths.results, io.writeText);
      failures = openJournal(paths.failed, io.writeText);
      startedAt = new Date(io.now()).toISOString();
      coverNow();
      await queueWrite();
    },
    writeResult: append(() => results, paths.results),
    writeFailure: append(() => failures, paths.failed),
    async saveBatch(batch) {
      const index = batches.findIndex((known) => known.id === batch.id);
      if (index >= 0) batches[index] = batch;
      else batches.push(batch);
      await queueWrite();
    },
    checkpoint(totals) {
      if (checkpointPending || writeError !== undefined) return;
      report(totals);
      checkpointPending = true;
      queueWrite()
        .catch((error: unknown) => {
          try {
            refuse(error, paths.state);
          } catch (unexpected) {
            io.onUnexpected?.(unexpected);
          }
        })
        .finally(() => {
          checkpointPending = false;
        });
    },
    async finish(totals) {
      report(totals);
      try {
        await queueWrite();
      } catch (error) {
        // The state file is written where possible; a full disk is already being reported.
        refuse(error, paths.state);
      }
      return previous === undefined ? undefined : addStateTotals(baseTotals, runTotals!);
    },
    async close() {
      for (const writer of [results, failures]) {
        try {
          writer?.close();
        } catch (error) {
          if (writer !== undefined) refuse(error, writer.path);
        }
      }
      results = failures = undefined;
      await lock?.release();
      lock = undefined;
    },
  };
}

/** `-o -`: results stream to stdout; there is no file to resume, lock or keep failures in. */
function openStdoutOutput(emit: EventSink): RunOutput {
  const writer = JournalWriter.stdout();
  emit({ type: 'warning', message: 'results go to stdout: failed items are only counted, and the run cannot be resumed' });
  return {
    paths: { results: STDOUT, failed: STDOUT, state: STDOUT, lock: STDOUT },
    isDone: () => false,
    doneCount: 0,
    batches: [],
    async begin() {},
    writeResult: (record) => writer.append(record),
    writeFailure: () => undefined,
    async saveBatch() {},
    checkpoint() {},
    async finish() {
      return undefined;
    },
    async close() {
      writer.flush();
    },
  };
}

function openJournal(file: string, writeText: JournalWriterOptions['writeText']): JournalWriter {
  try {
    return JournalWriter.open(file, { writeText });
  } catch (error) {
    throw asOutputWriteError(error, file) ?? error;
  }
}

/** Like `mkdir -p`: a results path in a new folder is what users expect to work. */
async function createOutputDirectory(resultsPath: string): Promise<void> {
  try {
    await mkdir(dirname(resultsPath), { recursive: true });
  } catch (error) {
    throw new UsageError(`cannot create the output folder ${dirname(resultsPath)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

async function computeFingerprint(config: RunConfig, template: PromptTemplate, headBytes?: number): Promise<RunFingerprint> {
  let input;
  try {
    input = await fingerprintInput(config.input.path, { headBytes });
  } catch (error) {
    throw new UsageError(`cannot read input file ${config.input.path}: ${(error as Error).message}`);
  }
  const { model, schema, ...params } = config.params;
  return {
    input,
    templateHash: template.hash,
    model,
    provider: config.provider,
    baseUrl: config.baseUrl,
    // The API is recorded only when it is not the default, so outputs written before `--api` existed still match.
    params: { ...params, ...(schema ? { schema: sha256Hex(JSON.stringify(schema)) } : {}), ...(config.api === 'responses' && { api: 'responses' }) },
    mode: config.mode,
    ...(config.shard ? { shard: `${config.shard.index + 1}/${config.shard.count}` } : {}),
    ...(config.input.idField ? { idField: config.input.idField } : {}),
    inputFormat: config.input.format,
  };
}

/** A run's figures as the state file keeps them: the same numbers as its summary (README "The numbers"). */
export function ledgerOfRun(run: RunTotals): StateTotals {
  return {
    succeeded: run.succeeded,
    failed: run.failed,
    ...tokensOf(run),
    costUsd: run.spentUsd ?? 0,
    cacheHits: run.cacheHits,
    dedupHits: run.dedupHits,
  };
}
