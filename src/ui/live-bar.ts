/**
 * The progress bar on the last terminal line, drawn by a cli-progress SingleBar whose line is our own
 * `formatBarLine`. Lines printed "above" clear the bar line, print, and redraw the bar, so the bar is never
 * broken; hiding clears it so a spinner can take the line during a phase.
 */
import cliProgress from 'cli-progress';
import type { RunTotals } from '../run/events.js';
import { formatBarLine } from './bar-line.js';
import type { Palette } from './color.js';
import { divertForeignWrites } from './foreign-writes.js';
import { countDone } from './progress-line.js';
import type { ReporterStream } from './reporter.js';
import { clearCurrentLine, createBarTerminal, type Terminal } from './tty-terminal.js';

/** Redraws per second: enough to look live (the engine reports ~4/s), cheap on a slow SSH link. */
const BAR_FPS = 5;

export interface LiveBar {
  /** True while the bar owns the last line. */
  readonly isVisible: boolean;
  /** Draws the bar with these totals, starting it if hidden. */
  show(totals: RunTotals): void;
  /** New figures; drawn at the next redraw (at most BAR_FPS a second). */
  update(totals: RunTotals): void;
  /** Clears the bar line and stops redrawing; `show` brings it back. */
  hide(): void;
  /** Prints a line above the bar (or just a line when hidden). */
  printAbove(line: string): void;
  /** Redraws now, e.g. after a resize (the width is read on every draw). */
  redraw(): void;
  /** Hides the bar and leaves its final state as an ordinary line. */
  finish(totals: RunTotals): void;
}

interface BarPayload {
  totals: RunTotals;
}

export interface LiveBarOptions {
  /** The raw stream, watched for writes from elsewhere while the bar is shown. */
  stream: ReporterStream;
  terminal: Terminal;
  palette: Palette;
}

/** A bar over `terminal`; nothing is drawn until `show`. */
export function createLiveBar(options: LiveBarOptions): LiveBar {
  const { stream, terminal, palette } = options;
  let visible = false;
  let restoreWrites: (() => void) | null = null;
  const bar = new cliProgress.SingleBar({
    format: (_options, params, payload: BarPayload) => formatBarLine(payload.totals, params.maxWidth, palette),
    fps: BAR_FPS,
    // Redraw even when unchanged: a line printed above, or a resize, has just wiped the bar.
    forceRedraw: true,
    clearOnComplete: true,
    hideCursor: false,
    // Signal handling belongs to the engine, which finishes in-flight work before the summary.
    gracefulExit: false,
    // Not in @types/cli-progress, but a documented-in-code option of 3.x: see tty-terminal.ts for why.
    terminal: createBarTerminal(terminal),
  } as cliProgress.Options);

  const barValues = (totals: RunTotals) => ({ total: totals.total ?? 0, done: countDone(totals) });

  const api: LiveBar = {
    get isVisible() {
      return visible;
    },
    show(totals) {
      if (visible) {
        api.update(totals);
        return;
      }
      const { total, done } = barValues(totals);
      visible = true;
      bar.start(total, done, { totals });
      restoreWrites = divertForeignWrites(stream, terminal, {
        before: () => clearCurrentLine(terminal),
        afterLine: () => bar.render(),
      });
    },
    update(totals) {
      if (!visible) return;
      const { total, done } = barValues(totals);
      if (bar.getTotal() !== total) bar.setTotal(total);
      bar.update(done, { totals });
    },
    hide() {
      if (!visible) return;
      visible = false;
      restoreWrites?.();
      restoreWrites = null;
      bar.stop();
    },
    printAbove(line) {
      if (!visible) {
        terminal.write(`${line}\n`);
        return;
      }
      clearCurrentLine(terminal);
      terminal.write(`${line}\n`);
      bar.render();
    },
    redraw() {
      if (!visible) return;
      clearCurrentLine(terminal);
      bar.render();
    },
    finish(totals) {
      api.hide();
      // The run is over: an ETA would only mislead (an interrupted run showed "eta 0.5s" for items it abandoned).
      terminal.write(`${formatBarLine({ ...totals, etaMs: null, slowRequests: 0 }, terminal.columns, palette)}\n`);
    },
  };
  return api;
}
