import fs from 'node:fs/promises';
import { addTokens, fromUsageRecord } from '../usage/token-usage.js';
import { scanJournal, parseLine, type LineVisitor } from './journal-reader.js';
import type { ResultRecord } from './records.js';
import { emptyStateTotals, type RunState, type StateTotals } from './state-file.js';

/**
 * Records the state's ledger does not account for: written after its last checkpoint by a run killed
 * without warning (kill -9, power loss), or by an older version whose state kept no figures.
 */
export interface LedgerGap {
  /** Result lines the ledger leaves out. */
  results: number;
  /** Failure records the ledger leaves out. */
  failures: number;
  /**
   * Their figures, summed from the lines: tokens and cost of the results (cached ones count as cache hits:
   * a line does not tell a cache hit from an in-run duplicate). Failure records carry no usage, so an
   * answer paid for but unusable after the checkpoint is counted as a failure, not in tokens.
   */
  totals: StateTotals;
}

/**
 * Where the ledger's knowledge of each file ends. A state that records the byte offsets of its checkpoint
 * (`covered`) is exact; an older one is compared by counts: the lines beyond the ledger's count are the
 * newest ones, since every run appends.
 */
export async function readLedgerGap(paths: { results: string; failed: string }, state: RunState): Promise<LedgerGap> {
  const totals = emptyStateTotals();
  const results = await scanBeyond(paths.results, state.covered?.results, state.totals.succeeded ?? 0, sumResult(totals));
  const failures = await scanBeyond(paths.failed, state.covered?.failed, state.totals.failed ?? 0, () => undefined);
  totals.succeeded = results;
  totals.failed = failures;
  return { results, failures, totals };
}

/** The one line `status` shows about the gap; undefined when there is none (the usual case). */
export function describeLedgerGap(gap: LedgerGap): string | undefined {
  if (gap.results === 0 && gap.failures === 0) return undefined;
  const failures = gap.failures === 0 ? '' : ` (and ${gap.failures} failures)`;
  return `${gap.results} results${failures} newer than the last checkpoint counted from the output file`;
}

/**
 * Counts (and visits) the records past `offset`, or, without one, past the first `known` records. An
 * offset beyond the file's end (a file replaced or cut by hand) falls back to the count.
 */
async function scanBeyond(file: string, offset: number | undefined, known: number, visit: (record: Partial<ResultRecord>) => void): Promise<number> {
  const size = await fs.stat(file).then((stats) => stats.size, () => 0);
  const exact = offset !== undefined && offset <= size;
  let index = 0;
  let beyond = 0;
  const counter: LineVisitor = (buffer, start, end) => {
    index += 1;
    if (!exact && index <= known) return true; // the ledger's own lines: counted, not parsed
    const record = parseLine(buffer, start, end);
    if (record === undefined || typeof record !== 'object') return false;
    beyond += 1;
    visit(record as Partial<ResultRecord>);
    return true;
  };
  await scanJournal(file, counter, exact ? { startAt: offset } : {});
  return beyond;
}

function sumResult(totals: StateTotals): (record: Partial<ResultRecord>) => void {
  return (record) => {
    if (record.cached === true) {
      totals.cacheHits = (totals.cacheHits ?? 0) + 1;
      return;
    }
    addTokens(totals, fromUsageRecord(record.usage));
    if (typeof record.cost_usd === 'number') totals.costUsd += record.cost_usd;
  };
}
