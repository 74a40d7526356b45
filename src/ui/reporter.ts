/**
 * The reporter contract: the engine hands every RunEvent to `handle`; the CLI calls `close` once, in a
 * `finally`, so a crash still leaves the terminal tidy (spinner and bar stopped, timers cleared).
 */
import type { RunEvent } from '../run/events.js';

export interface Reporter {
  /** Renders one event. Never throws for a well-formed event. */
  handle(event: RunEvent): void;
  /** Stops spinners, bars and timers. Idempotent; events after `close` are ignored. */
  close(): void;
}

/** The slice of a writable stream reporters need; `process.stderr` satisfies it. */
export interface ReporterStream {
  write(chunk: string): boolean;
  isTTY?: boolean;
  /** Terminal width; read on every redraw, so a resized terminal is followed. */
  columns?: number;
  on?(event: 'resize', listener: () => void): unknown;
  /** Lets `close` detach the resize listener; without it the listener stays (harmless once closed). */
  removeListener?(event: 'resize', listener: () => void): unknown;
}

export type ReporterMode = 'auto' | 'quiet' | 'json';

export interface ReporterOptions {
  /** Where everything is drawn: stderr (results never go through a reporter). */
  stream: ReporterStream;
  /** The environment, for `NO_COLOR`, `FORCE_COLOR`, `TERM`, `COLORTERM`. */
  env: Record<string, string | undefined>;
  /**
   * `auto`: a live bar on a TTY, plain lines otherwise; `quiet` (`--quiet`): only the summary and fatal
   * errors; `json` (`--log-json`): one JSON event per line.
   * @default 'auto'
   */
  mode: ReporterMode;
  /**
   * Least time between two progress lines in plain and JSON output (`--progress-interval`, in ms here).
   * @default 10000
   */
  progressIntervalMs: number;
  /**
   * Clock for progress throttling and JSON timestamps.
   * @default Date.now
   */
  now?: () => number;
  /**
   * The name that starts the run-started line (`llm-batch: 5,000 items, …`).
   * @default 'llm-batch'
   */
  command?: string;
}

/** The default for `progressIntervalMs` (SPEC §10: a plain line every 10 s). */
export const DEFAULT_PROGRESS_INTERVAL_MS = 10_000;

/** The default for `command`. */
export const DEFAULT_COMMAND = 'llm-batch';
