import type { KnownModel } from '../cost/known-models.js';

/** The `llm-batch models` table: one aligned row per model, USD per 1M tokens. */
export function formatModelTable(models: readonly KnownModel[]): string {
  const header = ['provider', 'model', 'input', 'cached input', 'output', 'batch'];
  const rows = models.map(({ provider, model, price }) => [
    provider,
    model,
    money(price.inputPerMTok),
    money(price.cachedInputPerMTok),
    money(price.outputPerMTok),
    `×${price.batchDiscount}`,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line), '', 'Prices in USD per 1M tokens; batch = multiplier in --mode batch.', ''].join('\n');
}

function money(perMTok: number): string {
  return `$${perMTok.toFixed(perMTok < 0.1 ? 3 : 2)}`;
}
