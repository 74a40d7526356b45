const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits a byte stream into lines exactly where `node:readline` does: at `\n`, `\r\n` and a lone `\r`; a
 * last line without an ending counts when it is not empty. Why not readline: it decodes every chunk, then
 * splits the string with a regular expression and emits an event per line, ~1 s of CPU per million
 * lines, which a resumed run pays twice before its first request (SPEC §12: 5 s). Here a line is found
 * with `indexOf` on the bytes and decoded once; UTF-8 split across chunks is whole by then.
 */
export class LineSplitter {
  /**
   * Bytes after the last `\n` seen, waiting for the rest of their line: kept as chunks and joined once
   * the line ends, so a multi-megabyte line (an inline image) is not copied again with every chunk.
   */
  private rest: Buffer[] = [];

  constructor(private readonly onLine: (text: string) => void) {}

  push(chunk: Buffer): void {
    if (this.rest.length > 0 && chunk.indexOf(LF) === -1) {
      this.rest.push(chunk);
      return;
    }
    const data = this.rest.length === 0 ? chunk : Buffer.concat([...this.rest, chunk]);
    this.rest = [];
    // CR-free data (most files) needs no per-line search for lone carriage returns.
    const hasCr = data.indexOf(CR) !== -1;
    let start = 0;
    let newline = data.indexOf(LF);
    while (newline !== -1) {
      this.emit(data, start, newline, true, hasCr);
      start = newline + 1;
      newline = data.indexOf(LF, start);
    }
    // Copied: a view would keep the whole chunk alive for a few bytes.
    if (start < data.length) this.rest.push(Buffer.from(data.subarray(start)));
  }

  /** The input ended: its last line counts when it is not empty. */
  end(): void {
    if (this.rest.length === 0) return;
    const rest = Buffer.concat(this.rest);
    this.rest = [];
    this.emit(rest, 0, rest.length, false, true);
  }

  /** Emits the line(s) in `data[start, end)`; `terminated` when a `\n` follows. */
  private emit(data: Buffer, start: number, end: number, terminated: boolean, hasCr: boolean): void {
    let lineStart = start;
    let lineEnd = end;
    if (hasCr) {
      if (terminated && lineEnd > lineStart && data[lineEnd - 1] === CR) lineEnd -= 1;
      for (let i = lineStart; i < lineEnd; i += 1) {
        if (data[i] !== CR) continue;
        this.onLine(data.toString('utf8', lineStart, i));
        lineStart = i + 1;
      }
    }
    if (terminated || lineEnd > lineStart) this.onLine(data.toString('utf8', lineStart, lineEnd));
  }
}
