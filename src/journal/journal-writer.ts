import fs from 'node:fs';

/** Options for {@link JournalWriter.open}. */
export interface JournalWriterOptions {
  /**
   * Longest time an appended line may sit in the OS cache before it is fsynced (SPEC §6).
   * @default 1000
   */
  fsyncIntervalMs?: number;
  /**
   * Permission bits used when the file is created (an existing file keeps its own).
   * @default 0o644
   */
  mode?: number;
  /**
   * Clock used to decide when an fsync is due.
   * @default Date.now
   */
  now?: () => number;
  /**
   * Writes a line's text to the file; returns the bytes written (tests inject disk faults here).
   * @default fs.writeSync
   */
  writeText?: (fd: number, text: string) => number;
}

const DEFAULT_FSYNC_INTERVAL_MS = 1000;
const DEFAULT_MODE = 0o644;
const STDOUT_FD = 1;
/** How long to wait before retrying a write that a full non-blocking pipe refused (EAGAIN). */
const EAGAIN_BACKOFF_MS = 1;

/**
 * Append-only JSON Lines writer. Each record is ONE `writeSync` of a complete line to a file opened with
 * O_APPEND, so a crash can tear at most the last line, and the reader can always tell where records end.
 */
export class JournalWriter {
  readonly path: string;
  private readonly fd: number;
  private readonly durable: boolean;
  private readonly fsyncIntervalMs: number;
  private readonly now: () => number;
  private readonly writeText: (fd: number, text: string) => number;
  private readonly timer: NodeJS.Timeout | undefined;
  private dirty = false;
  private closed = false;
  private lastSyncAt: number;
  private appended = 0;
  /** The file's size: what it held at open plus every byte appended since (the state records it). */
  private bytes: number;
  private syncs = 0;
  /** An fsync failure in the timer, where throwing would crash the process; raised by the next call. */
  private timerFailure: unknown;

  private constructor(filePath: string, fd: number, durable: boolean, options: JournalWriterOptions) {
    this.path = filePath;
    this.fd = fd;
    this.durable = durable;
    this.fsyncIntervalMs = options.fsyncIntervalMs ?? DEFAULT_FSYNC_INTERVAL_MS;
    this.now = options.now ?? Date.now;
    this.writeText = options.writeText ?? ((fd, text) => fs.writeSync(fd, text));
    this.lastSyncAt = this.now();
    this.bytes = durable ? fs.fstatSync(fd).size : 0;
    if (durable) {
      // The timer covers the idle case; append() also syncs inline when a busy loop starves timers.
      this.timer = setInterval(() => this.syncIfDirty(), this.fsyncIntervalMs);
      this.timer.unref();
    }
  }

  /** Opens (creating if needed) a journal file for appending. */
  static open(filePath: string, options: JournalWriterOptions = {}): JournalWriter {
    const fd = fs.openSync(filePath, 'a', options.mode ?? DEFAULT_MODE);
    return new JournalWriter(filePath, fd, true, options);
  }

  /** A writer on stdout (`-o -`): same one-write-per-line framing, no fsync (pipes cannot be synced). */
  static stdout(): JournalWriter {
    return new JournalWriter('-', STDOUT_FD, false, {});
  }

  /** Lines appended by this writer. */
  get lineCount(): number {
    return this.appended;
  }

  /** Bytes in the file, written by this writer or before it opened the file. */
  get size(): number {
    return this.bytes;
  }

  /** fsyncs performed by this writer (for tests and diagnostics). */
  get syncCount(): number {
    return this.syncs;
  }

  /** Appends one record as one line. Throws if the write fails (disk full, closed writer). */
  append(record: object): void {
    if (this.closed) throw new Error(`journal ${this.path} is closed`);
    this.raiseTimerFailure();
    const line = JSON.stringify(record) + '\n';
    writeWhole(this.fd, line, this.writeText);
    this.appended += 1;
    this.bytes += Buffer.byteLength(line);
    this.dirty = true;
    if (this.durable && this.now() - this.lastSyncAt >= this.fsyncIntervalMs) this.flush();
  }

  /** fsyncs now, so everything appended so far survives a power loss. */
  flush(): void {
    if (!this.durable || this.closed) return;
    this.syncNow();
  }

  /** Syncs and closes the file. Idempotent; stdout is synced by nobody and left open. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    try {
      this.raiseTimerFailure();
      if (this.durable && this.dirty) this.syncNow();
    } finally {
      if (this.durable) fs.closeSync(this.fd);
    }
  }

  private syncNow(): void {
    fs.fsyncSync(this.fd);
    this.syncs += 1;
    this.dirty = false;
    this.lastSyncAt = this.now();
  }

  private syncIfDirty(): void {
    if (!this.dirty || this.closed || this.timerFailure !== undefined) return;
    try {
      this.syncNow();
    } catch (error) {
      this.timerFailure = error;
    }
  }

  private raiseTimerFailure(): void {
    if (this.timerFailure === undefined) return;
    const failure = this.timerFailure;
    this.timerFailure = undefined;
    throw failure;
  }
}

/**
 * Writes the whole line. A regular file opened for append takes it in one write; a non-blocking pipe
 * (stdout) may take part of it or refuse with EAGAIN, and then the rest follows.
 */
function writeWhole(fd: number, line: string, writeText: (fd: number, text: string) => number): void {
  let buffer: Buffer | undefined;
  let offset = 0;
  for (;;) {
    try {
      if (buffer === undefined) {
        const written = writeText(fd, line);
        if (written === Buffer.byteLength(line)) return;
        buffer = Buffer.from(line);
        offset = written;
      } else {
        offset += fs.writeSync(fd, buffer, offset);
        if (offset >= buffer.length) return;
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      sleepSync(EAGAIN_BACKOFF_MS);
    }
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
