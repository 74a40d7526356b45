/**
 * The live TTY line: a bar plus the run's figures, fitted to the terminal width. It must never wrap: a
 * wrapped line cannot be redrawn in place and the terminal fills with copies of the bar.
 */
import { stripVTControlCharacters } from 'node:util';
import type { RunTotals } from '../run/events.js';
import type { Palette } from './color.js';
import { formatCount, formatPercent, formatRate } from './format.js';
import { visibleWidth } from './wrap-line.js';
import { formatDoneOfTotal, formatEta, formatMoney, formatPause, formatSlow, progressFraction } from './progress-line.js';

/** Narrower than this a bar says nothing; wider, it only pushes figures off screen. */
const MIN_BAR_WIDTH = 10;
const MAX_BAR_WIDTH = 30;
const SEPARATOR = ' · ';
const BAR_COMPLETE = '█';
const BAR_INCOMPLETE = '░';
/** Where the bar ranks among the segments: it goes after cache, retries and the rate, before the eta. */
const BAR_PRIORITY = 3.5;

interface Segment {
  text: string;
  /** Lower survives longer when the terminal is narrow; 0 is never dropped. */
  priority: number;
}

/** The bar line for `totals`, at most `width - 1` columns (the last column makes some terminals wrap). */
export function formatBarLine(totals: RunTotals, width: number, palette: Palette): string {
  const limit = Math.max(1, width - 1);
  const fraction = progressFraction(totals);
  const segments = buildSegments(totals, fraction, palette);
  let withBar = fraction !== null;

  for (;;) {
    const text = segments.map((segment) => segment.text).join(SEPARATOR);
    const textWidth = visibleWidth(text);
    if (withBar && fraction !== null) {
      const room = limit - textWidth - 1;
      if (room >= MIN_BAR_WIDTH) return `${drawBar(fraction, Math.min(room, MAX_BAR_WIDTH), palette)} ${text}`;
    } else if (textWidth <= limit) {
      return text;
    }
    const dropAt = findDroppable(segments);
    if (withBar && (dropAt === -1 || segments[dropAt].priority <= BAR_PRIORITY)) {
      withBar = false;
      continue;
    }
    if (dropAt === -1) return truncate(text, limit);
    segments.splice(dropAt, 1);
  }
}

function buildSegments(totals: RunTotals, fraction: number | null, palette: Palette): Segment[] {
  const head =
    fraction === null ? formatDoneOfTotal(totals) : `${formatDoneOfTotal(totals)} ${formatPercent(fraction)}`;
  const segments: Segment[] = [{ text: palette.bold(head), priority: 0 }];
  const pause = formatPause(totals);
  if (pause !== null) segments.push({ text: palette.warn(pause), priority: 1 });
  segments.push({ text: `${formatRate(totals.rate)}/s`, priority: 4 });
  const eta = formatEta(totals);
  // Hanging requests are the news while they last: on a narrow terminal they outlive the money figures.
  if (eta !== null) segments.push(totals.slowRequests > 0 ? { text: palette.warn(eta), priority: 1 } : { text: eta, priority: 3 });
  const slow = formatSlow(totals);
  if (slow !== null) segments.push({ text: palette.warn(slow), priority: 1 });
  segments.push({ text: formatMoney(totals), priority: 1 });
  // The summary's words: cache hits (answered from the local cache) apart from in-run duplicates.
  segments.push({ text: countLabel(totals.cacheHits, 'cache', palette.dim), priority: 5 });
  if (totals.dedupHits > 0) segments.push({ text: countLabel(totals.dedupHits, 'duplicates', palette.dim), priority: 5 });
  segments.push({ text: countLabel(totals.retries, 'retries', palette.warn), priority: 4 });
  segments.push({ text: countLabel(totals.failed, 'failed', palette.error), priority: 1 });
  return segments;
}

/** `failed 2` in the alarm colour, or dimmed while it is zero. */
function countLabel(count: number, label: string, style: (text: string) => string): string {
  const text = `${label} ${formatCount(count)}`;
  return count > 0 ? style(text) : text;
}

/** Index of the segment to drop next: the highest priority number, the rightmost among equals; -1 if none. */
function findDroppable(segments: Segment[]): number {
  let index = -1;
  for (let i = 0; i < segments.length; i += 1) {
    if (segments[i].priority > 0 && (index === -1 || segments[i].priority >= segments[index].priority)) index = i;
  }
  return index;
}

function drawBar(fraction: number, width: number, palette: Palette): string {
  const filled = Math.round(fraction * width);
  return palette.accent(BAR_COMPLETE.repeat(filled)) + palette.dim(BAR_INCOMPLETE.repeat(width - filled));
}

function truncate(text: string, limit: number): string {
  if (visibleWidth(text) <= limit) return text;
  return `${[...stripVTControlCharacters(text)].slice(0, Math.max(0, limit - 1)).join('')}…`;
}
