import type { FailureRecord } from '../journal/records.js';
import type { LoadedOutput } from './read-output.js';
import type { MergedStatus, OutputReport, PendingSummary } from './status-types.js';
import { addTokens, fromStatusTokens, toStatusTokens, zeroTokens } from '../usage/token-usage.js';
import { summarizeFailures } from './summarize-output.js';

/**
 * The merged total of several outputs (shards of one input, or any mix). Ids count once: an id done in any
 * output is done; a failure counts only when no output has a result for the id, and the latest failure (by
 * `ts`) across outputs gives its class. Tokens, cost, cache hits and duplicates are sums of each output's ledger.
 */
export function mergeStatus(loaded: LoadedOutput[], reports: OutputReport[], pending: PendingSummary): MergedStatus {
  const done = unionOfDone(loaded);
  const failures = latestFailures(loaded, done);
  const notes: string[] = [];
  const doneSum = reports.reduce((sum, report) => sum + report.done, 0);
  if (doneSum > done.size) {
    notes.push(`${doneSum - done.size} ids have results in more than one output; they count once`);
  }
  const times = reports.map((report) => report.lastUpdate).filter((time): time is string => time !== null);
  return {
    outputs: reports.length,
    done: done.size,
    failed: summarizeFailures(failures.values()),
    pending,
    pendingBatches: reports.flatMap((report) => report.pendingBatches),
    resultLines: sum(reports, (report) => report.resultLines),
    tokens: toStatusTokens(reports.reduce((total, report) => addTokens(total, fromStatusTokens(report.tokens)), zeroTokens())),
    costUsd: sum(reports, (report) => report.costUsd),
    cacheHits: sum(reports, (report) => report.cacheHits),
    dedupHits: sum(reports, (report) => report.dedupHits),
    // One output without a ledger makes the sum partly a sum of lines.
    figures: reports.every((report) => report.figures === 'state') ? 'state' : 'results',
    unpricedResults: sum(reports, (report) => report.unpricedResults),
    // ISO strings of one format compare in time order.
    lastUpdate: times.length === 0 ? null : times.reduce((a, b) => (a > b ? a : b)),
    damage: {
      tornTails: sum(reports, (report) => report.damage.tornTails),
      invalidLines: sum(reports, (report) => report.damage.invalidLines),
    },
    notes,
  };
}

/** With a single output its own set is the union; only several outputs pay for a copy. */
function unionOfDone(loaded: LoadedOutput[]): ReadonlySet<string> {
  if (loaded.length === 1) return loaded[0].resume.done;
  const union = new Set<string>();
  for (const output of loaded) for (const id of output.resume.done) union.add(id);
  return union;
}

function latestFailures(loaded: LoadedOutput[], done: ReadonlySet<string>): Map<string, FailureRecord> {
  const latest = new Map<string, FailureRecord>();
  for (const output of loaded) {
    for (const [id, failure] of output.resume.failedLatest) {
      if (done.has(id)) continue;
      const previous = latest.get(id);
      if (previous === undefined || String(failure.ts ?? '') >= String(previous.ts ?? '')) latest.set(id, failure);
    }
  }
  return latest;
}

function sum<T>(items: T[], pick: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += pick(item);
  return total;
}
