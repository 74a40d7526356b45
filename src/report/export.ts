import { open } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { UsageError } from '../errors.js';
import { STDIN_PATH } from '../input/detect-format.js';
import { readInput } from '../input/open-input.js';
import type { InputSource } from '../input/types.js';
import { collectInputColumns, createInputColumnNamer, ID_COLUMN, resultColumns } from './export-columns.js';
import { resolveExportInput } from './export-input.js';
import { inputFormatOf } from './input-of-output.js';
import { loadResults, type ExportedFailure, type ExportedResult, type LoadedResults } from './load-results.js';
import { EXPORT_FORMATS, writeRows, type ExportFormat, type Row } from './write-rows.js';

export { EXPORT_FORMATS, type ExportFormat } from './write-rows.js';

/** Options for {@link exportResults}. */
export interface ExportOptions {
  /** Results files (globs already expanded); several are merged (shards). */
  outputs: string[];
  /**
   * The input to join results to, rows in its order.
   * @default the input named in the outputs' state files, when it is still there; else no join
   */
  input?: string;
  /** `jsonl`, `csv` or `tsv`. @default by the input's extension */
  inputFormat?: string;
  /** The run's `--id-field`. @default `id` if the first row has it, else the row number (as the run does) */
  idField?: string;
  format: ExportFormat;
  /**
   * Also write failed items (with an `error` column, `class: message`) and items not processed yet (empty
   * result columns): every input row then appears. Without it only items with a result are written.
   * @default false
   */
  includeFailed: boolean;
  /**
   * CSV only: start with a UTF-8 byte-order mark, so Excel reads the file as UTF-8 (`Café`, not `CafÃ©`).
   * @default true when the joined input starts with one (it came from a spreadsheet), else false
   */
  bom?: boolean;
  /** Where rows go; left open (the caller ends it). */
  out: Writable;
}

/** What an export wrote, for the command's closing line. */
export interface ExportSummary {
  /** Rows written. */
  rows: number;
  /** Rows with a result. */
  done: number;
  /** Rows of failed items (only with `includeFailed`). */
  failed: number;
  /** Rows of input items with neither result nor failure (only with `includeFailed` and an input). */
  pending: number;
  /** The input joined to; null when results were written without one. */
  input: string | null;
  /** The header (CSV) or the key order of a row (JSON formats; a JSONL input row may add keys). */
  columns: string[];
  /** Results whose id is in no input row: not written. */
  unmatchedResults: number;
  /** Input rows that are not items (malformed, no id): skipped. */
  badInputRows: number;
  /** What a user should know, one sentence each. */
  notes: string[];
}

/**
 * Writes results joined to their input rows (SPEC §2 `export`), in input order: the input is streamed and
 * only the results, reduced to the exported fields, are held in memory. Columns: the input's, then `output`,
 * `parsed.*` (the union of the results' keys), `cost_usd`, `model`, and `error` with `includeFailed`.
 * Without an input, rows follow the results files' order and start with an `id` column.
 */
export async function exportResults(options: ExportOptions): Promise<ExportSummary> {
  if (!EXPORT_FORMATS.includes(options.format)) {
    throw new UsageError(`Expected \`--format\` to be one of ${EXPORT_FORMATS.join(', ')}, got \`${options.format}\``);
  }
  if (options.outputs.length === 0) throw new UsageError('expected at least one output file');
  // CSV needs the input's columns before the first row, so the input may be read twice: a file, then.
  if (options.input === STDIN_PATH) throw new UsageError('export needs --input to be a file, not stdin');
  if (options.inputFormat !== undefined) inputFormatOf(STDIN_PATH, options.inputFormat);
  // The input first: it is cheap, and an ambiguous one should fail before a million results are read.
  const input = await resolveExportInput(options.outputs, options.input);
  const source: InputSource | undefined =
    input.path === undefined
      ? undefined
      : { path: input.path, format: inputFormatOf(input.path, options.inputFormat), idField: options.idField };
  const loaded = await loadResults(options.outputs);
  const results = resultColumns(loaded.parsedColumns, options.includeFailed);
  const summary: ExportSummary = {
    rows: 0,
    done: 0,
    failed: 0,
    pending: 0,
    input: input.path ?? null,
    columns: [],
    unmatchedResults: 0,
    badInputRows: 0,
    notes: [...input.notes],
  };
  if (loaded.damagedLines > 0) summary.notes.push(`${loaded.damagedLines} damaged lines in the outputs were skipped`);
  if (options.format === 'csv' && (options.bom ?? (input.path !== undefined && (await startsWithBom(input.path))))) {
    options.out.write(UTF8_BOM);
  }

  if (source === undefined) {
    summary.columns = [ID_COLUMN, ...results];
    await writeRows(options.format, rowsWithoutInput(loaded, results, options.includeFailed, summary), summary.columns, options.out);
    return summary;
  }
  const nameInputColumn = createInputColumnNamer(results);
  // Only CSV needs every column before the first row; JSON rows carry their own keys.
  const inputColumns = options.format === 'csv' ? (await collectInputColumns(source)).map(nameInputColumn) : [];
  summary.columns = [...inputColumns, ...results];
  const rows = joinedRows(source, loaded, results, nameInputColumn, options.includeFailed, summary);
  await writeRows(options.format, rows, summary.columns, options.out);
  for (const result of loaded.results.values()) if (!result.matched) summary.unmatchedResults += 1;
  if (summary.unmatchedResults > 0) {
    summary.notes.push(
      `${summary.unmatchedResults} results have ids that are in no input row and were not written (another --id-field, or an edited input?)`,
    );
  }
  if (summary.badInputRows > 0) summary.notes.push(`${summary.badInputRows} input rows are not items and were skipped`);
  return summary;
}

