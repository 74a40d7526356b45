/**
 * The human form of `llm-batch status`: one aligned block per output, then the merged total when there are
 * several. Plain text (it goes to stdout and into cron mails), no colour.
 */
import { formatUsd } from '../cost/money.js';
import type { FingerprintSummary, OutputStatus, RunFigures, StatusCounts } from '../report/status-types.js';
import { formatCount, sanitizeText } from './format.js';

/** Room for the longest label (`batches`) plus a gap. */
const LABEL_WIDTH = 10;
/** Parameter values longer than this (schema hashes, long stop lists) are cut: the JSON form has them whole. */
const PARAM_VALUE_LIMIT = 40;
/** Template hashes are shown like git abbreviates commits: enough to tell two templates apart. */
const SHORT_HASH = 12;

/** The whole `status` text, ending with a newline. */
export function formatStatus(status: OutputStatus): string {
  const width = countWidth(status);
  const blocks = status.outputs.map((output) => [
    sanitizeText(output.path),
    ...(output.fingerprint === null ? [row('run', 'unknown (no state file)')] : runLines(output.fingerprint)),
    ...countLines(output, width),
    ...(output.lastRun === null ? [] : [row('last run', describeLastRun(output.lastRun))]),
    ...noteLines(output.notes),
  ]);
  if (status.outputs.length > 1) {
    const merged = status.merged;
    blocks.push([`total of ${merged.outputs} outputs`, ...countLines(merged, width), ...noteLines(merged.notes)]);
  }
  return `${blocks.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

function countLines(counts: StatusCounts, width: number): string[] {
  const figure = (value: number | null): string => (value === null ? '?' : formatCount(value)).padStart(width);
  const lines = [
    row('done', `${figure(counts.done)}${describeDuplicates(counts)}`),
    row('failed', `${figure(counts.failed.total)}${describeClasses(counts.failed.byClass)}`),
    row('pending', `${figure(counts.pending.count)}  ${describePending(counts)}`),
  ];
  if (counts.pendingBatches.length > 0) {
    const batches = counts.pendingBatches.map(
      (batch) => `${sanitizeText(batch.id)} (${batch.provider}, ${sanitizeText(batch.status)}, ${formatCount(batch.itemCount)} items)`,
    );
    lines.push(row('batches', `${figure(batches.length)}  pending at the provider: ${batches.join(', ')}`));
  }
  const tokens = counts.tokens;
  const allRunsValues = [
    `in ${formatCount(tokens.input)} (cached ${formatCount(tokens.cachedInput)}, cache write ${formatCount(tokens.cacheWrite)})` +
      ` · out ${formatCount(tokens.output)} (reasoning ${formatCount(tokens.reasoning)})`,
    `${formatUsd(counts.costUsd)}${describeUnpriced(counts.unpricedResults)}`,
    `${plural(counts.cacheHits, 'hit', 'hits')} · ${plural(counts.dedupHits, 'in-run duplicate', 'in-run duplicates')}`,
  ];
  // These add up every run into the output (the `last run` row is the latest run's summary alone); the mark
  // stands in one column, so the three rows read as one group.
  const markWidth = Math.max(...allRunsValues.map((value) => value.length));
  const [tokenValue, costValue, cacheValue] =
    counts.figures === 'state' ? allRunsValues.map((value) => `${value.padEnd(markWidth)}  (all runs)`) : allRunsValues;
  lines.push(
    row('tokens', tokenValue),
    row('cost', costValue),
    row('cache', cacheValue),
    row('updated', counts.lastUpdate === null ? 'never' : counts.lastUpdate.replace(/\.\d+Z$/, 'Z')),
  );
  return lines;
}

/** The latest run alone, in the words of its summary; the rows above add up every run. */
function describeLastRun(run: RunFigures): string {
  const tokens = run.tokens;
  return [
    `${run.startedAt.replace(/\.\d+Z$/, 'Z')} ${run.mode}`,
    `${formatCount(run.succeeded)} ok`,
    `${formatCount(run.failed)} failed`,
    `in ${formatCount(tokens.input)} (cached ${formatCount(tokens.cachedInput)}) · out ${formatCount(tokens.output)}`,
    formatUsd(run.costUsd),
    plural(run.cacheHits, 'hit', 'hits'),
    plural(run.dedupHits, 'in-run duplicate', 'in-run duplicates'),
  ].join(' · ');
}

function runLines(fingerprint: FingerprintSummary): string[] {
  const parts = [
    fingerprint.model,
    fingerprint.provider,
    fingerprint.mode,
    `template ${fingerprint.templateHash.slice(0, SHORT_HASH)}`,
    ...(fingerprint.shard === undefined ? [] : [`shard ${fingerprint.shard.k}/${fingerprint.shard.n}`]),
  ];
  const lines = [row('run', sanitizeText(parts.join(' · '))), row('input', sanitizeText(fingerprint.input.path))];
  const params = Object.entries(fingerprint.params).map(([key, value]) => `${key}=${showParam(value)}`);
  if (params.length > 0) lines.push(row('params', sanitizeText(params.join(' '))));
  return lines;
}

function describeClasses(byClass: Record<string, number>): string {
  const entries = Object.entries(byClass);
  if (entries.length === 0) return '';
  return `  ${entries.map(([name, count]) => `${sanitizeText(name)} ${formatCount(count)}`).join(' · ')}`;
}

function describePending(counts: StatusCounts): string {
  const pending = counts.pending;
  if (pending.count === null) return `unknown: ${sanitizeText(pending.reason ?? 'the input was not read')}`;
  const where = pending.input === null ? 'the inputs' : sanitizeText(pending.input);
  return `of ${formatCount(pending.inScope ?? 0)} items in ${where}`;
}

function describeUnpriced(unpriced: number): string {
  if (unpriced === 0) return '';
  return `  at least: ${plural(unpriced, 'result has', 'results have')} no known price`;
}

/** Racing or forced runs can answer an id twice; each answer was paid, the id counts once. */
function describeDuplicates(counts: StatusCounts): string {
  const extra = counts.resultLines - counts.done;
  return extra > 0 ? `  (+${plural(extra, 'repeated answer', 'repeated answers')}, paid and counted in tokens)` : '';
}

function plural(count: number, one: string, many: string): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

function noteLines(notes: string[]): string[] {
  return notes.map((note) => row('note', sanitizeText(note)));
}

function row(label: string, text: string): string {
  return `  ${label.padEnd(LABEL_WIDTH)}${text}`;
}

function showParam(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > PARAM_VALUE_LIMIT ? `${text.slice(0, PARAM_VALUE_LIMIT - 1)}…` : text;
}

/** One width for every count column, so blocks line up with each other too. */
function countWidth(status: OutputStatus): number {
  const all = [...status.outputs, status.merged];
  const values = all.flatMap((counts) => [counts.done, counts.failed.total, counts.pending.count ?? 0, counts.pendingBatches.length]);
  return Math.max(1, ...values.map((value) => formatCount(value).length));
}
