/**
 * The engine's item path with fakes for everything around it (provider, scheduler, clock, journal): retry ×
 * budget × validation, the paths the "never exceeds the budget" promise rests on.
 */
import { describe, expect, it } from 'vitest';
import { BudgetLedger } from '../../src/cost/budget-ledger.js';
import { createApiError, NetworkError } from '../../src/http/errors.js';
import type { FailureRecord, ResultRecord } from '../../src/journal/records.js';
import type { Completion, OutputSchema, Provider, ProviderResponse } from '../../src/providers/types.js';
import { validateOutput } from '../../src/providers/validate-output.js';
import { classifyFailure } from '../../src/retry/classify-failure.js';
import type { RunEvent } from '../../src/run/events.js';
import { ItemProcessor, type ItemPorts } from '../../src/run/item-processor.js';
import { RunControl } from '../../src/run/run-control.js';
import { RunStats } from '../../src/run/run-stats.js';
import { zeroTokens } from '../../src/usage/token-usage.js';

/** Every request is estimated at 10 input tokens and may answer 10: worst case 20 tokens = $0.02. */
const USD_PER_TOKEN = 0.001;
const INPUT_TOKENS = 10;
const MAX_TOKENS = 10;
const WORST_CASE_USD = (INPUT_TOKENS + MAX_TOKENS) * USD_PER_TOKEN;

const SCHEMA: OutputSchema = {
  name: 'label',
  schema: { type: 'object', properties: { label: { type: 'string' } }, required: ['label'], additionalProperties: false },
};

/** A scripted answer: a completion (its text and tokens) or an error thrown by the provider. */
type Step = { text: string; input?: number; output?: number } | Error;

const answer = (text: string, input = 10, output = 5): Step => ({ text, input, output });
const status = (code: number, headers: Record<string, string> = {}, message = `HTTP ${code}`) =>
  createApiError(code, headers, JSON.stringify({ error: { message, type: code === 401 ? 'authentication_error' : 'server_error' } }));

interface Harness {
  processor: ItemProcessor;
  results: ResultRecord[];
  failures: FailureRecord[];
  events: RunEvent[];
  stats: RunStats;
  control: RunControl;
  ledger: BudgetLedger | null;
  sent: number;
  waits: Array<{ retry: number; retryAfterMs: number | undefined }>;
  rateLimited: number[];
  clock: { now: number };
}

function harness(steps: Step[], options: { budgetUsd?: number; schema?: boolean; maxRetries?: number; maxInvalidOutputRetries?: number; onSleep?: (h: Harness) => void } = {}): Harness {
  const clock = { now: 1_000_000 };
  const control = new RunControl();
  const ledger = options.budgetUsd === undefined ? null : new BudgetLedger({ budgetUsd: options.budgetUsd });
  const stats = new RunStats({ total: 1, alreadyDone: 0, budgetUsd: options.budgetUsd ?? null, priced: true, otherModeFactor: 0.5, now: () => clock.now });
  const h = { results: [], failures: [], events: [], stats, control, ledger, sent: 0, waits: [], rateLimited: [], clock } as unknown as Harness;
  const provider: Provider = {
    id: 'openai',
    baseUrl: 'https://api.example.test/v1',
    async complete(): Promise<ProviderResponse> {
      const step = steps[h.sent];
      h.sent += 1;
      clock.now += 100;
      if (step === undefined) throw new Error('the test scripted fewer answers than were asked for');
      if (step instanceof Error) throw step;
      const usage = { ...zeroTokens(), inputTokens: step.input ?? 10, outputTokens: step.output ?? 5 };
      const completion: Completion = { text: step.text, finishReason: 'stop', truncated: false, usage, model: 'gpt-test' };
      return { completion, headers: {}, status: 200 };
    },
    close: async () => undefined,
  };
  const ports: ItemPorts = {
    provider,
    schedule: (_cost, task) => task({ sent: {}, unansweredBefore: {} }),
    scheduler: {
      observeHeaders: () => undefined,
      reportRefused: (notice) => void h.rateLimited.push(notice.retryAfterMs ?? -1),
      reportSuccess: () => undefined,
      reportUsage: () => undefined,
    },
    cache: null,
    cacheKey: (request) => JSON.stringify(request),
    requestHash: (request) => JSON.stringify(request.messages).length.toString(16),
    budget: ledger,
    costOf: (completion) => (completion.usage.inputTokens + completion.usage.outputTokens) * USD_PER_TOKEN,
    worstCaseCost: (input, maxOutput) => (input + maxOutput) * USD_PER_TOKEN,
    estimateInputTokens: () => INPUT_TOKENS,
    classify: (error) => classifyFailure(error, { maxWaitMs: 600_000, nowMs: clock.now }),
    backoff: (retry, retryAfterMs) => {
      h.waits.push({ retry, retryAfterMs });
      return retryAfterMs ?? 1_000;
    },
    parseAnswer: (completion) => {
      const check = validateOutput(completion, options.schema ? { schema: SCHEMA } : {});
      if (!check.ok) throw check.error;
      return { parsed: check.parsed };
    },
    render: async (item) => [{ role: 'user', content: [{ type: 'text', text: String(item.data.text) }] }],
    writeResult: (record) => void h.results.push(record),
    writeFailure: (record) => void h.failures.push(record),
    sleep: async (ms) => {
      clock.now += ms;
      options.onSleep?.(h);
    },
    now: () => clock.now,
  };
  const settings = {
    request: { params: { model: 'gpt-test', maxTokens: MAX_TOKENS, extra: {}, ...(options.schema ? { schema: SCHEMA } : {}) } },
    mode: 'realtime' as const,
    maxRetries: options.maxRetries ?? 3,
    maxInvalidOutputRetries: options.maxInvalidOutputRetries ?? 2,
    defaultMaxOutputTokens: 4096,
  };
  h.processor = new ItemProcessor(ports, settings, control, stats, (event) => void h.events.push(event));
  return h;
}