async function* joinedRows(
  source: InputSource,
  loaded: LoadedResults,
  columns: string[],
  nameInputColumn: (key: string) => string,
  includeFailed: boolean,
  summary: ExportSummary,
): AsyncIterable<Row> {
  for await (const event of readInput(source)) {
    if (event.kind !== 'item') {
      summary.badInputRows += 1;
      continue;
    }
    const { id, data } = event.item;
    const result = loaded.results.get(id);
    const failure = result === undefined ? loaded.failures.get(id) : undefined;
    if (result === undefined && !includeFailed) continue;
    const row: Row = {};
    for (const key of Object.keys(data)) setField(row, nameInputColumn(key), data[key]);
    fillResultColumns(row, columns, result, failure);
    if (result !== undefined) result.matched = true;
    count(summary, result, failure);
    yield row;
  }
}

async function* rowsWithoutInput(
  loaded: LoadedResults,
  columns: string[],
  includeFailed: boolean,
  summary: ExportSummary,
): AsyncIterable<Row> {
  for (const [id, result] of loaded.results) {
    count(summary, result, undefined);
    yield fillResultColumns(idRow(id), columns, result, undefined);
  }
  if (!includeFailed) return;
  for (const [id, failure] of loaded.failures) {
    count(summary, undefined, failure);
    yield fillResultColumns(idRow(id), columns, undefined, failure);
  }
}

/** Sets every result column, null where this item has no value, so JSON rows all have the same keys. */
function fillResultColumns(
  row: Row,
  columns: string[],
  result: ExportedResult | undefined,
  failure: ExportedFailure | undefined,
): Row {
  for (const column of columns) row[column] = null;
  if (result !== undefined) {
    row.output = result.output;
    for (const key in result.parsed) row[key] = result.parsed[key];
    row.cost_usd = result.costUsd;
    row.model = result.model;
  }
  if (failure !== undefined && 'error' in row) row.error = failure.error;
  return row;
}

function idRow(id: string): Row {
  return { [ID_COLUMN]: id };
}

/**
 * Rows are plain objects (a null-prototype object is several times slower to fill), so an input column
 * named `__proto__` must be defined, not assigned, to stay a column.
 */
function setField(row: Row, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(row, key, { value, enumerable: true, writable: true, configurable: true });
  else row[key] = value;
}

function count(summary: ExportSummary, result: ExportedResult | undefined, failure: ExportedFailure | undefined): void {
  summary.rows += 1;
  if (result !== undefined) summary.done += 1;
  else if (failure !== undefined) summary.failed += 1;
  else summary.pending += 1;
}

const UTF8_BOM = '\uFEFF';

/** Whether a file starts with the UTF-8 byte-order mark; false when it cannot be read (reading it says why). */
async function startsWithBom(file: string): Promise<boolean> {
  const handle = await open(file, 'r').catch(() => null);
  if (handle === null) return false;
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(3), 0, 3, 0);
    return bytesRead === 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf;
  } finally {
    await handle.close();
  }
}
