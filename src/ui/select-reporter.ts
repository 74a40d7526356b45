/**
 * Which reporter a run gets. The engine is the same for every kind (STYLE habit 6): a non-TTY or
 * `--log-json` run swaps the reporter, nothing else.
 */
import type { ReporterOptions, ReporterStream } from './reporter.js';

export type ReporterKind = 'tty' | 'plain' | 'quiet' | 'json';

/**
 * `json` and `quiet` as asked; `auto` draws live only on a TTY that reports a width and can move the cursor
 * (`TERM=dumb` cannot), and writes plain lines otherwise. A 0-column TTY (some CI runners, detached
 * terminals) gets plain lines because ora 9.4.1 loops forever there.
 */
export function selectReporterKind(
  mode: ReporterOptions['mode'],
  stream: ReporterStream,
  env: ReporterOptions['env'],
): ReporterKind {
  if (mode === 'json') return 'json';
  if (mode === 'quiet') return 'quiet';
  return canDrawLive(stream, env) ? 'tty' : 'plain';
}

function canDrawLive(stream: ReporterStream, env: ReporterOptions['env']): boolean {
  return stream.isTTY === true && typeof stream.columns === 'number' && stream.columns > 0 && env.TERM !== 'dumb';
}
