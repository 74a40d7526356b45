/**
 * `--quiet`: the summary and nothing else, except a fatal error, which is printed when it happens so it is
 * seen even if the process dies before the summary.
 */
import type { ChalkInstance } from 'chalk';
import type { RunEvent } from '../run/events.js';
import { createPalette } from './color.js';
import { formatLine } from './event-lines.js';
import { formatSummary } from './format-summary.js';
import { DEFAULT_COMMAND, type Reporter, type ReporterStream } from './reporter.js';
import { wrapForStream } from './wrap-line.js';

export interface QuietReporterOptions {
  stream: ReporterStream;
  /** Colours the summary on a TTY; `null` or a level-0 instance for none. */
  color: ChalkInstance | null;
}

/** A reporter that stays silent until the end. */
export function createQuietReporter(options: QuietReporterOptions): Reporter {
  const { stream, color } = options;
  // The command name only appears in the run-started line, which quiet mode never prints.
  const context = { palette: createPalette(color), command: DEFAULT_COMMAND };
  let closed = false;

  return {
    handle(event: RunEvent) {
      if (closed) return;
      if (event.type === 'fatal-error') {
        stream.write(`${wrapForStream(formatLine(event, context) ?? '', stream)}\n`);
      } else if (event.type === 'run-finished') {
        stream.write(`${wrapForStream(formatSummary(event.summary, { color }), stream)}\n`);
      }
    },
    close() {
      closed = true;
    },
  };
}
