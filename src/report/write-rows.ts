import { format as formatCsv } from 'fast-csv';
import ndjson from 'ndjson';
import { pipeline as streamPipeline, Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { toCsvCell } from './export-columns.js';

/** What `export` writes. */
export type ExportFormat = 'csv' | 'jsonl' | 'json';

/** The export formats, for flag validation. */
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'jsonl', 'json'];

/** One exported row: column → value, in column order (null or absent is an empty CSV cell). */
export type Row = Record<string, unknown>;

/** JSON rows are joined into chunks of about this size: one stream write per row is slow at 1M rows. */
const CHUNK_CHARS = 64 * 1024;

/**
 * Streams rows to `out` with backpressure, never holding more than a chunk. CSV goes through fast-csv
 * (RFC 4180 quoting) with `header` as its first line, written even when there are no rows, and cells
 * looked up by header name; JSONL is each row as one object per line; JSON is one array, written element by
 * element. `out` is left open: the caller owns it.
 */
export async function writeRows(exportFormat: ExportFormat, rows: AsyncIterable<Row>, header: string[], out: Writable): Promise<void> {
  if (exportFormat === 'csv') {
    const csv = formatCsv({ headers: header, alwaysWriteHeaders: true, includeEndRowDelimiter: true });
    await pipeline(Readable.from(toCsvRecords(rows, header)), csv, out, { end: false });
    return;
  }
  const text = exportFormat === 'jsonl' ? toJsonLines(rows) : toJsonArray(rows);
  await pipeline(Readable.from(chunk(text), { objectMode: false }), out, { end: false });
}

/** Arrays in header order, so duplicate-looking names and numeric column names keep their place. */
async function* toCsvRecords(rows: AsyncIterable<Row>, header: string[]): AsyncIterable<string[]> {
  for await (const row of rows) yield header.map((column) => toCsvCell(row[column]));
}

async function* toJsonLines(rows: AsyncIterable<Row>): AsyncIterable<string> {
  // ndjson (the user's choice for JSON Lines) turns each row into one line; chunk() then batches the lines,
  // so a 1M-row export is a few thousand writes. stream.pipeline, not .pipe(), so a failing row source
  // ends this loop with its error instead of leaving it waiting.
  const lines = streamPipeline(Readable.from(rows), ndjson.stringify(), () => undefined);
  for await (const line of lines as AsyncIterable<Buffer | string>) yield String(line);
}

async function* toJsonArray(rows: AsyncIterable<Row>): AsyncIterable<string> {
  let first = true;
  yield '[';
  for await (const row of rows) {
    yield `${first ? '\n' : ',\n'}${JSON.stringify(row)}`;
    first = false;
  }
  yield first ? ']\n' : '\n]\n';
}

async function* chunk(parts: AsyncIterable<string>): AsyncIterable<string> {
  let buffered = '';
  for await (const part of parts) {
    buffered += part;
    if (buffered.length >= CHUNK_CHARS) {
      yield buffered;
      buffered = '';
    }
  }
  if (buffered !== '') yield buffered;
}