const item = { id: 'a', index: 1, line: 1, data: { text: 'classify me' } };
const VALID = '{"label":"positive"}';
const spent = (h: Harness) => h.stats.snapshot({ reservedUsd: 0, paused: false }).spentUsd ?? 0;

describe('ItemProcessor: what the scheduler hears inside the slot', () => {
  it('reports an answer while the request still holds its slot, before the answer is handed over', async () => {
    // The scheduler hands answers over after the I/O phase; a 429 in the same phase is judged against the
    // answers counted so far, so the answers that came with it must be counted first (issue 13, row g).
    const h = harness([answer('fine')]);
    const order: string[] = [];
    const ports = (h.processor as unknown as { ports: ItemPorts }).ports;
    const schedule = ports.schedule;
    ports.schedule = async (cost, task) => {
      const value = await schedule(cost, task);
      order.push('slot released');
      return value;
    };
    ports.scheduler.reportSuccess = () => void order.push('answer reported');
    await h.processor.process(item);
    expect(order).toEqual(['answer reported', 'slot released']);
    expect(h.results).toHaveLength(1);
  });
});

describe('ItemProcessor: retries', () => {
  it('retries retryable failures and records the answer with its attempt count', async () => {
    const retried = harness([status(500), new NetworkError('ECONNRESET', 'ECONNRESET talking to api'), answer('fine')]);
    await retried.processor.process(item);
    expect(retried.results).toMatchObject([{ id: 'a', output: 'fine', attempts: 3, cached: false }]);
    expect(retried.waits.map((w) => w.retry)).toEqual([1, 2]);
    expect(retried.stats.retriesByClass).toEqual({ server: 1, network: 1 });
    expect(retried.events.filter((e) => e.type === 'retry-scheduled')).toHaveLength(2);
  });

  it('dead-letters a non-retryable answer at once', async () => {
    const h = harness([status(400), answer('never asked')]);
    await h.processor.process(item);
    expect(h.sent).toBe(1);
    expect(h.failures).toMatchObject([{ id: 'a', attempts: 1, error: { class: 'bad_request', status: 400 } }]);
    expect(h.results).toEqual([]);
  });

  it('gives up after --max-retries and writes the last failure', async () => {
    const h = harness([status(503), status(503), status(503), status(503), answer('too late')], { maxRetries: 2 });
    await h.processor.process(item);
    expect(h.sent).toBe(3);
    expect(h.failures).toMatchObject([{ id: 'a', attempts: 3, error: { class: 'server', status: 503 } }]);
  });

  it('honours the server-advised wait of a 429 and reports the rate limit', async () => {
    const h = harness([status(429, { 'retry-after-ms': '1500' }), answer('fine')]);
    await h.processor.process(item);
    expect(h.waits).toEqual([{ retry: 1, retryAfterMs: 1500 }]);
    expect(h.rateLimited).toEqual([1500]);
    expect(h.results).toHaveLength(1);
  });

  it('stops the run on a fatal answer and writes nothing for the item', async () => {
    const h = harness([status(401), answer('never asked')]);
    await h.processor.process(item);
    expect(h.control.stopReason).toBe('fatal');
    expect(h.events.some((e) => e.type === 'fatal-error')).toBe(true);
    expect(h.results).toEqual([]);
    expect(h.failures).toEqual([]);
  });

  it('leaves the item pending when the run is abandoned during a backoff', async () => {
    const h = harness([status(503), answer('never asked')], { onSleep: (self) => {
      self.control.stop('interrupted');
      self.control.abandon();
    } });
    await h.processor.process(item);
    expect(h.sent).toBe(1);
    expect(h.results).toEqual([]);
    expect(h.failures).toEqual([]);
  });
});

