import type { UsageRecord } from '../usage/token-usage.js';
/**
 * The records of the output files (SPEC §6). These field names are a public contract: users parse them.
 */

export type RunMode = 'realtime' | 'batch';

export type FailureClass =
  | 'bad_request'
  | 'auth'
  | 'quota'
  | 'rate_limit'
  /** The provider is overloaded for everyone (Anthropic's 529 `overloaded_error`): not this account's limit. */
  | 'overloaded'
  | 'server'
  | 'timeout'
  | 'network'
  | 'invalid_output'
  /** The model declined to answer; `message` holds its text. */
  | 'refusal'
  | 'template'
  | 'input'
  | 'budget'
  | 'canceled'
  | 'expired';

export type { UsageRecord } from '../usage/token-usage.js';

/** One line of `results.jsonl`: an item that succeeded. */
export interface ResultRecord {
  id: string;
  /**
   * Short hash of the request that produced this answer (the head of its cache key): a resumed run redoes
   * an item whose request no longer hashes the same, instead of attaching this answer to new content.
   */
  request_hash?: string;
  output: string;
  parsed?: unknown;
  model: string;
  usage: UsageRecord;
  /** `null` when the model's price is unknown. */
  cost_usd: number | null;
  attempts: number;
  latency_ms: number;
  cached: boolean;
  finish_reason: string;
  mode: RunMode;
  ts: string;
}

export interface FailureInfo {
  class: FailureClass;
  status?: number;
  code?: string;
  message: string;
  retry_after_ms?: number;
}

/** One line of `results.failed.jsonl`: a dead letter. */
export interface FailureRecord {
  id: string;
  /** Short hash of the request that failed, when it was rendered (see {@link ResultRecord.request_hash}). */
  request_hash?: string;
  error: FailureInfo;
  attempts: number;
  ts: string;
}
