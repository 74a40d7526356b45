import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli.js';

/** One fenced code block of the README. */
export interface ReadmeBlock {
  /** The info string after the fence (`sh`, `bash`, `ts`, …); empty for a bare fence. */
  lang: string;
  /** 1-based line of the opening fence. */
  line: number;
  body: string;
}

/** One shell command of a block: continuation lines joined, the README's own text kept. */
export interface ReadmeCommand {
  /** As written, with its trailing comment (what the shell is given). */
  text: string;
  /** Without the trailing comment, spaces collapsed: how the test names it. */
  command: string;
  /** The trailing comment, if any (without `#`). */
  comment: string;
  /** The comment lines right above the command (without `#`), joined: what the README says it does. */
  note: string;
  /** 1-based README line where the command starts. */
  line: number;
}

export const README_PATH = join(ROOT, 'README.md');

export function readReadme(): string {
  return readFileSync(README_PATH, 'utf8');
}

/** Every fenced block (``` … ```), in order. */
export function readmeBlocks(text: string = readReadme()): ReadmeBlock[] {
  const blocks: ReadmeBlock[] = [];
  const lines = text.split('\n');
  let open: { lang: string; line: number; body: string[] } | undefined;
  for (const [index, line] of lines.entries()) {
    const fence = /^```(\S*)\s*$/.exec(line);
    if (fence === null) {
      open?.body.push(line);
    } else if (open === undefined) {
      open = { lang: fence[1], line: index + 1, body: [] };
    } else {
      blocks.push({ lang: open.lang, line: open.line, body: open.body.join('\n') });
      open = undefined;
    }
  }
  return blocks;
}

/** The commands of a shell block: blank and comment-only lines dropped, `\` continuations joined. */
export function shellCommands(block: ReadmeBlock): ReadmeCommand[] {
  const commands: ReadmeCommand[] = [];
  let pending: { parts: string[]; line: number } | undefined;
  let note: string[] = [];
  for (const [index, raw] of block.body.split('\n').entries()) {
    const line = block.line + 1 + index;
    if (pending === undefined && raw.trim() === '') {
      note = [];
      continue;
    }
    if (pending === undefined && raw.trim().startsWith('#')) {
      note.push(raw.trim().replace(/^#\s*/, ''));
      continue;
    }
    pending ??= { parts: [], line };
    if (raw.endsWith('\\')) {
      pending.parts.push(raw.slice(0, -1));
      continue;
    }
    pending.parts.push(raw);
    const text = pending.parts.join(' ').replace(/\s+/g, ' ').trim();
    const { code, comment } = splitComment(text);
    commands.push({ text, command: code, comment, note: note.join(' '), line: pending.line });
    pending = undefined;
    note = [];
  }
  return commands;
}

/** A shell line's code and its trailing comment: `#` outside quotes, at the start or after a space. */
export function splitComment(text: string): { code: string; comment: string } {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      return { code: text.slice(0, i).trim(), comment: text.slice(i + 1).trim() };
    }
  }
  return { code: text.trim(), comment: '' };
}

/** Shell words of a simple command (single and double quotes, no expansions). */
export function shellWords(code: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (const char of code) {
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else word += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      word ??= '';
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + char;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** A command written inline in the README's prose, in backticks. */
export interface InlineCommand {
  /** As written, spaces collapsed (a span may wrap over lines). */
  command: string;
  /** 1-based README line where the span starts. */
  line: number;
}

/** Programs whose inline spans are commands; `llm-batch:…` (a cache key) or `llm-batch.cjs` (a file) are not. */
const INLINE_PROGRAMS = /^(?:npx llm-batch|llm-batch|npm|node \S*bin\/llm-batch\.js)(?:\s|$)/;

/** Every backticked `llm-batch …`, `npx llm-batch …`, `npm …` and `node …/bin/llm-batch.js …` outside fenced blocks, in order. */
export function readmeInlineCommands(text: string = readReadme()): InlineCommand[] {
  let prose = '';
  const lineOf: number[] = [];
  let fenced = false;
  for (const [index, line] of text.split('\n').entries()) {
    if (/^```/.test(line)) fenced = !fenced;
    // A fenced line counts as a paragraph break, so no span runs into or out of a block.
    for (const char of `${fenced || line.startsWith('```') ? '' : line}\n`) {
      prose += char;
      lineOf.push(index + 1);
    }
  }
  const commands: InlineCommand[] = [];
  for (const match of prose.matchAll(/`([^`]+)`/g)) {
    const command = match[1].replace(/\s+/g, ' ').trim();
    if (INLINE_PROGRAMS.test(command)) commands.push({ command, line: lineOf[match.index] });
  }
  return commands;
}
