import { parse } from 'fast-csv';
import type { Readable } from 'node:stream';
import { UsageError } from '../errors.js';
import { readBatches } from './batch-events.js';
import type { RawRow } from './raw-row.js';

export interface CsvReadOptions {
  /** `,` for CSV, a tab for TSV. */
  delimiter: ',' | '\t';
  /** Names the input in error messages (the file path, or `stdin`). */
  label: string;
}

/**
 * Reads CSV/TSV with a header row (RFC 4180 quoting, embedded newlines, BOM, CRLF) into batches of rows of
 * strings.
 *
 * fast-csv runs with `headers: false` and we apply the header ourselves: that way a row with the wrong column
 * count still arrives with all its values, so we can count the newlines inside them and report the physical
 * line where every row starts (fast-csv itself only knows row numbers).
 */
export function readCsvRows(stream: Readable, options: CsvReadOptions): AsyncIterable<RawRow[]> {
  const parser = parse<string[], string[]>({ headers: false, delimiter: options.delimiter, ignoreEmpty: false });
  let header: string[] | undefined;
  let nextLine = 1;
  const toRow = (values: string[]): RawRow | undefined => {
    const line = nextLine;
    nextLine += 1 + countLineBreaks(values);
    // fast-csv yields [] for an empty or whitespace-only line: skip it, but it still takes a line.
    if (values.length === 0) return undefined;
    if (header === undefined) {
      header = checkHeader(values, line, options.label);
      return undefined;
    }
    if (values.length !== header.length) {
      return { kind: 'bad', line, message: `expected ${header.length} columns, got ${values.length}` };
    }
    return { kind: 'row', line, data: toRecord(header, values) };
  };
  const forwardError = (error: Error): void => {
    parser.destroy(error);
  };
  return readBatches<RawRow>({
    start(handlers) {
      parser.on('data', (values: string[]) => {
        try {
          const row = toRow(values);
          if (row) handlers.value(row);
        } catch (error) {
          handlers.fail(error);
        }
      });
      parser.on('end', handlers.end);
      parser.on('error', (error: Error) => {
        // System errors (EIO, …) carry a code and are the caller's to report; the rest are parse errors.
        const parseError = !('code' in error);
        handlers.fail(
          parseError
            ? new UsageError(`${options.label}: malformed CSV at or after line ${nextLine}: ${error.message}`)
            : error,
        );
      });
      stream.on('error', forwardError);
      stream.pipe(parser);
    },
    pause: () => parser.pause(),
    resume: () => parser.resume(),
    close: () => {
      // Stdin outlives this reader: detach from it completely.
      stream.off('error', forwardError);
      stream.unpipe(parser);
      parser.destroy();
    },
  });
}

function checkHeader(values: string[], line: number, label: string): string[] {
  const seen = new Set<string>();
  for (const name of values) {
    if (seen.has(name)) {
      throw new UsageError(`${label}: duplicate column "${name}" in the header on line ${line}`);
    }
    seen.add(name);
  }
  return values;
}

function toRecord(header: string[], values: string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let i = 0; i < header.length; i += 1) record[header[i]] = values[i];
  return record;
}

/** Line breaks inside quoted values; CRLF counts once, as editors and `wc -l` agree. */
function countLineBreaks(values: string[]): number {
  let count = 0;
  for (const value of values) {
    if (value.indexOf('\n') === -1 && value.indexOf('\r') === -1) continue;
    for (let i = 0; i < value.length; i += 1) {
      const code = value.charCodeAt(i);
      if (code === 0x0a) count += 1;
      else if (code === 0x0d) {
        count += 1;
        if (value.charCodeAt(i + 1) === 0x0a) i += 1;
      }
    }
  }
  return count;
}
