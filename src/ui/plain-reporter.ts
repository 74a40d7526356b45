/**
 * Plain lines for cron, CI and pipes (SPEC §10): a start line, a progress line at most once per interval,
 * immediate lines for what needs attention, then the summary. Never an ANSI code or a carriage return, so
 * the output reads the same in a log file, a CI console and `grep`.
 */
import type { RunEvent } from '../run/events.js';
import { createPalette } from './color.js';
import { createEventLiner } from './event-lines.js';
import { formatSummary } from './format-summary.js';
import { createIntervalGate } from './interval-gate.js';
import { formatProgressLine } from './progress-line.js';
import type { Reporter, ReporterStream } from './reporter.js';

export interface PlainReporterOptions {
  stream: ReporterStream;
  /** Least time between two progress lines. */
  progressIntervalMs: number;
  /** Clock that paces the progress lines. */
  now: () => number;
  /** Starts the run-started line. */
  command: string;
}

/** A reporter that writes whole lines only. */
export function createPlainReporter(options: PlainReporterOptions): Reporter {
  const { stream } = options;
  const liner = createEventLiner({ palette: createPalette(null), command: options.command });
  const gate = createIntervalGate(options.progressIntervalMs, options.now);
  let closed = false;

  const writeLine = (line: string) => {
    stream.write(`${line}\n`);
  };

  return {
    handle(event: RunEvent) {
      if (closed) return;
      switch (event.type) {
        case 'run-started':
          // The first progress line comes one interval after the start, not at the first event.
          gate.reset();
          break;
        case 'progress':
          if (gate.tryPass()) writeLine(formatProgressLine(event.totals));
          return;
        case 'run-finished':
          writeLine(formatSummary(event.summary, { color: null }));
          return;
        default:
          break;
      }
      const line = liner(event);
      if (line !== null) writeLine(line);
    },
    close() {
      closed = true;
    },
  };
}
