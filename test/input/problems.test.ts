import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { formatProblems, type Problem } from '../../src/input/problems.js';

const HINT = 'fix them, or pass --on-bad-item skip to record them as failures and go on';

describe('formatProblems', () => {
  it('lists every problem line when there are at most 10', () => {
    const problems: Problem[] = [
      { line: 7, id: 'a7', kind: 'template', message: 'missing template variable "name"' },
      { line: 12, kind: 'input', message: "malformed JSON (Unexpected token 'x')" },
      { line: 30, id: 'a17', kind: 'id', message: 'duplicate id "a17" (first seen on line 4)' },
    ];
    const error = formatProblems('fixtures/x.jsonl', problems, 3);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe('fixtures/x.jsonl: 3 bad items:');
    expect(error.details).toEqual([
      'line 7: missing template variable "name"',
      "line 12: malformed JSON (Unexpected token 'x')",
      'line 30: duplicate id "a17" (first seen on line 4)',
      HINT,
    ]);
  });

  it('shows the first 10 and says so when there are more', () => {
    const problems: Problem[] = Array.from({ length: 1000 }, (_, i) => ({ line: i + 1, kind: 'input', message: 'bad' }));
    const error = formatProblems('big.csv', problems, 4321);
    expect(error.message).toBe('big.csv: 4321 bad items (first 10 shown):');
    expect(error.details).toHaveLength(11);
    expect(error.details[9]).toBe('line 10: bad');
  });

  it('uses the singular and names stdin', () => {
    expect(formatProblems('-', [{ line: 1, kind: 'input', message: 'bad' }], 1).message).toBe('stdin: 1 bad item:');
  });
});
