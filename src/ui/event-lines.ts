/**
 * One-line messages for the events worth telling a person about as they happen. The formatters are a mapped
 * type keyed by event type (as in zx's log), so a new RunEvent does not compile until it is given a line here
 * (or an explicit `null`: shown elsewhere, or too frequent to print).
 */
import { formatUsd } from '../cost/money.js';
import type { RunEvent, RunEventType } from '../run/events.js';
import type { Palette } from './color.js';
import { formatCount, formatDuration, sanitizeText } from './format.js';

/** Item failures printed one by one before we only count them (a bad template can fail every item). */
export const MAX_ITEM_FAILURE_LINES = 10;

/** Error bodies can be whole HTML pages; a log line keeps the head. */
const MAX_MESSAGE_CHARS = 300;

type EventOf<K extends RunEventType> = Extract<RunEvent, { type: K }>;

interface LineContext {
  palette: Palette;
  command: string;
}

type LineFormatters = { [K in RunEventType]: (event: EventOf<K>, context: LineContext) => string | null };

/** Anthropic's "overloaded" status. */
const OVERLOADED_STATUS = 529;

const formatters: LineFormatters = {
  'phase-started': (event) => clean(event.text),
  'phase-finished': (event) => clean(event.text),
  'run-started': (event, { command }) => formatRunStarted(event, command),
  'item-succeeded': () => null,
  'item-failed': (event, { palette }) =>
    palette.error(`item ${clean(event.id)} failed (${describeClass(event.errorClass, event.status)})`) +
    `${event.attempts > 1 ? ` after ${event.attempts} attempts` : ''}: ${clean(event.message)}`,
  'retry-scheduled': () => null,
  // A 529 is the provider overloaded for everyone, not this account's rate limit: its reason says so itself.
  'rate-limited': (event, { palette }) =>
    palette.warn(
      event.status === OVERLOADED_STATUS
        ? clean(event.reason)
        : `rate limited${event.status === undefined ? '' : ` (${event.status})`}: ${clean(event.reason)}`,
    ),
  'rate-limits-learned': (event, { palette }) => palette.dim(formatLearnedLimits(event)),
  'budget-warning': (event, { palette }) =>
    palette.warn(
      `budget: ${Math.round(event.fraction * 100)}% used (${formatUsd(event.spentUsd)} of ${formatUsd(event.budgetUsd)})`,
    ),
  'budget-reached': (event, { palette }) =>
    palette.warn(
      `budget reached: ${formatUsd(event.spentUsd)} spent + ${formatUsd(event.reservedUsd)} reserved of ` +
        `${formatUsd(event.budgetUsd)}; no new requests, finishing those in flight`,
    ),
  'fatal-error': (event, { palette }) =>
    palette.error(`fatal: ${clean(event.message)} (${describeClass(event.errorClass, event.status)})`),
  interrupted: (event, { palette }) =>
    palette.warn(
      `interrupted (${clean(event.signal)}): ` +
        (event.abandoning
          ? 'abandoning the requests in flight; resume retries them'
          : 'finishing the requests in flight, then saving state'),
    ),
  warning: (event, { palette }) => palette.warn(`warning: ${clean(event.message)}`),
  'batch-submitted': (event) =>
    `submitted batch ${clean(event.batchId)} with ${formatCount(event.requests)} requests`,
  'batch-progress': (event) => {
    const line =
      `batch ${clean(event.batchId)}: ${clean(event.status)}, ${formatCount(event.completed)}/` +
      `${formatCount(event.total)} done, ${formatCount(event.failed)} failed`;
    const wait = formatBatchWait(event);
    return wait.length === 0 ? line : `${line} (${wait.join(', ')})`;
  },
  progress: () => null,
  'run-finished': () => null,
};

/** Turns events into lines, dropping repeats: item failures past the first few, identical pauses, unchanged batch statuses and limits. */
export type EventLiner = (event: RunEvent) => string | null;

