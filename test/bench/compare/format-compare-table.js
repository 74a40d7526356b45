/**
 * The comparison's report as text: one table (a line per scenario and tool), then per scenario its
 * server options, each tool's command, and why any tool was skipped.
 */
import { machineLines, markdownTable } from '../report-text.js';

const HEADER = ['scenario', 'tool', 'items', 'wall', 'to 1st request', 'items/s', 'of ideal', 'answered', 'wrong', 'failed', 'lost', 'requests', 'max in flight', 'peak RSS', 'CPU', 'load 1m'];

export function formatCompareTable(report) {
  const lines = report.scenarios.flatMap((scenario) => scenario.runs.map((run) => cells(scenario, run)));
  const out = [
    `llm-batch against the tools users pick instead${report.quick ? ' (--quick: smoke sizes, not the measurement)' : ''}`,
    ...machineLines(report),
    'items/s = answered items / wall clock (spawn to exit); of ideal = (items / concurrency × latency) / wall',
    '',
    ...markdownTable(HEADER, lines),
    '',
  ];
  for (const scenario of report.scenarios) {
    out.push(`(${scenario.id}) ${scenario.title}; ${fmt(scenario.items)} items; server: ${scenario.server}`);
    for (const run of scenario.runs) {
      if (run.skipped) out.push(`    ${run.tool}: skipped, ${run.skipped}`);
      else if (run.error) out.push(`    ${run.tool}: error, ${run.error}`);
      else out.push(`    ${run.tool}${run.note ? ` (${run.note})` : ''}: ${run.command}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** One table line; a skipped or failed run keeps its place with the reason's first word. */
function cells(scenario, run) {
  const lead = [scenario.id, run.tool, fmt(scenario.items)];
  if (run.skipped || run.error) return [...lead, run.skipped ? 'skipped' : 'error', ...Array(HEADER.length - 4).fill('')];
  const o = run.outcomes;
  return [
    ...lead,
    `${(run.wallMs / 1000).toFixed(2)} s`,
    run.firstRequestMs === null || run.firstRequestMs === undefined ? '' : `${fmt(run.firstRequestMs)} ms`,
    fmt(o.answered / (run.wallMs / 1000)),
    run.idealMs ? `${((run.idealMs / run.wallMs) * 100).toFixed(1)}%` : '',
    fmt(o.answered),
    fmt(o.wrong),
    fmt(o.failed),
    fmt(o.lost),
    fmt(run.requests),
    fmt(run.maxInFlight),
    `${fmt(run.peakRssMb)} MB`,
    `${run.cpuSeconds.toFixed(1)} s`,
    run.loadBefore.toFixed(2),
  ];
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
