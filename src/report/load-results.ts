import { idOfRecord } from '../journal/fast-id.js';
import { parseLine, scanJournal, type LineVisitor } from '../journal/journal-reader.js';
import type { FailureRecord, ResultRecord } from '../journal/records.js';
import { statOutput, toUsageError } from './read-output.js';
import { flattenParsed } from './flatten-parsed.js';

/** The fields of a result that `export` writes: kept instead of the whole record to bound memory. */
export interface ExportedResult {
  output: string;
  /** The `parsed.*` columns of this result. */
  parsed: Record<string, unknown>;
  costUsd: number | null;
  model: string;
  /** Which output it came from (index into the outputs) and when, to pick the latest across outputs. */
  source: number;
  ts: string;
  /** Set once an input row claimed it; the rest are reported as not in the input. */
  matched: boolean;
}

/** A failed item's `error` cell and where it came from. */
export interface ExportedFailure {
  /** `class: message`. */
  error: string;
  source: number;
  ts: string;
}

/** Every output's records, reduced to the latest per id. */
export interface LoadedResults {
  /** id → the last result; in order of each id's first appearance (file order, output after output). */
  results: Map<string, ExportedResult>;
  /** id → the latest failure, only for ids that have no result (a result wins whatever the order). */
  failures: Map<string, ExportedFailure>;
  /** Union of the results' `parsed.*` columns, in first-seen order. */
  parsedColumns: string[];
  /** Damaged lines skipped in the middle of any file (a torn last line is dropped silently, as on resume). */
  damagedLines: number;
}

/**
 * Reads the results and failures of every output (tolerantly: a torn last line is dropped). Within a file
 * the last record of an id wins; across outputs the one with the later `ts` (ties: the later output).
 */
export async function loadResults(outputs: string[]): Promise<LoadedResults> {
  const results = new Map<string, ExportedResult>();
  const failures = new Map<string, ExportedFailure>();
  // Thousands of results name the same few models: share one string each instead of a copy per record.
  const models = new Map<string, string>();
  let damagedLines = 0;
  const countDamaged = (): void => {
    damagedLines += 1;
  };
  for (let source = 0; source < outputs.length; source += 1) {
    const { paths } = await statOutput(outputs[source]);
    try {
      await scanJournal(paths.results, visitResults(results, source, models), { onInvalidLine: countDamaged });
      await scanJournal(paths.failed, visitFailures(failures, source), { onInvalidLine: countDamaged });
    } catch (error) {
      throw toUsageError(error, outputs[source]);
    }
  }
  for (const id of results.keys()) failures.delete(id);
  return { results, failures, parsedColumns: unionOfParsedColumns(results), damagedLines };
}

/** A visitor, not `readJournal`: one async step per record is a large share of the time at 1M records. */
function visitResults(results: Map<string, ExportedResult>, source: number, models: Map<string, string>): LineVisitor {
  return (buffer, start, end) => {
    const record = parseLine(buffer, start, end);
    const id = idOfRecord(record);
    if (id === undefined) return false;
    keepLatest(results, id, toExportedResult(record as Partial<ResultRecord>, source, models));
    return true;
  };
}

function visitFailures(failures: Map<string, ExportedFailure>, source: number): LineVisitor {
  return (buffer, start, end) => {
    const record = parseLine(buffer, start, end);
    const id = idOfRecord(record);
    if (id === undefined) return false;
    keepLatest(failures, id, toExportedFailure(record as Partial<FailureRecord>, source));
    return true;
  };
}

function keepLatest<T extends { source: number; ts: string }>(map: Map<string, T>, id: string, next: T): void {
  const previous = map.get(id);
  if (previous === undefined || previous.source === next.source || next.ts >= previous.ts) map.set(id, next);
}

function toExportedResult(record: Partial<ResultRecord>, source: number, models: Map<string, string>): ExportedResult {
  const model = typeof record.model === 'string' ? record.model : '';
  if (!models.has(model)) models.set(model, model);
  return {
    output: typeof record.output === 'string' ? record.output : '',
    parsed: flattenParsed(record.parsed),
    costUsd: typeof record.cost_usd === 'number' ? record.cost_usd : null,
    model: models.get(model)!,
    source,
    ts: typeof record.ts === 'string' ? record.ts : '',
    matched: false,
  };
}

function toExportedFailure(record: Partial<FailureRecord>, source: number): ExportedFailure {
  const error = record.error;
  const failureClass = typeof error?.class === 'string' ? error.class : 'unknown';
  const message = typeof error?.message === 'string' ? error.message : '';
  return {
    error: message === '' ? failureClass : `${failureClass}: ${message}`,
    source,
    ts: typeof record.ts === 'string' ? record.ts : '',
  };
}

function unionOfParsedColumns(results: Map<string, ExportedResult>): string[] {
  const columns = new Set<string>();
  for (const result of results.values()) for (const key in result.parsed) columns.add(key);
  return [...columns];
}
