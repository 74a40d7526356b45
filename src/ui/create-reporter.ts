/** The factory the CLI calls: options in, the reporter `selectReporterKind` picks out. */
import { createColor, resolveColorLevel } from './color.js';
import { createJsonReporter } from './json-reporter.js';
import { createPlainReporter } from './plain-reporter.js';
import { createQuietReporter } from './quiet-reporter.js';
import { DEFAULT_COMMAND, DEFAULT_PROGRESS_INTERVAL_MS, type Reporter, type ReporterOptions } from './reporter.js';
import { selectReporterKind } from './select-reporter.js';

export type { Reporter, ReporterMode, ReporterOptions, ReporterStream } from './reporter.js';

/**
 * The reporter for these options; rejects with a TypeError for a negative or non-finite progress interval.
 * Async because the live display's modules (ora, cli-progress: about 200 ms of imports) load only when a
 * TTY display is actually drawn, never for `--quiet`, `--log-json` or piped output (issue 13, start-up).
 */
export async function createReporter(options: ReporterOptions): Promise<Reporter> {
  const { stream, env } = options;
  const now = options.now ?? Date.now;
  const command = options.command ?? DEFAULT_COMMAND;
  const progressIntervalMs = validateInterval(options.progressIntervalMs);
  const colorLevel = resolveColorLevel(env, stream.isTTY === true);

  switch (selectReporterKind(options.mode, stream, env)) {
    case 'json':
      return createJsonReporter({ stream, progressIntervalMs, now });
    case 'quiet':
      return createQuietReporter({ stream, color: createColor(colorLevel) });
    case 'tty': {
      const { createTtyReporter } = await import('./tty-reporter.js');
      return createTtyReporter({ stream, color: createColor(colorLevel), command });
    }
    case 'plain':
      return createPlainReporter({ stream, progressIntervalMs, now, command });
  }
}

function validateInterval(value: number | undefined): number {
  if (value === undefined) return DEFAULT_PROGRESS_INTERVAL_MS;
  if (!Number.isFinite(value) || value < 0) {
    throw new TypeError(`Expected \`progressIntervalMs\` to be a number from 0 and up, got \`${value}\``);
  }
  return value;
}
