/** The human table: one line per row, then the command of each row (too long for a column). */

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
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const row = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  const out = [
    `llm-batch benchmarks${report.quick ? ' (--quick: smoke sizes, not the SPEC measurement)' : ''}`,
    `machine: ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGb} GB, node ${report.machine.node}, ${report.machine.platform}`,
    `load average before: ${report.loadBefore.map((n) => n.toFixed(2)).join(' ')} · after: ${report.loadAfter.map((n) => n.toFixed(2)).join(' ')}`,
    ...busyWarning(report),
    '',
    row(header),
    row(widths.map((w) => '-'.repeat(w))),
    ...lines.map(row),
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
