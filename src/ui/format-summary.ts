/**
 * The end-of-run summary (SPEC §10): what happened, what it cost, where the files are and, when something is
 * left, the command that continues. Pure: the reporters decide where it goes.
 */
import type { ChalkInstance } from 'chalk';
import { formatUsd } from '../cost/money.js';
import type { FailureClass } from '../journal/records.js';
import type { RunSummary } from '../run/events.js';
import type { TokenCounts } from '../usage/token-usage.js';
import { createPalette, type Palette } from './color.js';
import { formatCount, formatDuration, formatPercent, formatRate, sanitizeText } from './format.js';
import { countDone } from './progress-line.js';

export interface SummaryFormatOptions {
  /** Styles the summary; `null` (or a level-0 instance) for plain text. */
  color: ChalkInstance | null;
}

/** Labels are padded to this so the figures line up in a column. */
const LABEL_WIDTH = 10;

/** The summary as lines joined by `\n`, without a trailing newline. */
export function formatSummary(summary: RunSummary, options: SummaryFormatOptions): string {
  const palette = createPalette(options.color);
  const row = (label: string, value: string) => `  ${palette.dim(label.padEnd(LABEL_WIDTH))}${value}`;

  const lines = [formatHeadline(summary, palette)];
  lines.push(row('items', formatItems(summary, palette)));
  // After a resume these rows are this run's; the `all runs` row adds the earlier runs into the output.
  const thisRun = summary.allRuns === undefined ? '' : palette.dim(' (this run)');
  lines.push(row('tokens', formatTokens(summary) + thisRun));
  lines.push(row('cost', formatCost(summary, palette) + thisRun));
  if (summary.budgetUsd !== null) lines.push(row('budget', formatBudget(summary)));
  lines.push(row('time', `${formatDuration(summary.elapsedMs)} · ${formatRate(summary.rate)} items/s`));
  lines.push(row('cache', formatCache(summary) + thisRun));
  if (summary.allRuns !== undefined) lines.push(row('all runs', formatAllRuns(summary.allRuns, summary.spentUsd !== null)));
  lines.push(row('retries', formatWithClasses(summary.retries, summary.retriesByClass)));
  if (summary.packed !== undefined) lines.push(row('packing', formatPacking(summary.packed)));
  lines.push(row('results', sanitizeText(summary.outputPath)));
  if (summary.failed > 0) lines.push(row('failures', sanitizeText(summary.failedPath)));
  if (summary.resumeCommand !== undefined && summary.resumeCommand !== '') {
    // Unindented and alone on its line, so a triple-click copies exactly the command.
    lines.push('to resume:', sanitizeText(summary.resumeCommand));
  }
  return lines.join('\n');
}

/** Requests saved, and the estimated input tokens saved and items sent alone when there are any. */
function formatPacking(packed: NonNullable<RunSummary['packed']>): string {
  // Negative when packs kept failing and their items went out alone as well: say so plainly.
  const saved = packed.requestsSaved;
  const parts = [saved >= 0 ? `${formatCount(saved)} requests saved` : `${formatCount(-saved)} more requests than without packing`];
  const tokens = packed.inputTokensSaved;
  // Without a shared system prompt the packing instructions can outweigh what is saved.
  if (tokens !== undefined && tokens > 0) parts.push(`~${formatCount(tokens)} input tokens saved`);
  if (tokens !== undefined && tokens < 0) parts.push(`~${formatCount(-tokens)} more input tokens`);
  if (packed.fallbackItems) parts.push(`${formatCount(packed.fallbackItems)} ${plural(packed.fallbackItems, 'item')} sent alone`);
  return parts.join(' · ');
}

