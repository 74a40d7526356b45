/**
 * What the mock's Batch APIs remember: uploaded files and batches, with a clock-driven life cycle shared
 * by both dialects. A batch runs for `batchCompletionDelayMs` (read when it is created), then ends as
 * completed, or as expired with `batchExpire`; a cancel ends it at the next look. Answers are computed when
 * the batch is created; they are billed in the stats only when it completes.
 */
import type { ExecutedRequest } from './batch-execute.js';
import type { MockState } from './state.js';

/** OpenAI's Batch API and Anthropic's Message Batches both bill half the realtime price. */
const BATCH_PRICE_FACTOR = 0.5;

export interface StoredFile {
  id: string;
  filename: string;
  purpose: string;
  content: string;
  /** Epoch seconds. */
  createdAt: number;
}

export interface StoredRequest {
  customId: string;
  result: ExecutedRequest;
}

export type BatchEndReason = 'completed' | 'expired' | 'canceled' | 'failed';

export interface StoredBatch {
  id: string;
  dialect: 'openai' | 'anthropic';
  /** OpenAI: the endpoint every request of the batch targets (`/v1/chat/completions`, `/v1/responses`). */
  endpoint?: string;
  /** Epoch ms. */
  createdAt: number;
  endsAt: number;
  expire: boolean;
  requests: StoredRequest[];
  cancelRequestedAt?: number;
  endedAt?: number;
  endReason?: BatchEndReason;
  /** OpenAI: the input file, and the files written when the batch ended. */
  inputFileId?: string;
  outputFileId?: string;
  errorFileId?: string;
  /** OpenAI: why validation failed (the batch then ends as `failed` at once). */
  validationErrors?: Array<{ code: string; message: string; line?: number }>;
}

/** Told once when a batch ends, to write result files. */
export type OnBatchEnd = (batch: StoredBatch) => void;

export class MockBatchStore {
  readonly files = new Map<string, StoredFile>();
  readonly batches = new Map<string, StoredBatch>();

  constructor(private readonly state: MockState) {}

  /** Store a new batch and count it; its requests are already answered. */
  create(init: Pick<StoredBatch, 'id' | 'dialect' | 'endpoint' | 'requests' | 'inputFileId' | 'validationErrors'>, now: number): StoredBatch {
    const { behaviour, stats } = this.state;
    const batch: StoredBatch = { ...init, createdAt: now, endsAt: now + behaviour.batchCompletionDelayMs, expire: behaviour.batchExpire };
    this.batches.set(batch.id, batch);
    stats.batchesCreated += 1;
    if (behaviour.trackPrompts) for (const { result } of batch.requests) if (result.prompt !== '') stats.countPrompt(result.prompt);
    return batch;
  }

  /** Move a batch along its life cycle as of `now`; `onEnd` runs once, when it ends. */
  advance(batch: StoredBatch, now: number, onEnd: OnBatchEnd): void {
    if (batch.endReason !== undefined) return;
    if (batch.validationErrors !== undefined) return this.end(batch, 'failed', now, onEnd);
    if (batch.cancelRequestedAt !== undefined) return this.end(batch, 'canceled', now, onEnd);
    if (now >= batch.endsAt) this.end(batch, batch.expire ? 'expired' : 'completed', now, onEnd);
  }

  /** Requests done so far: all at the end, else in proportion to the time elapsed. */
  finishedCount(batch: StoredBatch, now: number): number {
    if (batch.endReason === 'completed') return batch.requests.length;
    if (batch.endReason !== undefined) return 0;
    const span = batch.endsAt - batch.createdAt;
    const fraction = span <= 0 ? 1 : Math.min(1, (now - batch.createdAt) / span);
    return Math.floor(batch.requests.length * fraction);
  }

  private end(batch: StoredBatch, reason: BatchEndReason, now: number, onEnd: OnBatchEnd): void {
    batch.endReason = reason;
    batch.endedAt = now;
    if (reason === 'completed') {
      const { stats, behaviour } = this.state;
      for (const { result } of batch.requests) {
        if (result.tokens) stats.recordSuccess(behaviour.trackPrompts ? result.prompt : undefined, result.tokens, behaviour, BATCH_PRICE_FACTOR);
      }
    }
    onEnd(batch);
  }
}

/** Epoch ms → epoch seconds (OpenAI) . */
export function toUnixSeconds(ms: number | undefined): number | null {
  return ms === undefined ? null : Math.floor(ms / 1000);
}

/** Epoch ms → RFC 3339 (Anthropic). */
export function toRfc3339(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}
