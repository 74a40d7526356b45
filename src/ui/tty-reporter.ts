/**
 * The live display for a terminal (SPEC §10): a spinner per phase, then a progress bar on the last line
 * with every notable event printed above it, then the final bar and the summary. The spinner and the bar
 * take turns on the last line; the bar comes back when the last phase finishes.
 */
import { zeroTokens } from '../usage/token-usage.js';
import type { ChalkInstance } from 'chalk';
import type { RunEvent, RunTotals } from '../run/events.js';
import { createPalette } from './color.js';
import { createEventLiner, formatBatchWait, formatLine } from './event-lines.js';
import { formatCount } from './format.js';
import { formatSummary } from './format-summary.js';
import { createLiveBar } from './live-bar.js';
import { createPhaseSpinner } from './phase-spinner.js';
import type { Reporter, ReporterStream } from './reporter.js';
import { createTerminal } from './tty-terminal.js';
import { wrapText } from './wrap-line.js';

export interface TtyReporterOptions {
  /** A TTY with columns > 0 (ora loops forever on a 0-column terminal; the factory checks). */
  stream: ReporterStream;
  /** Styles everything; a level-0 instance for `NO_COLOR`. */
  color: ChalkInstance;
  /** Starts the run-started line. */
  command: string;
  /** Keeps the batch wait's elapsed time and next poll counting between polls. @default Date.now */
  now?: () => number;
}

/** A reporter that draws spinners and a live bar. Call `close` in a `finally`: it stops their timers. */
export function createTtyReporter(options: TtyReporterOptions): Reporter {
  const { stream, color } = options;
  const palette = createPalette(color);
  const context = { palette, command: options.command };
  const liner = createEventLiner(context);
  const terminal = createTerminal(stream);
  const bar = createLiveBar({ stream, terminal, palette });
  const spinner = createPhaseSpinner({ terminal, palette, colored: color.level > 0 });
  const now = options.now ?? Date.now;
  let totals: RunTotals | null = null;
  let running = false;
  let closed = false;
  /** The last batch poll and when it arrived, so the spinner's wait figures keep moving between polls. */
  let lastPoll: { event: Extract<RunEvent, { type: 'batch-progress' }>; at: number } | null = null;

  const showPollDetail = () => {
    if (lastPoll === null) return;
    const { event, at } = lastPoll;
    const since = Math.max(0, now() - at);
    const wait = formatBatchWait({
      waitedMs: event.waitedMs === undefined ? undefined : event.waitedMs + since,
      nextPollMs: event.nextPollMs === undefined ? undefined : Math.max(0, event.nextPollMs - since),
    });
    spinner.setDetail([`${formatCount(event.completed)}/${formatCount(event.total)}`, ...wait].join(' · '));
  };

  /** One-off lines are wrapped at word boundaries to the width of the moment; the bar and spinner fit themselves. */
  const printAbove = (line: string) => {
    const wrapped = wrapText(line, terminal.columns);
    if (spinner.isSpinning) spinner.printAbove(wrapped);
    else bar.printAbove(wrapped);
  };

  const showBarIfIdle = () => {
    if (running && totals !== null && !spinner.isSpinning) bar.show(totals);
  };

  const onResize = () => {
    if (!closed) bar.redraw();
  };
  stream.on?.('resize', onResize);

  const handlers: { [K in RunEvent['type']]?: (event: Extract<RunEvent, { type: K }>) => void } = {
    'phase-started': (event) => {
      if (event.phase === 'polling') lastPoll = null;
      bar.hide();
      spinner.start(event.phase, formatLine(event, context) ?? '');
    },
    'phase-finished': (event) => {
      spinner.finish(event.phase, formatLine(event, context) ?? '');
      showBarIfIdle();
    },
    'run-started': (event) => {
      printAbove(formatLine(event, context) ?? '');
      running = true;
      totals = createStartTotals(event);
      showBarIfIdle();
    },
    progress: (event) => {
      totals = event.totals;
      if (spinner.isSpinning) showPollDetail();
      if (bar.isVisible) bar.update(event.totals);
      else showBarIfIdle();
    },
    'batch-progress': (event) => {
      const line = liner(event);
      if (line !== null) printAbove(line);
      lastPoll = { event, at: now() };
      showPollDetail();
    },
    'run-finished': (event) => {
      running = false;
      spinner.stop();
      if (bar.isVisible) bar.finish(event.summary);
      terminal.write(`${wrapText(formatSummary(event.summary, { color }), terminal.columns)}\n`);
    },
  };

  return {
    handle(event) {
      if (closed) return;
      const handler = handlers[event.type] as ((event: RunEvent) => void) | undefined;
      if (handler !== undefined) {
        handler(event);
        return;
      }
      const line = liner(event);
      if (line !== null) printAbove(line);
    },
    close() {
      if (closed) return;
      closed = true;
      spinner.stop();
      bar.hide();
      stream.removeListener?.('resize', onResize);
    },
  };
}

/** Zeroed totals from the run-started event, so the bar shows from the first moment. */
function createStartTotals(event: Extract<RunEvent, { type: 'run-started' }>): RunTotals {
  return {
    total: event.total,
    succeeded: 0,
    failed: 0,
    failedByClass: {},
    alreadyDone: event.alreadyDone,
    inFlight: 0,
    slowRequests: 0,
    oldestInFlightMs: null,
    cacheHits: 0,
    dedupHits: 0,
    retries: 0,
    retriesByClass: {},
    requestsSent: 0,
    ...zeroTokens(),
    spentUsd: 0,
    projectedUsd: null,
    otherModeUsd: null,
    budgetUsd: event.budgetUsd,
    reservedUsd: 0,
    elapsedMs: 0,
    rate: 0,
    etaMs: null,
    paused: false,
    pauseReason: null,
  };
}
