import { describe, expect, it } from 'vitest';
import { formatCompareTable, type CompareReport } from '../bench/compare/format-compare-table.js';

const outcomes = { answered: 5000, wrong: 0, failed: 0, lost: 0, duplicates: 0, unknown: 0 };

function report(runs: CompareReport['scenarios'][number]['runs']): CompareReport {
  return {
    quick: false,
    machine: { cpus: 2, cpuModel: 'Test CPU', memoryGb: 8, node: 'v20.20.2', platform: 'linux 6' },
    loadBefore: [0.5, 0.4, 0.3],
    loadAfter: [1, 0.9, 0.8],
    scenarios: [{ id: 'latency', title: 'latency-bound', items: 5000, server: 'latencyMs=200', runs }],
  };
}

const measured = {
  tool: 'llm-batch',
  wallMs: 12_500,
  firstRequestMs: 312.4,
  idealMs: 10_000,
  outcomes,
  requests: 5012,
  maxInFlight: 100,
  peakRssMb: 120.4,
  cpuSeconds: 3.26,
  loadBefore: 0.75,
  command: 'node bin/llm-batch.js run …',
};

/** The table's cells for the line of `tool`. */
function cellsOf(text: string, tool: string): string[] {
  const line = text.split('\n').find((l) => l.startsWith('|') && l.includes(` ${tool} `));
  if (line === undefined) throw new Error(`no table line for ${tool}`);
  return line.split('|').slice(1, -1).map((c) => c.trim());
}

describe('formatCompareTable', () => {
  it('shows wall, time to the first request, answered items per second, the share of the ideal and the counts', () => {
    const cells = cellsOf(formatCompareTable(report([measured])), 'llm-batch');
    expect(cells).toEqual(['latency', 'llm-batch', '5,000', '12.50 s', '312 ms', '400', '80.0%', '5,000', '0', '0', '0', '5,012', '100', '120 MB', '3.3 s', '0.75']);
  });

  it('leaves the share empty where the scenario has no ideal', () => {
    const cells = cellsOf(formatCompareTable(report([{ ...measured, idealMs: null }])), 'llm-batch');
    expect(cells[6]).toBe('');
  });

  it('counts only answered items in items/s', () => {
    const partly = { ...measured, outcomes: { ...outcomes, answered: 2500, failed: 2500 } };
    expect(cellsOf(formatCompareTable(report([partly])), 'llm-batch')[5]).toBe('200');
  });

  it('keeps a skipped tool in the table and prints why below it', () => {
    const text = formatCompareTable(report([measured, { tool: 'openai-cookbook', skipped: 'LLM_BATCH_BENCH_COOKBOOK is not set' }]));
    expect(cellsOf(text, 'openai-cookbook').slice(0, 4)).toEqual(['latency', 'openai-cookbook', '5,000', 'skipped']);
    expect(text).toContain('openai-cookbook: skipped, LLM_BATCH_BENCH_COOKBOOK is not set');
    expect(text).toContain('llm-batch: node bin/llm-batch.js run …');
  });

  it('says when the sizes are --quick smoke sizes', () => {
    expect(formatCompareTable({ ...report([measured]), quick: true })).toContain('--quick');
  });
});
