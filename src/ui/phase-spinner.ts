/**
 * An ora spinner for the run's phases (scanning, resuming, uploading, submitting, polling, downloading).
 * Phases can overlap in batch mode (polling one batch while downloading another), so the spinner tracks every
 * open phase and shows the latest; it stops when the last one finishes. Only one ora instance spins at a
 * time: ora hooks the stream's `write` and warns about concurrent spinners.
 */
import { stripVTControlCharacters } from 'node:util';
import ora, { type Ora } from 'ora';
import type { Phase } from '../run/events.js';
import type { Palette } from './color.js';
import type { Terminal } from './tty-terminal.js';
import { wrapText } from './wrap-line.js';

export interface PhaseSpinner {
  /** True while some phase is open. */
  readonly isSpinning: boolean;
  /** Opens a phase (or renames an open one) and spins with its text. */
  start(phase: Phase, text: string): void;
  /** Closes a phase, printing `✔ text` above; the spinner stops with the last open phase. */
  finish(phase: Phase, text: string): void;
  /** Extra words after the current phase's text, e.g. a batch's counts while polling; ` · ` separates parts dropped from the end on a narrow terminal. */
  setDetail(detail: string): void;
  /** Prints a line above the spinner (or just a line when idle). */
  printAbove(line: string): void;
  /** Closes every phase without printing. */
  stop(): void;
}

export interface PhaseSpinnerOptions {
  terminal: Terminal;
  palette: Palette;
  /** Colours the spinner frames; off with `NO_COLOR`. */
  colored: boolean;
}

/** The frame and the space after it, before the spinner's text. */
const SPINNER_FRAME_WIDTH = 3;
const DETAIL_SEPARATOR = ' · ';

/**
 * The detail's leading parts that fit after `text` in `width` columns: a spinner line that wraps leaves a
 * copy of itself on screen at every redraw, so whole parts go rather than the line breaking mid-word.
 */
export function fitDetail(text: string, detail: string, width: number): string {
  if (detail === '') return '';
  const parts = detail.split(DETAIL_SEPARATOR);
  while (parts.length > 0 && stripVTControlCharacters(text).length + 1 + parts.join(DETAIL_SEPARATOR).length > width) parts.pop();
  return parts.join(DETAIL_SEPARATOR);
}

/** A spinner over `terminal`; nothing is drawn until a phase starts. */
export function createPhaseSpinner(options: PhaseSpinnerOptions): PhaseSpinner {
  const { terminal, palette } = options;
  const open = new Map<Phase, string>();
  let detail = '';
  let spinner: Ora | null = null;

  const currentText = () => {
    const texts = [...open.values()];
    const text = texts[texts.length - 1] ?? '';
    const fitted = fitDetail(text, detail, terminal.columns - SPINNER_FRAME_WIDTH);
    return fitted === '' ? text : `${text} ${palette.dim(fitted)}`;
  };

  const writeAbove = (line: string) => {
    if (spinner === null) {
      terminal.write(`${line}\n`);
      return;
    }
    spinner.clear();
    terminal.write(`${line}\n`);
    spinner.render();
  };

  const stopSpinner = () => {
    spinner?.stop();
    spinner = null;
  };

  return {
    get isSpinning() {
      return spinner !== null;
    },
    start(phase, text) {
      open.delete(phase);
      open.set(phase, text);
      detail = '';
      if (spinner === null) {
        spinner = ora({
          // ora types its stream as a Node WritableStream; it uses only what Terminal provides.
          stream: terminal as unknown as NodeJS.WritableStream,
          text: currentText(),
          isEnabled: true,
          // Raw-mode stdin would swallow Ctrl-C, and SIGINT handling belongs to the engine.
          discardStdin: false,
          // ora would restore a hidden cursor through an exit hook on the real stderr, not our stream.
          hideCursor: false,
          color: options.colored ? 'cyan' : false,
        }).start();
      } else {
        spinner.text = currentText();
      }
    },
    finish(phase, text) {
      open.delete(phase);
      detail = '';
      const line = wrapText(`${palette.ok('✔')} ${text}`, terminal.columns);
      if (open.size === 0) {
        stopSpinner();
        terminal.write(`${line}\n`);
        return;
      }
      if (spinner !== null) spinner.text = currentText();
      writeAbove(line);
    },
    setDetail(next) {
      detail = next;
      if (spinner !== null) spinner.text = currentText();
    },
    printAbove: writeAbove,
    stop() {
      open.clear();
      detail = '';
      stopSpinner();
    },
  };
}
