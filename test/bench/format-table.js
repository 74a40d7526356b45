/** The human table: one line per row, then the command of each row (too long for a column). */
import { machineLines, markdownTable } from './report-text.js';

export function formatTable(report) {
  const header = ['row', 'measure', 'value', 'target', 'result', 'load 1m'];
  const lines = report.rows.map((r) => [
    r.id,
    r.title,
    r.error ? 'error' : r.display,
    r.target ?? '',
    r.error ? 'ERROR' : r.pass === null ? 'info' : r.pass ? 'pass' : 'FAIL',
    r.loadBefore.toFixed(2),
  ]);
  const out = [
    `llm-batch benchmarks${report.quick ? ' (--quick: smoke sizes, not the SPEC measurement)' : ''}`,
    ...machineLines(report),
    ...busyWarning(report),
    '',
    ...markdownTable(header, lines),
    '',
  ];
  for (const r of report.rows) {
    out.push(`(${r.id}) ${r.error ? `error: ${r.error}` : r.notes}`);
    if (r.command) out.push(`    ${r.command}`);
  }
  return `${out.join('\n')}\n`;
}

/**
 * Rows a, b and e are CPU-bound: on a shared machine other work takes their time. Compare the CLI CPU
 * time in the notes with the wall clock to tell slow code from a starved process.
 */
function busyWarning(report) {
  const busiest = Math.max(...report.rows.map((r) => r.loadBefore), report.loadBefore[0]);
  if (busiest <= report.machine.cpus / 2) return [];
  return [`note: the machine was busy (1-minute load up to ${busiest.toFixed(2)} on ${report.machine.cpus} CPUs): throughput and start-up rows may read low`];
}
