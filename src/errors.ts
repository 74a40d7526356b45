/**
 * Typed errors that end a command, and the one table that maps outcomes to exit codes (SPEC §8).
 * Code below `cli/` throws these or returns a run summary; only `cli/` turns them into an exit code.
 */

export const EXIT = {
  /** Every item succeeded. */
  ok: 0,
  /** Finished, but some items failed (dead letters). */
  someFailed: 1,
  /** Usage, config or input error: nothing was sent. */
  usage: 2,
  /** Stopped at the budget. */
  budget: 3,
  /** Fatal API condition (auth, quota, Retry-After beyond --max-wait). */
  fatal: 4,
  /**
   * An output file could not be written: disk full, read-only, I/O error (EX_IOERR). What was written is
   * kept; free space and `--resume`.
   */
  outputError: 74,
  /**
   * A service the run depends on went away mid-run and did not come back: the `--redis` server
   * (EX_UNAVAILABLE). In-flight answers are written and the state saved; resumable once it is back.
   */
  unavailable: 69,
  /** A bug in llm-batch itself (EX_SOFTWARE). */
  internal: 70,
  /** SIGINT/SIGTERM: in-flight results written, state saved, resumable. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Bad flags, bad input file, bad template, refused output: nothing was sent. Exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** Extra lines shown under the message (e.g. the first 10 problem lines). */
  readonly details: string[];
  constructor(message: string, details: string[] = []) {
    super(message);
    this.details = details;
  }
}

/** Why a run stopped dispatching. */
export type StopReason = 'completed' | 'budget' | 'fatal' | 'interrupted' | 'output-error' | 'unavailable';

/** The exit code for a run that got past its checks (SPEC §8). */
export function exitCodeForRun(stop: StopReason, failedItems: number): ExitCode {
  switch (stop) {
    case 'budget':
      return EXIT.budget;
    case 'fatal':
      return EXIT.fatal;
    case 'interrupted':
      return EXIT.interrupted;
    case 'output-error':
      return EXIT.outputError;
    case 'unavailable':
      return EXIT.unavailable;
    case 'completed':
      return failedItems > 0 ? EXIT.someFailed : EXIT.ok;
  }
}

/** The exit code for an error thrown out of a command. */
export function exitCodeForError(error: unknown): ExitCode {
  if (error instanceof UsageError) return EXIT.usage;
  if ((error as Error | null)?.name === 'OutputWriteError') return EXIT.outputError;
  return EXIT.internal;
}
