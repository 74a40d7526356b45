/**
 * Keeps the live bar intact when something else writes to the same stream (a Node warning, a stray
 * `console.error`): such a write would land at the end of the bar line and be repeated by every redraw. While
 * diverted, a foreign write first clears the bar line, and the bar is redrawn below once the write ends a
 * line. ora does the same for its spinner; the bar and the spinner never hold the line at the same time.
 */
import type { ReporterStream } from './reporter.js';
import type { Terminal } from './tty-terminal.js';

export interface ForeignWriteHooks {
  /** Called before a foreign chunk is written: clear the live line. */
  before(): void;
  /** Called after a foreign chunk that ends a line: redraw the live line. */
  afterLine(): void;
}

type WriteFunction = (chunk: unknown, ...rest: unknown[]) => boolean;

/** Patches `stream.write` until the returned function is called; our own writes pass straight through. */
export function divertForeignWrites(stream: ReporterStream, terminal: Terminal, hooks: ForeignWriteHooks): () => void {
  const target = stream as unknown as { write: WriteFunction };
  const hadOwnWrite = Object.prototype.hasOwnProperty.call(stream, 'write');
  const original = target.write;
  let active = true;

  const diverted: WriteFunction = (chunk, ...rest) => {
    if (!active || terminal.isWriting) return original.call(stream, chunk, ...rest);
    hooks.before();
    const result = original.call(stream, chunk, ...rest);
    if (endsLine(chunk)) hooks.afterLine();
    return result;
  };
  target.write = diverted;

  return () => {
    active = false;
    // Someone patched after us and will restore to our function, which now just passes writes through.
    if (target.write !== diverted) return;
    if (hadOwnWrite) target.write = original;
    else delete (target as { write?: WriteFunction }).write;
  };
}

function endsLine(chunk: unknown): boolean {
  const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString() : '';
  return text.endsWith('\n');
}
