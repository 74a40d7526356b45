import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { UsageError } from '../errors.js';
import type { CsvReadOptions } from './csv-reader.js';
import { STDIN_PATH } from './detect-format.js';
import { IdReader } from './item-ids.js';
import { readJsonArrayRows } from './json-array-reader.js';
import { readJsonlRows } from './jsonl-reader.js';
import type { LineFilter, RawRow } from './raw-row.js';
import { shardOf, type Shard } from './shard.js';
import type { InputEvent, InputSource } from './types.js';

/** Bigger than the 64 KiB default: fewer reads on million-line files, still a bounded read-ahead. */
const READ_CHUNK_BYTES = 256 * 1024;

export interface ReadInputOptions {
  /** The stream read when the source path is `-`. @default process.stdin */
  stdin?: Readable;
  /**
   * Yield only the items whose id falls in this shard. Rows outside it still count toward `index`, so ids
   * by row number are the same in every shard. Bad rows without an id are yielded in every shard.
   * @default every item
   */
  shard?: Shard;
  /**
   * JSONL lines to pass over without parsing: the run's second read skips those the pre-scan found done.
   * They still count toward `index`. CSV and TSV read every row (their parser has no per-line hook).
   * @default none
   */
  skipLines?: LineFilter;
}

/**
 * Streams the items of a JSONL/CSV/TSV file or stdin, in file order, with bad rows in place of the items
 * they should have been. Memory does not grow with the file. Throws `UsageError` when it cannot be read.
 */
export async function* readInput(source: InputSource, options: ReadInputOptions = {}): AsyncIterable<InputEvent> {
  for await (const events of readInputBatches(source, options)) yield* events;
}

/**
 * {@link readInput} a batch at a time (a few hundred events): an async generator step per item costs
 * as much as reading it, which the pre-scan of a million lines feels.
 */
export async function* readInputBatches(source: InputSource, options: ReadInputOptions = {}): AsyncIterable<InputEvent[]> {
  const fromStdin = source.path === STDIN_PATH;
  const label = fromStdin ? 'stdin' : source.path;
  const stream = fromStdin ? (options.stdin ?? process.stdin) : await openFile(source.path);
  const ids = new IdReader(source.idField);
  const shard = options.shard;
  let index = 0;
  try {
    for await (const rows of readRows(stream, source, label, options.skipLines)) {
      const events: InputEvent[] = [];
      for (const row of rows) {
        index += 1;
        if (row.kind === 'skipped') continue;
        if (row.kind === 'bad') {
          events.push({ kind: 'bad-row', row: { line: row.line, message: row.message } });
          continue;
        }
        const result = ids.read(row.data, index);
        if ('error' in result) {
          events.push({ kind: 'bad-row', row: { line: row.line, message: result.error } });
          continue;
        }
        if (shard !== undefined && shardOf(result.id, shard.count) !== shard.index) continue;
        if (source.only !== undefined && !source.only.has(result.id)) continue;
        events.push({ kind: 'item', item: { id: result.id, index, line: row.line, data: row.data } });
      }
      if (events.length > 0) yield events;
    }
  } catch (error) {
    throw toReadError(error, label);
  } finally {
    // We opened the file, so we close it, also when the consumer stops early (--limit). Stdin is not ours.
    if (!fromStdin) stream.destroy();
  }
}

function readRows(stream: Readable, source: InputSource, label: string, skipLines: LineFilter | undefined): AsyncIterable<RawRow[]> {
  switch (source.format) {
    case 'jsonl':
      return readJsonlRows(stream, skipLines);
    case 'csv':
      return readCsvLazily(stream, { delimiter: ',', label });
    case 'tsv':
      return readCsvLazily(stream, { delimiter: '\t', label });
    case 'json':
      return readJsonArrayRows(stream, label);
  }
}

/** fast-csv is loaded only for CSV/TSV input: a JSONL run should not pay for it at start-up (issue 13). */
async function* readCsvLazily(stream: Readable, options: CsvReadOptions): AsyncIterable<RawRow[]> {
  const { readCsvRows } = await import('./csv-reader.js');
  yield* readCsvRows(stream, options);
}

async function openFile(path: string): Promise<Readable> {
  try {
    const handle = await open(path, 'r');
    const stats = await handle.stat().catch(async (error: unknown) => {
      await handle.close();
      throw error;
    });
    if (stats.isDirectory()) {
      await handle.close();
      throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    }
    return handle.createReadStream({ highWaterMark: READ_CHUNK_BYTES });
  } catch (error) {
    throw toReadError(error, path);
  }
}

function toReadError(error: unknown, label: string): unknown {
  if (error instanceof UsageError || !isSystemError(error)) return error;
  return new UsageError(`cannot read input file ${label}: ${describeSystemError(error)}`);
}

function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}

const REASON_BY_CODE: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
};

function describeSystemError(error: NodeJS.ErrnoException): string {
  return REASON_BY_CODE[error.code ?? ''] ?? error.message;
}
