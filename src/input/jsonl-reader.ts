import { createInterface, type Interface } from 'node:readline';
import type { Readable } from 'node:stream';
import { readBatches } from './batch-events.js';
import type { RawRow } from './raw-row.js';

const BOM = '\uFEFF';
/** Long enough for JSON.parse's position hint, short enough for a one-line problem report. */
const MAX_REASON_LENGTH = 100;

/**
 * Reads JSON Lines in batches: one object per line; blank lines skipped; BOM, CRLF and UTF-8 split across
 * chunks handled.
 *
 * We use `node:readline` + `JSON.parse` rather than the ndjson package: ndjson reports no line numbers and
 * can drop the lines after a malformed one, while the pre-scan must name every bad line exactly. Lines are
 * taken from readline's events in batches (its async iterator costs a promise per line, half the run time
 * on a million lines); the interface is paused while a batch waits, so read-ahead stays bounded.
 */
export function readJsonlRows(stream: Readable): AsyncIterable<RawRow[]> {
  let lines: Interface | undefined;
  let line = 0;
  return readBatches<RawRow>({
    start(handlers) {
      lines = createInterface({ input: stream, crlfDelay: Infinity });
      lines.on('line', (text: string) => {
        line += 1;
        const content = line === 1 && text.startsWith(BOM) ? text.slice(1) : text;
        if (!isBlank(content)) handlers.value(parseJsonLine(content, line));
      });
      lines.on('close', handlers.end);
      // readline re-emits the input's errors on itself (and throws them when nobody listens there).
      lines.on('error', handlers.fail);
    },
    pause: () => lines?.pause(),
    resume: () => lines?.resume(),
    close: () => lines?.close(),
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
