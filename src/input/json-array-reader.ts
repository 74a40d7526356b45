import type { Readable } from 'node:stream';
import { UsageError } from '../errors.js';
import { parseJsonLine } from './jsonl-reader.js';
import type { RawRow } from './raw-row.js';

const BOM = '\uFEFF';

/**
 * Reads a `.json` file holding a top-level array of objects as a stream: one element at a time, so memory
 * holds a chunk and the element being read, never the whole array. Each element's row `line` is the line
 * where it starts; an element that is not a JSON object is a bad row, like a bad JSONL line.
 */
export async function* readJsonArrayRows(stream: Readable, label: string): AsyncGenerator<RawRow[]> {
  const scanner = new ArrayScanner(label);
  stream.setEncoding('utf8');
  for await (const chunk of stream as AsyncIterable<string>) {
    const rows = scanner.push(chunk);
    if (rows.length > 0) yield rows;
  }
  scanner.end();
}

type State = 'before' | 'between' | 'element' | 'after';

class ArrayScanner {
  readonly #label: string;
  #state: State = 'before';
  #line = 1;
  #elementLine = 1;
  #element = '';
  #depth = 0;
  #inString = false;
  #escaped = false;
  #first = true;
  #elements = 0;

  constructor(label: string) {
    this.#label = label;
  }

  push(chunk: string): RawRow[] {
    const rows: RawRow[] = [];
    let text = chunk;
    if (this.#first) {
      this.#first = false;
      if (text.startsWith(BOM)) text = text.slice(1);
    }
    let start = -1;
    for (let i = 0; i < text.length; i += 1) {
      const char = text[i];
      if (this.#state === 'element') {
        if (start < 0) start = i;
        if (this.#inString) {
          if (this.#escaped) this.#escaped = false;
          else if (char === '\\') this.#escaped = true;
          else if (char === '"') this.#inString = false;
        } else if (char === '"') this.#inString = true;
        else if (char === '{' || char === '[') this.#depth += 1;
        else if (char === '}' || char === ']') {
          if (this.#depth === 0) {
            // A `]` that closes the array ends a primitive element (`[1, 2]`).
            this.#element += text.slice(start, i);
            start = -1;
            rows.push(this.#finishElement());
            this.#state = 'after';
            this.#expectClose(char);
          } else if (--this.#depth === 0) {
            this.#element += text.slice(start, i + 1);
            start = -1;
            rows.push(this.#finishElement());
            this.#state = 'between';
          }
        } else if (char === ',' && this.#depth === 0) {
          this.#element += text.slice(start, i);
          start = -1;
          rows.push(this.#finishElement());
          this.#state = 'between';
          this.#afterComma = true;
        }
      } else if (!isSpace(char)) {
        if (this.#structural(char)) {
          start = i;
          if (char === '{' || char === '[') this.#depth = 1;
          else if (char === '"') this.#inString = true;
        }
      }
      if (char === '\n') this.#line += 1;
    }
    if (start >= 0) this.#element += text.slice(start);
    return rows;
  }

  /** Whether the last separator was a comma (so a `]` now would be a trailing comma). */
  #afterComma = false;

  /** A character outside any element; true when it starts one. */
  #structural(char: string): boolean {
    switch (this.#state) {
      case 'before':
        if (char !== '[') this.#fail(`expected a JSON array of objects, found "${char}" on line ${this.#line}`, char === '{');
        this.#state = 'between';
        this.#afterComma = false;
        return false;
      case 'between':
        if (char === ']') {
          if (this.#afterComma) this.#fail(`trailing comma before "]" on line ${this.#line}`);
          this.#state = 'after';
          return false;
        }
        if (char === ',') {
          if (this.#afterComma || this.#elements === 0) this.#fail(`unexpected "," on line ${this.#line}`);
          this.#afterComma = true;
          return false;
        }
        if (this.#elements > 0 && !this.#afterComma) this.#fail(`missing "," between elements on line ${this.#line}`);
        this.#elements += 1;
        this.#state = 'element';
        this.#elementLine = this.#line;
        this.#afterComma = false;
        return true;
      case 'after':
        return this.#fail(`unexpected "${char}" after the end of the array on line ${this.#line}`);
      case 'element':
        return false;
    }
  }

  #expectClose(char: string): void {
    if (char !== ']') this.#fail(`unexpected "${char}" on line ${this.#line}`);
  }

  #finishElement(): RawRow {
    const row = parseJsonLine(this.#element.trim(), this.#elementLine);
    this.#element = '';
    this.#depth = 0;
    return row;
  }

  end(): void {
    if (this.#state === 'before') return; // An empty file: no items, as an empty JSONL file.
    if (this.#state !== 'after') this.#fail('the array is not closed: the file ends before its "]"');
  }

  #fail(message: string, looksLikeJsonl = false): never {
    const hint = looksLikeJsonl ? ' (one object per line is JSONL: name the file .jsonl or pass --format jsonl)' : '';
    throw new UsageError(`${this.#label}: ${message}${hint}`);
  }
}

function isSpace(char: string): boolean {
  return char === ' ' || char === '\n' || char === '\r' || char === '\t';
}