describe('ItemProcessor: validation', () => {
  it('pays for an invalid answer, retries it, and records only the valid one', async () => {
    const h = harness([answer('not json', 10, 5), answer(VALID, 10, 6)], { schema: true, budgetUsd: 1 });
    await h.processor.process(item);
    expect(h.results).toMatchObject([{ id: 'a', parsed: { label: 'positive' }, attempts: 2 }]);
    expect(h.results[0].cost_usd).toBeCloseTo(0.016, 10);
    // Both answers were billed: the run's spend and tokens count the invalid one too.
    expect(spent(h)).toBeCloseTo(0.015 + 0.016, 10);
    expect(h.stats.tokens).toMatchObject({ inputTokens: 20, outputTokens: 11 });
    expect(h.ledger?.spentUsd).toBeCloseTo(0.031, 10);
    expect(h.ledger?.reservedUsd).toBe(0);
    expect(h.stats.retriesByClass).toEqual({ invalid_output: 1 });
  });

  it('gives up on invalid answers after their own cap, below --max-retries, with every one paid', async () => {
    const h = harness([answer('{}'), answer('{"label":1}'), answer(VALID)], { schema: true, maxRetries: 5, maxInvalidOutputRetries: 1, budgetUsd: 1 });
    await h.processor.process(item);
    expect(h.sent).toBe(2);
    expect(h.failures).toMatchObject([{ id: 'a', attempts: 2, error: { class: 'invalid_output', code: 'schema_mismatch' } }]);
    expect(spent(h)).toBeCloseTo(0.03, 10);
    expect(h.ledger?.spentUsd).toBeCloseTo(0.03, 10);
  });

  it('counts invalid answers apart from other failures', async () => {
    const h = harness([answer('{}'), status(500), answer('{}'), answer(VALID)], { schema: true, maxRetries: 5, maxInvalidOutputRetries: 2 });
    await h.processor.process(item);
    expect(h.results).toMatchObject([{ attempts: 4 }]);
    expect(h.stats.retriesByClass).toEqual({ invalid_output: 2, server: 1 });
  });
});

describe('ItemProcessor: budget', () => {
  it('releases the reservation of an unbilled failure, so retries do not eat the budget', async () => {
    // Room for exactly one request at a time: each failed try must give its reservation back.
    const h = harness([status(500), status(502), answer('fine')], { budgetUsd: WORST_CASE_USD });
    await h.processor.process(item);
    expect(h.results).toHaveLength(1);
    expect(h.ledger?.spentUsd).toBeCloseTo(0.015, 10);
    expect(h.ledger?.reservedUsd).toBe(0);
    expect(h.control.stopReason).toBeNull();
  });

  it('stops at the budget mid-retry: a paid invalid answer leaves too little for the next try', async () => {
    // $0.03: the first try reserves $0.02 and is billed $0.015 for an invalid answer; the retry's $0.02 no
    // longer fits, so the run stops before sending it and the item stays pending for --resume.
    const h = harness([answer('not json'), answer(VALID)], { schema: true, budgetUsd: 0.03 });
    await h.processor.process(item);
    expect(h.sent).toBe(1);
    expect(h.control.stopReason).toBe('budget');
    expect(h.results).toEqual([]);
    expect(h.failures).toEqual([]);
    expect(h.ledger?.spentUsd).toBeCloseTo(0.015, 10);
    expect(h.ledger?.reservedUsd).toBe(0);
    expect(spent(h)).toBeLessThanOrEqual(0.03);
  });

  it('never sends when even the first try does not fit', async () => {
    const h = harness([answer('never asked')], { budgetUsd: WORST_CASE_USD / 2 });
    await h.processor.process(item);
    expect(h.sent).toBe(0);
    expect(h.control.stopReason).toBe('budget');
    expect(h.ledger?.spentUsd).toBe(0);
  });
});