/** A stateful liner; one per reporter. */
export function createEventLiner(context: LineContext): EventLiner {
  let itemFailures = 0;
  let lastLimits = '';
  let lastPause = '';
  let pauseRepeats = 0;
  const batchStatus = new Map<string, string>();

  return (event) => {
    switch (event.type) {
      case 'item-failed':
        itemFailures += 1;
        if (itemFailures === MAX_ITEM_FAILURE_LINES + 1) {
          return context.palette.dim('more items failed: they are counted in the summary and kept in the failures file');
        }
        if (itemFailures > MAX_ITEM_FAILURE_LINES) return null;
        break;
      case 'rate-limits-learned': {
        const key = `${event.rpm}/${event.tpm}`;
        if (key === lastLimits) return null;
        lastLimits = key;
        break;
      }
      case 'rate-limited': {
        // A provider that stays overloaded pauses us every second in the same words: the first line says it,
        // repeats are shown at 2, 4, 8, … in a row, so the log keeps the count without a wall of copies.
        const line = formatLine(event, context);
        if (line !== lastPause) {
          lastPause = line ?? '';
          pauseRepeats = 1;
          return line;
        }
        pauseRepeats += 1;
        return isPowerOfTwo(pauseRepeats) ? `${line} (${pauseRepeats} times in a row)` : null;
      }
      case 'batch-progress':
        // Polling reports every batch every few seconds; only a change of status is news.
        if (batchStatus.get(event.batchId) === event.status) return null;
        batchStatus.set(event.batchId, event.status);
        break;
      default:
        break;
    }
    return formatLine(event, context);
  };
}

function isPowerOfTwo(count: number): boolean {
  return (count & (count - 1)) === 0;
}

/** The line for one event, without any de-duplication. */
export function formatLine(event: RunEvent, context: LineContext): string | null {
  const format = formatters[event.type] as (event: RunEvent, context: LineContext) => string | null;
  return format(event, context);
}

/** `llm-batch: 5,000 items, model gpt-4o-mini (openai), concurrency 16, budget $5.00 → out.jsonl` */
export function formatRunStarted(event: EventOf<'run-started'>, command: string): string {
  const items =
    event.total === null
      ? 'items from a stream (count unknown)'
      : `${formatCount(event.total)} ${event.total === 1 ? 'item' : 'items'}`;
  const parts = [
    event.alreadyDone > 0 ? `${items} (${formatCount(event.alreadyDone)} already done)` : items,
    `model ${clean(event.model)} (${event.provider})${event.mode === 'batch' ? ', batch mode' : ''}`,
    `concurrency ${formatCount(event.concurrency)}`,
  ];
  if (event.budgetUsd !== null) parts.push(`budget ${formatUsd(event.budgetUsd)}`);
  return `${command}: ${parts.join(', ')} → ${clean(event.outputPath)}`;
}

/** `server, 503`, or just the class when there is no HTTP status. */
export function describeClass(errorClass: string, status: number | undefined): string {
  return status === undefined ? errorClass : `${errorClass}, ${status}`;
}

function formatLearnedLimits(event: EventOf<'rate-limits-learned'>): string {
  const limits: string[] = [];
  if (event.rpm !== undefined) limits.push(`${formatCount(event.rpm)} requests/min`);
  if (event.tpm !== undefined) limits.push(`${formatCount(event.tpm)} tokens/min`);
  const what = limits.length > 0 ? limits.join(', ') : 'none';
  return `rate limits from ${clean(event.source)}: ${what}`;
}

function clean(text: string): string {
  const safe = sanitizeText(text);
  return safe.length > MAX_MESSAGE_CHARS ? `${safe.slice(0, MAX_MESSAGE_CHARS - 1)}…` : safe;
}

/** `waited 2m10s`, `next poll in 7.5s`: what a batch wait has cost so far and when the next news can come. */
export function formatBatchWait(event: { waitedMs?: number; nextPollMs?: number }): string[] {
  const parts: string[] = [];
  if (event.waitedMs !== undefined) parts.push(`waited ${formatDuration(event.waitedMs)}`);
  if (event.nextPollMs !== undefined) parts.push(`next poll in ${formatDuration(event.nextPollMs)}`);
  return parts;
}
