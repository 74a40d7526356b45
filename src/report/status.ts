import path from 'node:path';
import { UsageError } from '../errors.js';
import { STDIN_PATH } from '../input/detect-format.js';
import type { Shard } from '../input/shard.js';
import type { InputSource } from '../input/types.js';
import { countPending, type PendingCounts, type PendingTally } from './count-pending.js';
import { describeInputChange, inputFormatOf, locateRecordedInput, type LocatedInput } from './input-of-output.js';
import { mergeStatus } from './merge-status.js';
import { readOutput, type LoadedOutput } from './read-output.js';
import type { OutputReport, OutputStatus, PendingSummary } from './status-types.js';
import { figuresNotes, recordedShard, summarizeFingerprint, summarizeLastRun, summarizeOutput } from './summarize-output.js';

export type * from './status-types.js';

/** Options for {@link readOutputStatus}. */
export interface StatusOptions {
  /**
   * Count pending items against this input instead of the one each output's state file names.
   * @default the input recorded in the state file, when it is still there
   */
  input?: string;
  /** `jsonl`, `csv` or `tsv`. @default by the input's extension */
  inputFormat?: string;
  /** The run's `--id-field` (the state does not record it). @default `id` if present, else the row number */
  idField?: string;
}

/** Outputs that read the same input with the same settings; it is streamed once for all of them. */
interface InputGroup {
  source: InputSource;
  members: number[];
  counts?: PendingCounts;
  error?: string;
}

/**
 * What outputs hold, each and merged (SPEC §2 `status`): done, failed by class, pending items, pending
 * provider batches, tokens, cost, fingerprint, last update. Reads only the files (one streaming pass over
 * each, plus one over each distinct input to count pending items). `outputs` are results paths, globs
 * already expanded.
 */
export async function readOutputStatus(outputs: string[], options: StatusOptions = {}): Promise<OutputStatus> {
  if (outputs.length === 0) throw new UsageError('expected at least one output file');
  if (options.input === STDIN_PATH) throw new UsageError('status needs --input to be a file, not stdin');
  // A bad format name is the user's typo: say so now rather than as "pending unknown".
  if (options.inputFormat !== undefined) inputFormatOf(STDIN_PATH, options.inputFormat);
  const loaded: LoadedOutput[] = [];
  // One at a time: each pass is CPU-bound JSON parsing, so reading in parallel would only add memory.
  for (const output of outputs) loaded.push(await readOutput(output));
  const located = await Promise.all(loaded.map((output) => locateInput(output, options)));
  const groups = groupByInput(located, options);
  for (const group of groups) await countGroup(group, loaded, options);

  const groupOf = new Map<number, InputGroup>();
  for (const group of groups) for (const member of group.members) groupOf.set(member, group);
  const reports = loaded.map((output, i) => buildReport(output, i, located[i], groupOf.get(i)));
  const merged = mergeStatus(loaded, reports, mergedPending(loaded, located, groups));
  return { version: 1, outputs: reports, merged };
}

async function locateInput(output: LoadedOutput, options: StatusOptions): Promise<LocatedInput> {
  const recorded = output.state?.fingerprint.input;
  if (options.input !== undefined) {
    const note = recorded === undefined ? undefined : await describeInputChange(options.input, recorded);
    return note === undefined ? { path: options.input } : { path: options.input, note };
  }
  if (recorded === undefined) {
    return { note: 'no state file, so the input is unknown: pass --input <file>' };
  }
  return locateRecordedInput(output.path, recorded);
}

function groupByInput(located: LocatedInput[], options: StatusOptions): InputGroup[] {
  const groups = new Map<string, InputGroup>();
  located.forEach((input, i) => {
    if (input.path === undefined) return;
    const key = path.resolve(input.path);
    let group = groups.get(key);
    if (group === undefined) {
      group = { source: { path: input.path, format: 'jsonl', idField: options.idField }, members: [] };
      groups.set(key, group);
    }
    group.members.push(i);
  });
  return [...groups.values()];
}

/** An input the user named must be readable; one found through a state file may have moved or gone bad. */
async function countGroup(group: InputGroup, loaded: LoadedOutput[], options: StatusOptions): Promise<void> {
  const explicit = options.input !== undefined;
  try {
    const format = inputFormatOf(group.source.path, options.inputFormat);
    group.source = { ...group.source, format };
  } catch (error) {
    if (explicit || !(error instanceof UsageError)) throw error;
    group.error = error.message;
    return;
  }
  const scopes = group.members.map((i) => ({
    done: loaded[i].resume.done,
    failed: loaded[i].resume.failedLatest,
    shard: shardOfOutput(loaded[i]),
  }));
  try {
    group.counts = await countPending(group.source, scopes);
  } catch (error) {
    if (explicit || !(error instanceof UsageError)) throw error;
    group.error = error.message;
  }
}

