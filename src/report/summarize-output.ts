import { parseShard, type Shard } from '../input/shard.js';
import type { FailureRecord } from '../journal/records.js';
import type { RunFingerprint } from '../journal/fingerprint.js';
import type { BatchRecord } from '../journal/state-file.js';
import type { LoadedOutput } from './read-output.js';
import { toStatusTokens, zeroTokens } from '../usage/token-usage.js';
import type { FailedSummary, FingerprintSummary, PendingBatch, StatusCounts } from './status-types.js';

/**
 * Provider batch statuses after which nothing more will arrive: OpenAI's `completed`, `failed`, `expired`,
 * `cancelled`; Anthropic's `ended` (and its `canceled` spelling). Anything else may still deliver results.
 */
const FINAL_BATCH_STATUSES = new Set(['completed', 'failed', 'expired', 'cancelled', 'canceled', 'ended']);

/** A failure record without a usable class still counts, under this name. */
const UNKNOWN_CLASS = 'unknown';

/** The figures of one output, except `pending`, which needs its input (see `count-pending.ts`). */
export function summarizeOutput(output: LoadedOutput): Omit<StatusCounts, 'pending'> {
  const { resume, state } = output;
  const totals = resume.totals;
  return {
    done: resume.done.size,
    failed: summarizeFailures(resume.failedLatest.values()),
    pendingBatches: (state?.batches ?? []).filter(isPendingBatch).map((batch) => toPendingBatch(output.path, batch)),
    resultLines: totals?.succeeded ?? 0,
    tokens: toStatusTokens(totals ?? zeroTokens()),
    costUsd: totals?.costUsd ?? 0,
    unpricedResults: totals?.unpricedResults ?? 0,
    lastUpdate: new Date(output.lastModifiedMs).toISOString(),
    damage: { tornTails: resume.tornTails, invalidLines: resume.invalidLines },
  };
}

/** Counts failures by class, most frequent first (ties by name), so the JSON and the display are stable. */
export function summarizeFailures(failures: Iterable<FailureRecord>): FailedSummary {
  const counts = new Map<string, number>();
  let total = 0;
  for (const failure of failures) {
    const failureClass = typeof failure.error?.class === 'string' ? failure.error.class : UNKNOWN_CLASS;
    counts.set(failureClass, (counts.get(failureClass) ?? 0) + 1);
    total += 1;
  }
  const sorted = [...counts].sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b));
  return { total, byClass: Object.fromEntries(sorted) };
}

/** The parts of the state's fingerprint a reader of `status` cares about. */
export function summarizeFingerprint(fingerprint: RunFingerprint): FingerprintSummary {
  const shard = recordedShard(fingerprint);
  return {
    model: fingerprint.model,
    provider: fingerprint.provider,
    mode: fingerprint.mode,
    baseUrl: fingerprint.baseUrl,
    templateHash: fingerprint.templateHash,
    params: fingerprint.params ?? {},
    input: { path: fingerprint.input?.path ?? '', size: fingerprint.input?.size ?? 0 },
    ...(shard === undefined ? {} : { shard: { k: shard.index + 1, n: shard.count } }),
  };
}

/**
 * The `--shard` a run recorded in its fingerprint, if it did: as a 0-based `{index, count}` (the run's own
 * form) or as the `k/n` text. States that do not record it give undefined: the whole input is then in scope.
 */
export function recordedShard(fingerprint: RunFingerprint): Shard | undefined {
  const shard = (fingerprint as RunFingerprint & { shard?: unknown }).shard;
  if (typeof shard === 'string') {
    try {
      return parseShard(shard);
    } catch {
      return undefined;
    }
  }
  if (shard === null || typeof shard !== 'object') return undefined;
  const { index, count } = shard as Partial<Shard>;
  const valid = Number.isSafeInteger(index) && Number.isSafeInteger(count) && count! >= 1 && index! >= 0 && index! < count!;
  return valid ? { index: index!, count: count! } : undefined;
}

function isPendingBatch(batch: BatchRecord): boolean {
  return !FINAL_BATCH_STATUSES.has(String(batch.status).toLowerCase());
}

function toPendingBatch(output: string, batch: BatchRecord): PendingBatch {
  return {
    output,
    id: batch.id,
    provider: batch.provider,
    status: batch.status,
    createdAt: batch.createdAt,
    itemCount: batch.itemCount,
  };
}
