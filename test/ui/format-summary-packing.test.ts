import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/run/events.js';
import { formatSummary } from '../../src/ui/format-summary.js';
import { makeSummary } from './fixtures.js';

const plain = { color: null };
const packingLine = (packed: RunSummary['packed']) =>
  formatSummary(makeSummary({ packed }), plain)
    .split('\n')
    .find((line) => line.includes('packing'));

describe('formatSummary: the packing line', () => {
  it.each([
    { packed: undefined, line: undefined },
    { packed: { requestsSaved: 90 }, line: '  packing   90 requests saved' },
    { packed: { requestsSaved: 90, inputTokensSaved: 12_403, fallbackItems: 0 }, line: '  packing   90 requests saved · ~12,403 input tokens saved' },
    { packed: { requestsSaved: 79, inputTokensSaved: 800, fallbackItems: 11 }, line: '  packing   79 requests saved · ~800 input tokens saved · 11 items sent alone' },
    { packed: { requestsSaved: 27, inputTokensSaved: -873, fallbackItems: 1 }, line: '  packing   27 requests saved · ~873 more input tokens · 1 item sent alone' },
    { packed: { requestsSaved: -2, fallbackItems: 20 }, line: '  packing   2 more requests than without packing · 20 items sent alone' },
  ])('$packed', ({ packed, line }) => {
    expect(packingLine(packed)).toBe(line);
  });
});
