/**
 * Colour decisions from the injected environment. chalk's default instance sniffs `process.stdout`, which is
 * the wrong stream for us (we draw on stderr) and unreachable in tests, so every reporter builds its own.
 */
import { Chalk, type ChalkInstance } from 'chalk';

export type ColorLevel = 0 | 1 | 2 | 3;

/**
 * The chalk level for a stream: 0 unless it is a TTY; 0 with `NO_COLOR` (any non-empty value, per
 * no-color.org), `TERM=dumb` or `FORCE_COLOR=0`; otherwise `FORCE_COLOR` 1–3, or a guess from `COLORTERM`/`TERM`.
 */
export function resolveColorLevel(env: Record<string, string | undefined>, isTTY: boolean): ColorLevel {
  if (!isTTY) return 0;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (env.TERM === 'dumb') return 0;
  const forced = env.FORCE_COLOR;
  if (forced === '0' || forced === 'false') return 0;
  if (forced === '1' || forced === '2' || forced === '3') return Number(forced) as ColorLevel;
  if (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit') return 3;
  if (env.TERM?.includes('256')) return 2;
  return 1;
}

/** A chalk instance at the given level (level 0 styles nothing). */
export function createColor(level: ColorLevel): ChalkInstance {
  return new Chalk({ level });
}

/** A styling function that is the identity when colour is off. */
export type Paint = (text: string) => string;

/** Picks one style from a chalk instance, or the identity when there is none (plain output). */
export function paint(color: ChalkInstance | null, pick: (chalk: ChalkInstance) => Paint): Paint {
  return color === null ? identity : pick(color);
}

function identity(text: string): string {
  return text;
}

/** The few styles the reporters use, named by meaning so every reporter colours alike. */
export interface Palette {
  ok: Paint;
  warn: Paint;
  error: Paint;
  dim: Paint;
  bold: Paint;
  accent: Paint;
}

/** A palette over a chalk instance; all identities for `null` (plain output). */
export function createPalette(color: ChalkInstance | null): Palette {
  return {
    ok: paint(color, (c) => c.green),
    warn: paint(color, (c) => c.yellow),
    error: paint(color, (c) => c.red),
    dim: paint(color, (c) => c.dim),
    bold: paint(color, (c) => c.bold),
    accent: paint(color, (c) => c.cyan),
  };
}
