import type { Readable } from 'node:stream';
import { readBatches } from './batch-events.js';
import { LineSplitter } from './line-splitter.js';
import type { LineFilter, RawRow } from './raw-row.js';

const BOM = '\uFEFF';
/** Long enough for JSON.parse's position hint, short enough for a one-line problem report. */
const MAX_REASON_LENGTH = 100;

/**
 * Reads JSON Lines in batches: one object per line; blank lines skipped; BOM, CRLF and UTF-8 split across
 * chunks handled.
 *
 * We split lines ourselves (`LineSplitter`, readline's line breaks at a fraction of its cost) and
 * `JSON.parse` them, rather than use the ndjson package: ndjson reports no line numbers and can drop the
 * lines after a malformed one, while the pre-scan must name every bad line exactly. Rows are handed over in
 * batches (a promise per line would cost half the run time on a million lines); the stream is paused while
 * a batch waits, so read-ahead stays bounded.
 */
export function readJsonlRows(stream: Readable, skipLines?: LineFilter): AsyncIterable<RawRow[]> {
  let line = 0;
  let onLine: ((data: Buffer, start: number, end: number) => void) | undefined;
  const splitter = new LineSplitter((data, start, end) => onLine?.(data, start, end));
  let stop: (() => void) | undefined;
  return readBatches<RawRow>({
    start(handlers) {
      onLine = (data, start, end) => {
        line += 1;
        // Decoding and parsing are the cost of a line: a resumed run skips the ones the pre-scan found done.
        if (skipLines?.has(line)) return handlers.value({ kind: 'skipped', line });
        const text = data.toString('utf8', start, end);
        const content = line === 1 && text.startsWith(BOM) ? text.slice(1) : text;
        if (!isBlank(content)) handlers.value(parseJsonLine(content, line));
      };
      const onData = (chunk: Buffer | string): void => {
        splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
        // Paused mid-chunk by a full batch: no more chunks until its remaining lines are taken.
        if (splitter.isPaused) stream.pause();
      };
      const onEnd = (): void => splitter.end(handlers.end);
      stream.on('data', onData);
      stream.once('end', onEnd);
      stream.on('error', handlers.fail);
      // Stops listening without destroying the stream: stdin is not ours to close.
      stop = () => {
        stream.off('data', onData);
        stream.off('end', onEnd);
        stream.off('error', handlers.fail);
        stream.pause();
      };
    },
    pause: () => {
      splitter.pause();
      stream.pause();
    },
    resume: () => {
      splitter.resume();
      // Emitting the held lines may have filled the next batch and paused again.
      if (!splitter.isPaused) stream.resume();
    },
    close: () => stop?.(),
  });
}

/** Parses one non-blank line into a row, or a bad row saying why it is not a JSON object. */
export function parseJsonLine(text: string, line: number): RawRow {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { kind: 'bad', line, message: `malformed JSON (${shorten((error as Error).message)})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { kind: 'bad', line, message: `expected a JSON object, got ${describeJsonValue(value)}` };
  }
  return { kind: 'row', line, data: value as Record<string, unknown> };
}

function isBlank(text: string): boolean {
  // The common case is a non-empty line starting with `{`: skip the trim allocation for it.
  if (text.length === 0) return true;
  const first = text.charCodeAt(0);
  return first <= 0x20 ? text.trim().length === 0 : false;
}

function describeJsonValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function shorten(text: string): string {
  return text.length <= MAX_REASON_LENGTH ? text : `${text.slice(0, MAX_REASON_LENGTH - 1)}…`;
}
