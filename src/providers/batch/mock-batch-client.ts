/**
 * The in-process batch client for `-m mock --mode batch`: no network, no key. Batches end after a short
 * simulated delay and answer with `mockAnswer`, so a newcomer sees the whole batch flow offline.
 */
import { mockCompletion } from '../mock.js';
import type { ChatRequest } from '../types.js';
import type { BatchClient, BatchItemOutcome, BatchLimits, BatchSnapshot } from './types.js';

/** The mock takes what OpenAI takes. */
export const MOCK_BATCH_LIMITS: Readonly<BatchLimits> = { maxRequests: 50_000, maxBytes: 200_000_000 };

export interface MockBatchClientOptions {
  /** How long a batch runs before it ends. @default 2000 (long enough to see the polling phase) */
  completionDelayMs?: number;
  /** @default Date.now */
  now?: () => number;
  limits?: Partial<BatchLimits>;
}

interface MockBatch {
  id: string;
  createdAt: number;
  requests: Array<{ customId: string; request: ChatRequest }>;
  canceled: boolean;
}

const DEFAULT_DELAY_MS = 2000;

export function createMockBatchClient(options: MockBatchClientOptions = {}): BatchClient {
  const delayMs = options.completionDelayMs ?? DEFAULT_DELAY_MS;
  const now = options.now ?? Date.now;
  const batches = new Map<string, MockBatch>();

  function snapshot(batch: MockBatch): BatchSnapshot {
    const total = batch.requests.length;
    const ended = batch.canceled || now() - batch.createdAt >= delayMs;
    if (!ended) return { id: batch.id, status: 'in_progress', counts: { total, completed: 0, failed: 0 }, resultRefs: [] };
    const counts = batch.canceled ? { total, completed: 0, failed: total } : { total, completed: total, failed: 0 };
    return { id: batch.id, status: 'ended', end: batch.canceled ? 'canceled' : 'completed', counts, resultRefs: [batch.id] };
  }

  /**
   * In-process batches die with their process: one recorded by an earlier run reads as expired, so its
   * items become `expired` dead letters that the next resume sends again.
   */
  function lost(batchId: string): BatchSnapshot {
    return { id: batchId, status: 'expired', end: 'expired', counts: { total: 0, completed: 0, failed: 0 }, resultRefs: [] };
  }

  return {
    provider: 'mock',
    limits: { ...MOCK_BATCH_LIMITS, ...options.limits },
    encodeRequest: (customId, request) => JSON.stringify({ custom_id: customId, request }),
    async submit(encoded, { onStep }) {
      onStep('submitting');
      const id = `mockbatch_${batches.size + 1}`;
      const requests = encoded.map((line) => {
        const { custom_id, request } = JSON.parse(line) as { custom_id: string; request: ChatRequest };
        return { customId: custom_id, request };
      });
      batches.set(id, { id, createdAt: now(), requests, canceled: false });
      return { id, status: 'in_progress' };
    },
    async poll(batchId) {
      const batch = batches.get(batchId);
      return batch ? snapshot(batch) : lost(batchId);
    },
    async *results(done): AsyncGenerator<BatchItemOutcome> {
      const batch = batches.get(done.id);
      if (batch === undefined || batch.canceled) return;
      for (const { customId, request } of batch.requests) yield { customId, kind: 'succeeded', completion: mockCompletion(request) };
    },
    async cancel(batchId) {
      const batch = batches.get(batchId);
      if (batch === undefined) return lost(batchId);
      batch.canceled = true;
      return snapshot(batch);
    },
    close: async () => undefined,
  };
}
