import { readLineBlocks, type LineBlock } from './journal-lines.js';

/** A line in the middle of a journal that is not a record. */
export interface InvalidLine {
  /** 1-based line number. */
  line: number;
  /** The line as read (first 200 characters). */
  text: string;
}

/** Options for {@link readJournal} and {@link scanJournal}. */
export interface ReadJournalOptions {
  /**
   * Called for each unparsable line that is NOT the last one (those are damage, not a crash tear).
   * @default ignore them
   */
  onInvalidLine?: (invalid: InvalidLine) => void;
  /**
   * Byte offset at a line start to begin at ({@link scanJournal} only).
   * @default 0
   */
  startAt?: number;
}

/** What a scan saw besides the records. */
export interface ScanStats {
  /** Lines accepted as records. */
  records: number;
  /** Unparsable lines in the middle (reported through `onInvalidLine`). */
  invalidLines: number;
  /** The last line was torn by a crash (no `\n` and not a complete record, or unparsable) and was dropped. */
  tornTail: boolean;
}

/**
 * Decides whether `buffer[start, end)` is a record and consumes it. Returns false for an unparsable line.
 * Must not keep `buffer`: it is reused by the next read.
 */
export type LineVisitor = (buffer: Buffer, start: number, end: number, line: number) => boolean;

const INVALID_TEXT_LIMIT = 200;

/**
 * Streams a JSON Lines journal tolerantly: blank lines are skipped, a torn last line is dropped, an
 * unparsable line in the middle is reported and skipped. A missing file reads as empty.
 */
export async function* readJournal(
  filePath: string,
  options: ReadJournalOptions = {},
): AsyncIterable<{ record: unknown; line: number }> {
  const scan = new TolerantScan(options);
  let pending: { record: unknown; line: number }[] = [];
  const visit: LineVisitor = (buffer, start, end, line) => {
    const record = parseLine(buffer, start, end);
    // Every journal record is an object; a bare number or string on a line is damage.
    if (record === undefined || typeof record !== 'object') return false;
    pending.push({ record, line });
    return true;
  };
  for await (const block of readLineBlocks(filePath)) {
    scan.visitBlock(block, visit);
    if (pending.length > 0) {
      const ready = pending;
      pending = [];
      yield* ready;
    }
  }
}

/** Like {@link readJournal}, but hands raw lines to `visit` (fast paths that skip JSON.parse). */
export async function scanJournal(
  filePath: string,
  visit: LineVisitor,
  options: ReadJournalOptions = {},
): Promise<ScanStats> {
  const scan = new TolerantScan(options);
  for await (const block of readLineBlocks(filePath, options.startAt)) scan.visitBlock(block, visit);
  return scan.finish();
}

/** JSON.parse of one line; undefined when it is not JSON (a JSON `null` line counts as unparsable too). */
export function parseLine(buffer: Buffer, start: number, end: number): unknown {
  try {
    const value: unknown = JSON.parse(buffer.toString('utf8', start, end));
    return value ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * The tolerance rules. An unparsable line is held back until a later record shows it was not the last
 * line: only then is it damage worth reporting; if nothing follows, it is the crash tear and is dropped.
 */
class TolerantScan {
  private readonly onInvalidLine: ((invalid: InvalidLine) => void) | undefined;
  private heldBack: InvalidLine | undefined;
  private stats: ScanStats = { records: 0, invalidLines: 0, tornTail: false };

  constructor(options: ReadJournalOptions) {
    this.onInvalidLine = options.onInvalidLine;
  }

  visitBlock(block: LineBlock, visit: LineVisitor): void {
    const { buffer, starts, ends, firstLine } = block;
    for (let i = 0; i < starts.length; i += 1) {
      const start = starts[i];
      const end = ends[i];
      if (isBlank(buffer, start, end)) continue;
      const line = firstLine + i;
      if (visit(buffer, start, end, line)) {
        this.releaseHeldBack();
        this.stats.records += 1;
        continue;
      }
      this.releaseHeldBack();
      this.heldBack = { line, text: buffer.toString('utf8', start, Math.min(end, start + INVALID_TEXT_LIMIT)) };
    }
  }

  finish(): ScanStats {
    if (this.heldBack !== undefined) this.stats.tornTail = true;
    this.heldBack = undefined;
    return this.stats;
  }

  private releaseHeldBack(): void {
    if (this.heldBack === undefined) return;
    this.stats.invalidLines += 1;
    this.onInvalidLine?.(this.heldBack);
    this.heldBack = undefined;
  }
}

function isBlank(buffer: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i += 1) {
    const byte = buffer[i];
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  }
  return true;
}
