/**
 * Word wrapping for the one-off lines a terminal shows (notices, warnings, pauses, the summary): a terminal
 * breaks a long line at its last column, mid-word. Lines are broken at spaces instead, continuation lines
 * indented under the text they continue. Escape codes (colours) take no columns and stay attached to their word. Only the TTY display
 * wraps: plain logs keep one event per line for grep.
 */
import { stripVTControlCharacters } from 'node:util';

/** Columns a string takes on screen: escape codes take none (wide characters are counted as one). */
export function visibleWidth(text: string): number {
  return [...stripVTControlCharacters(text)].length;
}

/**
 * Where continuation lines start: under the value of a `label   value` line (the summary's layout), else
 * two columns in from the line's own indent. At most half the width, so a narrow terminal keeps room.
 */
export function hangingIndent(line: string, width: number): number {
  const plain = stripVTControlCharacters(line);
  const labelled = /^(\s*\S+(?: \S+)?\s{2,})\S/.exec(plain);
  const indent = labelled !== null ? labelled[1].length : (/^\s*/.exec(plain)?.[0].length ?? 0) + 2;
  return Math.min(indent, Math.floor(width / 2));
}

/**
 * `line` broken at spaces into lines of at most `width` columns. A word wider than the room it has (a long
 * path or URL) gets a line of its own and is never cut: the terminal may still fold it, but no shorter word
 * is broken. Spaces at a break are dropped; runs of spaces inside a line (alignment) are kept.
 */
export function wrapLine(line: string, width: number, indent: number = hangingIndent(line, width)): string[] {
  if (!(width > 0) || visibleWidth(line) <= width) return [line];
  if (SHELL_COMMAND.test(stripVTControlCharacters(line))) return wrapCommand(line, width);
  return breakAtSpaces(line, width, indent);
}

function breakAtSpaces(line: string, width: number, indent: number): string[] {
  const pad = ' '.repeat(Math.max(0, Math.min(indent, width - 1)));
  const lines: string[] = [];
  let current = '';
  let currentWidth = 0;
  // Tokens alternate: a run of spaces, then a word (escape codes included).
  for (const [, spaces, word] of line.matchAll(/( *)([^ ]+|$)/g)) {
    if (word === '') break;
    const wordWidth = visibleWidth(word);
    const lineHasText = stripVTControlCharacters(current).trim() !== '';
    if (lineHasText && currentWidth + spaces.length + wordWidth > width) {
      lines.push(current);
      current = pad + word;
      currentWidth = pad.length + wordWidth;
    } else {
      current += spaces + word;
      currentWidth += spaces.length + wordWidth;
    }
  }
  lines.push(current);
  return lines;
}

/** A line that is a command to copy (the summary's resume command): `llm-batch run …`, not `llm-batch: …`. */
const SHELL_COMMAND = /^\s*(?:npx )?llm-batch [a-z]/;

/**
 * A command broken shell-style, each line but the last ending in ` \`: pasted into a shell it is still one
 * command (a plain break would run its first line alone).
 */
function wrapCommand(line: string, width: number): string[] {
  const lines = breakAtSpaces(line, Math.max(1, width - 2), 2);
  return lines.map((part, index) => (index < lines.length - 1 ? `${part} \\` : part));
}

/** Every line of `text` wrapped to `width` columns (see `wrapLine`). */
export function wrapText(text: string, width: number): string {
  return text
    .split('\n')
    .flatMap((line) => wrapLine(line, width))
    .join('\n');
}

/** `text` wrapped to the stream's width when it is a terminal that reports one; unchanged otherwise (logs, pipes). */
export function wrapForStream(text: string, stream: { isTTY?: boolean; columns?: number }): string {
  return stream.isTTY === true && typeof stream.columns === 'number' && stream.columns > 0 ? wrapText(text, stream.columns) : text;
}
