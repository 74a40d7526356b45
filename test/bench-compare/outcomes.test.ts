import { describe, expect, it } from 'vitest';
import { countOutcomes } from '../bench/compare/outcomes.js';

const expected = new Map([
  ['a', 'positive'],
  ['b', 'negative'],
  ['c', 'neutral'],
  ['d', 'positive'],
]);

describe('countOutcomes', () => {
  it('sorts every item into answered, wrong, failed or lost', () => {
    const counts = countOutcomes(expected, [
      { id: 'a', output: 'positive' },
      { id: 'b', output: '<!DOCTYPE html>' },
      { id: 'c', error: { status: 500 } },
    ]);
    expect(counts).toEqual({ answered: 1, wrong: 1, failed: 1, lost: 1, duplicates: 0, unknown: 0 });
  });

  it('compares answers without surrounding whitespace', () => {
    expect(countOutcomes(new Map([['a', 'positive']]), [{ id: 'a', output: ' positive\n' }]).answered).toBe(1);
  });

  it('counts an item once, by its best record, and the extra records as duplicates', () => {
    const counts = countOutcomes(expected, [
      { id: 'a', error: 'reset' },
      { id: 'a', output: 'positive' },
      { id: 'b', output: 'negative' },
      { id: 'b', output: 'negative' },
      { id: 'c', output: 'positive' },
      { id: 'c', error: 'reset' },
    ]);
    expect(counts).toEqual({ answered: 2, wrong: 1, failed: 0, lost: 1, duplicates: 3, unknown: 0 });
  });

  it('counts a record without a text output as failed', () => {
    expect(countOutcomes(new Map([['a', 'x']]), [{ id: 'a' }]).failed).toBe(1);
  });

  it('keeps records for ids never asked apart', () => {
    const counts = countOutcomes(new Map([['a', 'x']]), [{ id: 'zz', output: 'x' }]);
    expect(counts).toEqual({ answered: 0, wrong: 0, failed: 0, lost: 1, duplicates: 0, unknown: 1 });
  });
});