/** The stop reason in plain words, with what is left when the run did not finish. */
function formatHeadline(summary: RunSummary, palette: Palette): string {
  const left = summary.total === null ? null : Math.max(0, summary.total - countDone(summary));
  const leftText = left === null || left === 0 ? '' : `: ${formatCount(left)} ${plural(left, 'item')} not processed`;
  switch (summary.stop) {
    case 'completed':
      return summary.failed === 0
        ? palette.ok(`completed in ${formatDuration(summary.elapsedMs)}`)
        : palette.warn(
            `completed in ${formatDuration(summary.elapsedMs)} with ${formatCount(summary.failed)} failed ` +
              plural(summary.failed, 'item'),
          );
    case 'budget': {
      const budget = summary.budgetUsd === null ? '' : ` (${formatUsd(summary.budgetUsd)})`;
      return palette.warn(`stopped at the budget${budget}${leftText}`);
    }
    case 'fatal': {
      const notProcessed = leftText === '' ? '' : ` (${leftText.slice(2)})`;
      return palette.error(`fatal: ${sanitizeText(summary.fatalMessage ?? 'the API refused to continue')}${notProcessed}`);
    }
    case 'interrupted':
      return palette.warn(`interrupted${leftText}`);
    case 'output-error':
      return palette.error(sanitizeText(summary.fatalMessage ?? 'an output file could not be written'));
    case 'unavailable':
      return palette.error(sanitizeText(summary.fatalMessage ?? 'a service the run depends on went away'));
  }
}

function formatItems(summary: RunSummary, palette: Palette): string {
  const parts = [palette.ok(`${formatCount(summary.succeeded)} ok`)];
  const failed = `${formatCount(summary.failed)} failed`;
  parts.push(summary.failed > 0 ? palette.error(formatWithClasses(summary.failed, summary.failedByClass, failed)) : failed);
  if (summary.alreadyDone > 0) parts.push(`${formatCount(summary.alreadyDone)} skipped (already done)`);
  return parts.join(' · ');
}

function formatTokens(summary: TokenCounts): string {
  const parts = [
    `${formatCount(summary.inputTokens)} in`,
    `${formatCount(summary.cachedInputTokens)} cached`,
    `${formatCount(summary.outputTokens)} out`,
  ];
  if (summary.cacheWriteTokens > 0) parts.push(`${formatCount(summary.cacheWriteTokens)} cache writes`);
  if (summary.reasoningTokens > 0) parts.push(`${formatCount(summary.reasoningTokens)} reasoning`);
  return parts.join(' · ');
}

function formatCost(summary: RunSummary, palette: Palette): string {
  if (summary.spentUsd === null) {
    return (
      palette.warn(`unknown (no price for model ${sanitizeText(summary.model)})`) +
      palette.dim(' · set --price-input and --price-output')
    );
  }
  const parts = [`${formatUsd(summary.spentUsd)} (${summary.mode})`];
  if (summary.otherModeUsd !== null) {
    const other = summary.mode === 'realtime' ? 'batch mode' : 'realtime mode';
    parts.push(`${other} would have cost ${formatUsd(summary.otherModeUsd)}`);
  }
  if (summary.stop !== 'completed' && summary.projectedUsd !== null && summary.projectedUsd > summary.spentUsd) {
    parts.push(`all items would cost about ${formatUsd(summary.projectedUsd)}`);
  }
  return parts.join(' · ');
}

function formatBudget(summary: RunSummary): string {
  const budget = summary.budgetUsd ?? 0;
  if (summary.spentUsd === null) return `${formatUsd(budget)} (spend unknown)`;
  const used = budget > 0 ? ` (${formatPercent(summary.spentUsd / budget)} used)` : '';
  return `${formatUsd(summary.spentUsd)} of ${formatUsd(budget)}${used}`;
}

/** Every run into the output: the figures `status` shows. */
function formatAllRuns(all: NonNullable<RunSummary['allRuns']>, priced: boolean): string {
  const parts = [formatTokens(all)];
  if (priced) parts.push(formatUsd(all.costUsd));
  parts.push(formatCache(all));
  return parts.join(' · ');
}

function formatCache(summary: Pick<RunSummary, 'cacheHits' | 'dedupHits'>): string {
  const hits = `${formatCount(summary.cacheHits)} ${plural(summary.cacheHits, 'hit')}`;
  return `${hits} · ${formatCount(summary.dedupHits)} in-run ${plural(summary.dedupHits, 'duplicate')}`;
}

/** `14 (rate_limit 10, server 4)`: largest classes first. */
function formatWithClasses(
  count: number,
  byClass: Partial<Record<FailureClass, number>>,
  label = formatCount(count),
): string {
  const classes = Object.entries(byClass)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number' && entry[1] > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name, n]) => `${name} ${formatCount(n)}`);
  return classes.length === 0 ? label : `${label} (${classes.join(', ')})`;
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}
