/** What both benchmark reports (`npm run bench`, `npm run bench:compare`) print the same way. */

/** The lines naming the machine and its load before and after the runs. */
export function machineLines(report) {
  const loads = (values) => values.map((n) => n.toFixed(2)).join(' ');
  return [
    `machine: ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGb} GB, node ${report.machine.node}, ${report.machine.platform}`,
    `load average before: ${loads(report.loadBefore)} · after: ${loads(report.loadAfter)}`,
  ];
}

/** A Markdown table, each column padded to its widest cell: the header, its rule, then the lines. */
export function markdownTable(header, lines) {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const row = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [row(header), row(widths.map((w) => '-'.repeat(w))), ...lines.map(row)];
}
