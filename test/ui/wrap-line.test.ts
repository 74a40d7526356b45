import { describe, expect, it } from 'vitest';
import { hangingIndent, visibleWidth, wrapForStream, wrapLine, wrapText } from '../../src/ui/wrap-line.js';

const WIDTH = 60;
const words = (text: string) => text.split(/\s+/).filter(Boolean);

describe('wrapLine', () => {
  it.each([
    ['a line that fits is unchanged', 'warning: fixtures/tickets.csv has no items: nothing to do', [
      'warning: fixtures/tickets.csv has no items: nothing to do',
    ]],
    ['breaks at the last space that fits, continuation indented by 2', 'paused (rate limit): 3 requests refused within 2 s, resuming in 12s at 70% of the rate', [
      'paused (rate limit): 3 requests refused within 2 s, resuming',
      '  in 12s at 70% of the rate',
    ]],
    ['summary lines continue under their value', '  cost      $0.00076 (realtime) · batch mode would have cost $0.00038 · flex $0.00038', [
      '  cost      $0.00076 (realtime) · batch mode would have cost',
      '            $0.00038 · flex $0.00038',
    ]],
    ['a word wider than the line gets a line of its own, uncut', `results in /very/long/${'x'.repeat(70)}/out.jsonl now`, [
      'results in',
      `  /very/long/${'x'.repeat(70)}/out.jsonl`,
      '  now',
    ]],
  ])('%s', (_name, line, expected) => {
    expect(wrapLine(line, WIDTH)).toEqual(expected);
  });

  it('never breaks a word and loses no text, at any width', () => {
    const line = 'batch b1: in_progress, 120/500 done, 0 failed (waited 2m10s, next poll in 7.5s; Ctrl-C leaves it running)';
    for (let width = 10; width <= 120; width += 1) {
      const lines = wrapLine(line, width);
      expect(words(lines.join(' ')), `width ${width}`).toEqual(words(line));
      for (const part of lines) {
        const longest = Math.max(...words(part).map((word) => word.length));
        expect(visibleWidth(part) <= width || words(part).length === 1 || longest + 2 > width, `width ${width}: ${part}`).toBe(true);
      }
    }
  });

  it('measures without escape codes and keeps them on their words', () => {
    const red = (text: string) => `\u001B[31m${text}\u001B[39m`;
    const line = `${red('warning:')} the price of my-model is unknown: cost_usd is null, add --price-input and --price-output`;
    const lines = wrapLine(line, WIDTH);
    expect(lines[0].startsWith(red('warning:'))).toBe(true);
    expect(lines.every((part) => visibleWidth(part) <= WIDTH)).toBe(true);
    expect(words(lines.join(' ')).join(' ')).toBe(words(line).join(' '));
  });

  it('keeps alignment spaces inside a line', () => {
    expect(wrapLine('  items     50 ok · 0 failed', WIDTH)).toEqual(['  items     50 ok · 0 failed']);
  });
});

describe('hangingIndent', () => {
  it.each([
    ['  tokens    4,519 in · 0 cached', 60, 12],
    ['warning: something', 60, 2],
    ['  a nested detail', 60, 4],
    ['label          value', 60, 15],
    ['label          value', 20, 10],
  ])('%s at %i columns → %i', (line, width, indent) => {
    expect(hangingIndent(line, width)).toBe(indent);
  });
});

describe('wrapText and wrapForStream', () => {
  const summary = '  items     50 ok · 0 failed\n  cost      $0.00076 (realtime) · batch mode would have cost $0.00038 · flex $0.00038';

  it('wraps every line of a block', () => {
    expect(wrapText(summary, WIDTH).split('\n')).toEqual([
      '  items     50 ok · 0 failed',
      '  cost      $0.00076 (realtime) · batch mode would have cost',
      '            $0.00038 · flex $0.00038',
    ]);
  });

  it('wraps only on a terminal that reports a width', () => {
    expect(wrapForStream(summary, { isTTY: true, columns: WIDTH })).toBe(wrapText(summary, WIDTH));
    expect(wrapForStream(summary, { isTTY: false, columns: WIDTH })).toBe(summary);
    expect(wrapForStream(summary, { isTTY: true, columns: 0 })).toBe(summary);
    expect(wrapForStream(summary, {})).toBe(summary);
  });
});

describe('a command to copy', () => {
  it('breaks shell-style, so that pasted into a shell it is still one command', () => {
    const command = 'llm-batch run products.jsonl -t classify.prompt -m my-fine-tuned-model --provider openai -o o1.jsonl -c 4 --resume';
    const lines = wrapLine(command, WIDTH);
    expect(lines).toEqual([
      'llm-batch run products.jsonl -t classify.prompt -m \\',
      '  my-fine-tuned-model --provider openai -o o1.jsonl -c 4 \\',
      '  --resume',
    ]);
    expect(lines.every((line) => line.length <= WIDTH)).toBe(true);
    expect(lines.join('\n').replace(/ \\\n\s*/g, ' ')).toBe(command);
  });

  it('is told from a message that starts with the program name', () => {
    expect(wrapLine('llm-batch: 50 items, model my-fine-tuned-model (openai), concurrency 4 → o1.jsonl', WIDTH)[0]).not.toMatch(/\\$/);
  });
});
