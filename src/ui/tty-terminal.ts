/**
 * One terminal object over the injected stream, shaped for both drawing libraries:
 * - ora calls `cursorTo`, `moveCursor`, `clearLine` and reads `columns` on its stream, methods only a real
 *   `tty.WriteStream` has; here they are plain escape codes, so any `{ write, isTTY, columns }` works.
 * - cli-progress accepts a `terminal` of its own. Ours writes lines as given (the bar line is already
 *   fitted to the width; cli-progress would cut it by string length, escape codes included, and split a
 *   colour code) and never hides the cursor or turns off line wrapping: if the process died mid-run those
 *   terminal modes would stay off in the user's shell.
 */
import type { ReporterStream } from './reporter.js';

const ESC = '\u001B[';

/** ora's clear loop runs once per line the spinner takes: 0 columns would make that infinite (ora 9.4.1). */
const FALLBACK_COLUMNS = 80;

export interface Terminal {
  readonly isTTY: true;
  /** The stream's width, or 80 when it reports none. */
  readonly columns: number;
  /** True during our own writes, so writes from elsewhere can be told apart (see foreign-writes.ts). */
  readonly isWriting: boolean;
  write(chunk: string): boolean;
  cursorTo(x: number, y?: number | null): boolean;
  moveCursor(dx: number, dy: number): boolean;
  clearLine(direction?: -1 | 0 | 1): boolean;
  on(event: string, listener: () => void): Terminal;
  once(event: string, listener: () => void): Terminal;
  removeListener(event: string, listener: () => void): Terminal;
}

/** What a cli-progress bar calls on its `terminal` (lib/terminal.js in cli-progress 3.x). */
export interface BarTerminal {
  cursorSave(): void;
  cursorRestore(): void;
  cursor(enabled: boolean): void;
  cursorTo(x: number | null, y?: number | null): void;
  cursorRelative(dx: number | null, dy: number | null): void;
  cursorRelativeReset(): void;
  clearRight(): void;
  clearLine(): void;
  clearBottom(): void;
  newline(): void;
  write(text: string): void;
  lineWrapping(enabled: boolean): void;
  isTTY(): boolean;
  getWidth(): number;
}

/** Wraps a TTY stream with ora's stream surface; `columns` is read live so a resize is followed. */
export function createTerminal(stream: ReporterStream): Terminal {
  let writing = false;
  const write = (chunk: string): boolean => {
    writing = true;
    try {
      stream.write(chunk);
    } finally {
      writing = false;
    }
    // Always "not full": ora would otherwise wait for a 'drain' our minimal stream type cannot promise.
    return true;
  };
  const terminal: Terminal = {
    isTTY: true,
    get columns() {
      const columns = stream.columns;
      return typeof columns === 'number' && columns > 0 ? columns : FALLBACK_COLUMNS;
    },
    get isWriting() {
      return writing;
    },
    write: (chunk) => write(chunk),
    // Through the property, not the closure: ora replaces `write` while spinning to keep its line clean.
    cursorTo: (x) => terminal.write(`${ESC}${Math.max(0, x) + 1}G`),
    moveCursor: (dx, dy) => terminal.write(relativeMove(dx, dy)),
    clearLine: (direction = 0) => terminal.write(`${ESC}${direction === 1 ? 0 : direction === -1 ? 1 : 2}K`),
    on: () => terminal,
    once: () => terminal,
    removeListener: () => terminal,
  };
  return terminal;
}

/** cli-progress's terminal over ours: same writes, no terminal modes touched, no truncation. */
export function createBarTerminal(terminal: Terminal): BarTerminal {
  const noop = () => {};
  return {
    cursorSave: noop,
    cursorRestore: noop,
    cursor: noop,
    cursorTo: (x) => {
      if (x !== null) terminal.cursorTo(x);
    },
    cursorRelative: (dx, dy) => {
      terminal.moveCursor(dx ?? 0, dy ?? 0);
    },
    cursorRelativeReset: noop,
    clearRight: () => {
      terminal.clearLine(1);
    },
    clearLine: () => {
      terminal.clearLine(0);
    },
    clearBottom: () => {
      terminal.write(`${ESC}0J`);
    },
    newline: () => {
      terminal.write('\n');
    },
    write: (text) => {
      terminal.write(text);
    },
    lineWrapping: noop,
    isTTY: () => true,
    getWidth: () => terminal.columns,
  };
}

/** Clears the current line and puts the cursor at its start. */
export function clearCurrentLine(terminal: Terminal): void {
  terminal.write(`${ESC}1G${ESC}2K`);
}

function relativeMove(dx: number, dy: number): string {
  let codes = '';
  if (dx > 0) codes += `${ESC}${dx}C`;
  if (dx < 0) codes += `${ESC}${-dx}D`;
  if (dy > 0) codes += `${ESC}${dy}B`;
  if (dy < 0) codes += `${ESC}${-dy}A`;
  return codes;
}