function buildReport(output: LoadedOutput, i: number, located: LocatedInput, group: InputGroup | undefined): OutputReport {
  const notes: string[] = [];
  if (output.resume.tornTails > 0) notes.push('a torn last line (from a crash) was skipped; a resumed run repairs it');
  if (output.resume.invalidLines > 0) notes.push(`${output.resume.invalidLines} damaged lines were skipped`);
  if (output.lockNote !== undefined) notes.push(output.lockNote);
  notes.push(...figuresNotes(output));
  const pending = pendingOfOutput(output, i, located, group);
  // When the input's note is why pending is unknown, the pending line already says it.
  if (located.note !== undefined && located.note !== pending.reason) notes.push(located.note);
  if (group?.counts !== undefined && group.counts.badRows > 0) {
    notes.push(`the input has ${group.counts.badRows} rows that are not items (malformed, or without an id)`);
  }
  if (pending.count !== null && pending.inScope !== null) {
    const tally = group!.counts!.perScope[group!.members.indexOf(i)];
    const unmatched = output.resume.done.size - tally.done;
    if (unmatched > 0) notes.push(`${unmatched} result ids are not in the input (was it edited since the run?)`);
  }
  const { done, failed, ...rest } = summarizeOutput(output);
  // Key order is the document's reading order: identity, then the counts, then the rest.
  return {
    path: output.path,
    fingerprint: output.state === undefined ? null : summarizeFingerprint(output.state.fingerprint),
    lastRun: summarizeLastRun(output.state),
    done,
    failed,
    pending,
    ...rest,
    sinceCheckpoint: output.gap === undefined ? null : { results: output.gap.results, failures: output.gap.failures },
    notes,
  };
}

function pendingOfOutput(output: LoadedOutput, i: number, located: LocatedInput, group: InputGroup | undefined): PendingSummary {
  if (group === undefined) return unknownPending(null, located.note ?? 'the input is unknown');
  if (group.counts === undefined) return unknownPending(group.source.path, group.error ?? 'the input could not be read');
  if (group.members.length > 1 && shardOfOutput(output) === undefined) {
    return unknownPending(
      group.source.path,
      'several outputs share this input and this one does not record its --shard: see the merged total',
    );
  }
  const tally = group.counts.perScope[group.members.indexOf(i)];
  const mismatch = idMismatch(output.resume.done.size, tally);
  if (mismatch !== undefined) return unknownPending(group.source.path, mismatch);
  return { count: tally.pending, inScope: tally.inScope, input: group.source.path };
}

/** Every result id missing from the input means the ids are computed differently, not that nothing is done. */
function idMismatch(doneIds: number, tally: PendingTally): string | undefined {
  if (doneIds === 0 || tally.done > 0) return undefined;
  return `none of the ${doneIds} result ids is in the input: pass the run's --id-field (or the right --input)`;
}

function mergedPending(loaded: LoadedOutput[], located: LocatedInput[], groups: InputGroup[]): PendingSummary {
  const unknown = located.filter((input) => input.path === undefined).length;
  if (unknown > 0) return unknownPending(null, `the input of ${unknown} of ${loaded.length} outputs is unknown`);
  const failed = groups.find((group) => group.counts === undefined);
  if (failed !== undefined) return unknownPending(failed.source.path, failed.error ?? 'the input could not be read');
  let count = 0;
  let inScope = 0;
  for (const group of groups) {
    const union = group.counts!.union;
    const doneIds = group.members.reduce((total, i) => total + loaded[i].resume.done.size, 0);
    const mismatch = idMismatch(doneIds, union);
    if (mismatch !== undefined) return unknownPending(group.source.path, mismatch);
    count += union.pending;
    inScope += union.inScope;
  }
  return { count, inScope, input: groups.length === 1 ? groups[0].source.path : null };
}

function shardOfOutput(output: LoadedOutput): Shard | undefined {
  return output.state === undefined ? undefined : recordedShard(output.state.fingerprint);
}

function unknownPending(input: string | null, reason: string): PendingSummary {
  return { count: null, inScope: null, input, reason };
}
