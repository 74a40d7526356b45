import { addTokens, tokensOf } from '../usage/token-usage.js';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { UsageError } from '../errors.js';
import { diffFingerprint, fingerprintInput, sha256Hex, type RunFingerprint } from '../journal/fingerprint.js';
import { JournalWriter } from '../journal/journal-writer.js';
import { acquireOutputLock, type OutputLock } from '../journal/output-lock.js';
import { outputPathsFor, type OutputPaths } from '../journal/output-paths.js';
import type { FailureRecord, ResultRecord } from '../journal/records.js';
import { createSkipPredicate, loadRunResumeState } from '../journal/resume-set.js';
import { emptyStateTotals, readState, writeStateAtomic, type BatchRecord, type RunState, type StateTotals } from '../journal/state-file.js';
import { repairTornTail } from '../journal/torn-tail.js';
import type { PromptTemplate } from '../template/types.js';
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
  /** Add this run's totals to the state file. */
  finish(totals: RunTotals): Promise<void>;
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
  io: { emit: EventSink; stdout?: Writable; now: () => number },
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
  const isDone = resume ? createSkipPredicate(resume, config.skipFailed) : () => false;

  let lock: OutputLock | undefined;
  let results: JournalWriter | undefined;
  let failures: JournalWriter | undefined;
  const batches = [...(previous?.batches ?? [])];
  const baseTotals: StateTotals = previous?.totals ?? emptyStateTotals();
  const writeState = (totals: StateTotals) =>
    writeStateAtomic(paths.state, { version: 1, fingerprint, batches, totals, updatedAt: new Date(io.now()).toISOString() } satisfies RunState);

  return {
    paths,
    isDone,
    ...(resume ? { claimDone: (id: string, line: number) => resume.done.claim(id, line) } : {}),
    doneCount: resume?.done.size ?? 0,
    batches,
    async begin() {
      await createOutputDirectory(paths.results);
      lock = await acquireOutputLock(paths.lock);
      if (config.overwrite && !config.resume) {
        await Promise.all([paths.results, paths.failed, paths.state].map((file) => rm(file, { force: true })));
      } else if (resuming) {
        await repairTornTail(paths.results);
        await repairTornTail(paths.failed);
      }
      results = JournalWriter.open(paths.results);
      failures = JournalWriter.open(paths.failed);
      await writeState(baseTotals);
    },
    writeResult: (record) => results?.append(record),
    writeFailure: (record) => failures?.append(record),
    async saveBatch(batch) {
      const index = batches.findIndex((known) => known.id === batch.id);
      if (index >= 0) batches[index] = batch;
      else batches.push(batch);
      await writeState(baseTotals);
    },
    async finish(totals) {
      await writeState(addTotals(baseTotals, totals));
    },
    async close() {
      results?.close();
      failures?.close();
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
    async finish() {},
    async close() {
      writer.flush();
    },
  };
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

function addTotals(base: StateTotals, run: RunTotals): StateTotals {
  return {
    succeeded: base.succeeded + run.succeeded,
    failed: base.failed + run.failed,
    ...addTokens(tokensOf(base), run),
    costUsd: base.costUsd + (run.spentUsd ?? 0),
  };
}
