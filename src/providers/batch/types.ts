/**
 * The provider-neutral view of a Batch API (OpenAI Batch, Anthropic Message Batches, the in-process mock).
 * The run engine talks only to `BatchClient`; each provider translates to its own endpoints and shapes.
 */
import type { HttpClient } from '../../http/http-client.js';
import type { FailureInfo } from '../../journal/records.js';
import type { ChatRequest, Completion, ProviderId } from '../types.js';
import type { RetryPolicy } from './retry-call.js';

/** What an HTTP Batch API client is built from (`create-batch-client.ts`). */
export interface HttpBatchClientOptions {
  /** As for realtime requests (OpenAI's with `/v1`, Anthropic's without), without a trailing slash. */
  baseUrl: string;
  apiKey: string;
  http: HttpClient;
  /** Deadline of the call that carries the requests (OpenAI's upload, Anthropic's create): up to 200+ MB. */
  uploadTimeoutMs: number;
  retry: RetryPolicy;
  /** Lower than the provider's own limits. @default the provider's */
  limits?: Partial<BatchLimits>;
}

/** How much one batch may hold; inputs beyond it are split into several batches. */
export interface BatchLimits {
  /** Most requests in one batch. */
  maxRequests: number;
  /** Most bytes of encoded requests in one batch (the uploaded file, or the create body). */
  maxBytes: number;
}

/** What the provider answered when the batch was created. */
export interface SubmittedBatch {
  id: string;
  status: string;
  /** OpenAI: the uploaded JSONL file. */
  inputFileId?: string;
}

/** How a batch ended; decides the dead-letter class of requests that have no result line. */
export type BatchEnd = 'completed' | 'expired' | 'canceled' | 'failed';

export interface BatchCounts {
  total: number;
  /** Requests that produced an answer. */
  completed: number;
  /** Requests that errored, expired or were canceled. */
  failed: number;
}

/** A batch as one poll saw it. */
export interface BatchSnapshot {
  id: string;
  /** The provider's own status word (`in_progress`, `finalizing`, `ended`, …). */
  status: string;
  /** Set once the batch is over and its results (if any) can be read. */
  end?: BatchEnd;
  counts: BatchCounts;
  /** Why the whole batch failed (OpenAI validation errors), redacted. */
  message?: string;
  /** Where the results are: OpenAI's output and error file ids, or Anthropic's results URL. */
  resultRefs: string[];
}

/** One request's result inside an ended batch. */
export type BatchItemOutcome =
  | { customId: string; kind: 'succeeded'; completion: Completion }
  | { customId: string; kind: 'failed'; error: FailureInfo };

/** The steps of a submission, for the phase spinners. */
export type SubmitStep = 'uploading' | 'submitting';

export interface SubmitOptions {
  /** Aborts the calls (second Ctrl-C); a first Ctrl-C must not interrupt a create that may already exist. */
  signal: AbortSignal;
  onStep(step: SubmitStep): void;
}

/**
 * One provider's Batch API. `submit`, `poll` and `cancel` retry retryable failures themselves and reject with
 * `BatchCallError` when they give up; `results` is a single pass the caller may repeat.
 */
export interface BatchClient {
  readonly provider: ProviderId;
  readonly limits: BatchLimits;
  /** One request as it goes into the batch: a JSONL line (OpenAI) or an element of `requests` (Anthropic). */
  encodeRequest(customId: string, request: ChatRequest): string;
  /** Upload and create; resolves the moment the provider has assigned the batch id. */
  submit(encoded: readonly string[], options: SubmitOptions): Promise<SubmittedBatch>;
  poll(batchId: string, signal: AbortSignal): Promise<BatchSnapshot>;
  /** Every result of an ended batch, streamed in the provider's order. */
  results(snapshot: BatchSnapshot, signal: AbortSignal): AsyncIterable<BatchItemOutcome>;
  cancel(batchId: string, signal: AbortSignal): Promise<BatchSnapshot>;
  close(): Promise<void>;
}
