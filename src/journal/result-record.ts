import { roundUsd } from '../cost/money.js';
import type { Usage } from '../providers/types.js';
import { toUsageRecord } from '../usage/token-usage.js';
import type { ResultRecord, RunMode } from './records.js';

/** What every path (realtime, batch, packed) knows about a finished item. */
export interface ResultParts {
  id: string;
  /** Short hash of the request (see `request-hash.ts`); absent where none was rendered. */
  requestHash?: string;
  output: string;
  parsed?: unknown;
  model: string;
  usage: Usage;
  /** Null when the price is unknown; 0 for cache hits. */
  costUsd: number | null;
  attempts: number;
  latencyMs: number;
  cached: boolean;
  finishReason: string;
  mode: RunMode;
  /** ISO time of the record. */
  ts: string;
}

/**
 * The one place a results line is shaped (SPEC §6). `id` comes first, then `request_hash`: resume reads
 * both from the start of each line without parsing the record.
 */
export function toResultRecord(parts: ResultParts): ResultRecord {
  const { usage } = parts;
  return {
    id: parts.id,
    ...(parts.requestHash === undefined ? {} : { request_hash: parts.requestHash }),
    output: parts.output,
    ...(parts.parsed === undefined ? {} : { parsed: parts.parsed }),
    model: parts.model,
    usage: toUsageRecord(usage),
    cost_usd: parts.cached ? 0 : roundUsd(parts.costUsd),
    attempts: parts.attempts,
    latency_ms: Math.round(parts.latencyMs),
    cached: parts.cached,
    finish_reason: parts.finishReason,
    mode: parts.mode,
    ts: parts.ts,
  };
}
