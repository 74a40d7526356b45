const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits a byte stream into lines exactly where `node:readline` does: at `\n`, `\r\n` and a lone `\r`; a
 * last line without an ending counts when it is not empty.
 *
 * Why not readline: it decodes every chunk, splits the string with a regular expression and emits an event
 * per line, ~1 s of CPU per million lines, which a resumed run pays twice before its first request (SPEC
 * §12: 5 s). Here a line is found with `indexOf` on the bytes and handed over as bytes, whole (UTF-8 split
 * across chunks included), for the caller to decode or skip. And it can pause between two lines, which readline cannot: a large read then does not
 * turn into thousands of parsed rows at once, which would outlive a young-generation GC and inflate the
 * old space (SPEC §12: 250 MB).
 */
export class LineSplitter {
  /**
   * Bytes after the last `\n` seen, waiting for the rest of their line: kept as chunks and joined once
   * the line ends, so a multi-megabyte line (an inline image) is not copied again with every chunk.
   */
  private rest: Buffer[] = [];
  /** A chunk being split, and where the next line starts in it. */
  private data: Buffer | undefined;
  private start = 0;
  private hasCr = false;
  private paused = false;
  private onEnd: (() => void) | undefined;

  /**
   * `onLine` gets each line as `data[start, end)`, undecoded, so a caller may skip a line without decoding
   * it; `data` is only valid during the call.
   */
  constructor(private readonly onLine: (data: Buffer, start: number, end: number) => void) {}

  /** True after `pause` until `resume`: the caller should not push more meanwhile. */
  get isPaused(): boolean {
    return this.paused;
  }

  push(chunk: Buffer): void {
    let start = 0;
    if (this.rest.length > 0) {
      const newline = chunk.indexOf(LF);
      if (newline === -1) {
        this.rest.push(chunk);
        return;
      }
      // Only the line begun in earlier chunks is joined: copying whole chunks would churn megabytes.
      const head = Buffer.concat([...this.rest, chunk.subarray(0, newline)]);
      this.rest = [];
      this.emit(head, 0, head.length, true, head.indexOf(CR) !== -1);
      start = newline + 1;
    }
    this.data = chunk;
    this.start = start;
    // CR-free data (most files) needs no per-line search for lone carriage returns.
    this.hasCr = chunk.indexOf(CR, start) !== -1;
    this.drain();
  }

  /** Stops emitting after the current line; `resume` goes on from the next one. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.drain();
  }

  /** The input ended: `done` runs once every line was emitted (its last one counts when not empty). */
  end(done: () => void): void {
    this.onEnd = done;
    this.drain();
  }

  private drain(): void {
    const data = this.data;
    if (data !== undefined) {
      let newline = data.indexOf(LF, this.start);
      while (newline !== -1 && !this.paused) {
        const start = this.start;
        this.start = newline + 1;
        this.emit(data, start, newline, true, this.hasCr);
        newline = this.paused ? -1 : data.indexOf(LF, this.start);
      }
      if (this.paused && this.start < data.length && data.indexOf(LF, this.start) !== -1) return;
      // Copied: a view would keep the whole chunk alive for a few bytes.
      if (this.start < data.length) this.rest.push(Buffer.from(data.subarray(this.start)));
      this.data = undefined;
    }
    if (this.onEnd === undefined || this.paused) return;
    const done = this.onEnd;
    this.onEnd = undefined;
    if (this.rest.length > 0) {
      const rest = Buffer.concat(this.rest);
      this.rest = [];
      this.emit(rest, 0, rest.length, false, true);
    }
    done();
  }

  /** Emits the line(s) in `data[start, end)`; `terminated` when a `\n` follows. */
  private emit(data: Buffer, start: number, end: number, terminated: boolean, hasCr: boolean): void {
    let lineStart = start;
    let lineEnd = end;
    if (hasCr) {
      if (terminated && lineEnd > lineStart && data[lineEnd - 1] === CR) lineEnd -= 1;
      for (let i = lineStart; i < lineEnd; i += 1) {
        if (data[i] !== CR) continue;
        this.onLine(data, lineStart, i);
        lineStart = i + 1;
      }
    }
    if (terminated || lineEnd > lineStart) this.onLine(data, lineStart, lineEnd);
  }
}
