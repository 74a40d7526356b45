import { describe, expect, it } from 'vitest';
import type { FailureRecord, ResultRecord } from '../../../src/journal/records.js';
import type { Item } from '../../../src/input/types.js';
import { mockAnswer } from '../../../src/mock/answer.js';
import type { ChatRequest, Provider } from '../../../src/providers/types.js';
import { validateOutput } from '../../../src/providers/validate-output.js';
import type { RunEvent } from '../../../src/run/events.js';
import { ItemProcessor, type ItemPorts } from '../../../src/run/item-processor.js';
import { parsePackedPrompt } from '../../../src/run/pack/pack-format.js';
import { PackProcessor } from '../../../src/run/pack/pack-processor.js';
import { RunControl } from '../../../src/run/run-control.js';
import { RunStats } from '../../../src/run/run-stats.js';
import type { ChatMessage } from '../../../src/template/types.js';

const SCHEMA = { type: 'object', properties: { category: { type: 'string' } }, required: ['category'] };
const params = { model: 'mock', extra: {}, schema: { name: 'answer', schema: SCHEMA } };

/** A world of fakes around a real ItemProcessor; the "provider" is the mock's answer function. */
function harness(options: { size: number; inputTokenBudget?: number; render?: (item: Item) => Promise<ChatMessage[]>; rejectPacks?: boolean }) {
  const sent: ChatRequest[] = [];
  const results: ResultRecord[] = [];
  const failures: FailureRecord[] = [];
  const events: RunEvent[] = [];
  const provider: Provider = {
    id: 'mock',
    baseUrl: 'mock://',
    complete: async (request) => {
      sent.push(request);
      if (options.rejectPacks && request.params.schema?.name === 'answers') throw new Error('400 context too long');
      const answer = mockAnswer(request);
      const usage = { ...answer.usage, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
      return { completion: { text: answer.text, finishReason: 'stop', truncated: false, usage, model: 'mock' }, headers: {}, status: 200 };
    },
    close: async () => undefined,
  };
  const ports: ItemPorts = {
    provider,
    schedule: (_cost, task) => task({ sent: {}, unansweredBefore: {} }),
    scheduler: { observeHeaders: () => undefined, reportRefused: () => undefined, reportSuccess: () => undefined, reportUsage: () => undefined },
    cache: null,
    cacheKey: (request) => JSON.stringify(request),
    requestHash: (request) => JSON.stringify(request.messages).length.toString(16),
    budget: null,
    costOf: (completion) => completion.usage.inputTokens / 1e6,
    worstCaseCost: () => 0,
    estimateInputTokens: (request) => JSON.stringify(request.messages).length,
    classify: () => ({ disposition: 'dead-letter', info: { class: 'bad_request', message: 'no' }, pausesDispatch: false }),
    backoff: () => 0,
    parseAnswer: (completion) => {
      const check = validateOutput(completion, { schema: params.schema });
      if (!check.ok) throw check.error;
      return { parsed: check.parsed };
    },
    render: options.render ?? (async (item) => [
      { role: 'system', content: [{ type: 'text', text: 'Classify into one of: A, B.' }] },
      { role: 'user', content: [{ type: 'text', text: String(item.data.text) }] },
    ]),
    writeResult: (record) => results.push(record),
    writeFailure: (record) => failures.push(record),
    sleep: async () => undefined,
    now: () => 0,
  };
  const control = new RunControl();
  const stats = new RunStats({ total: null, alreadyDone: 0, budgetUsd: null, priced: true, otherModeFactor: null, now: () => 0 });
  const emit = (event: RunEvent) => events.push(event);
  const settings = { request: { params }, mode: 'realtime' as const, maxRetries: 0, maxInvalidOutputRetries: 0, defaultMaxOutputTokens: 100 };
  const processor = new ItemProcessor(ports, settings, control, stats, emit);
  const packer = new PackProcessor({ processor, ports, size: options.size, request: { params }, mode: 'realtime', control, stats, emit, inputTokenBudget: options.inputTokenBudget });
  return { packer, sent, results, failures, events, control, stats };
}

const item = (n: number, text = `product number ${n}`): Item => ({ id: `i${n}`, index: n, line: n, data: { text } });

describe('PackProcessor', () => {
  it('sends a pack when it is full and the rest on flush; every item gets its own result', async () => {
    const h = harness({ size: 4 });
    const done = Array.from({ length: 10 }, (_, i) => h.packer.process(item(i + 1)));
    expect(h.sent).toHaveLength(0); // rendering is async: nothing is sent synchronously
    h.packer.flush();
    await Promise.all(done);
    expect(h.sent.map((r) => parsePackedPrompt(lastText(r)).map((p) => p.id))).toEqual([
      ['i1', 'i2', 'i3', 'i4'],
      ['i5', 'i6', 'i7', 'i8'],
      ['i9', 'i10'],
    ]);
    expect(h.results.map((r) => r.id).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `i${i + 1}`).sort());
    expect(h.stats.succeeded).toBe(10);
    expect(h.stats.requestsSent).toBe(3);
    expect(h.packer.savings).toMatchObject({ requestsSaved: 7, fallbackItems: 0 });
    // The shares add up to what the three requests billed.
    expect(h.results.reduce((sum, r) => sum + r.usage.input_tokens, 0)).toBe(h.stats.tokens.inputTokens);
  });

  it('a lone leftover item goes as an ordinary single request', async () => {
    const h = harness({ size: 4 });
    const done = [1, 2, 3, 4, 5].map((n) => h.packer.process(item(n)));
    h.packer.flush();
    await Promise.all(done);
    expect(h.sent).toHaveLength(2);
    expect(h.sent[1].params.schema?.name).toBe('answer');
    expect(parsePackedPrompt(lastText(h.sent[1]))).toEqual([]);
  });

  it('splits a pack that would exceed the input token budget', async () => {
    // The fake estimate is JSON length: the system prefix is ~80, each item ~200, so two fit in 500.
    const h = harness({ size: 4, inputTokenBudget: 500 });
    const done = [1, 2, 3, 4].map((n) => h.packer.process(item(n, `${n} ${'x'.repeat(150)}`)));
    await Promise.all(done);
    expect(h.sent.map((r) => parsePackedPrompt(lastText(r)).length)).toEqual([2, 2]);
    expect(h.results).toHaveLength(4);
  });

  it('an item whose template fails is sent alone and dead-lettered; the others still pack', async () => {
    const h = harness({
      size: 3,
      render: async (it) => {
        if (it.id === 'i2') throw new Error('missing template variable "name"');
        return [{ role: 'user', content: [{ type: 'text', text: String(it.data.text) }] }];
      },
    });
    await Promise.all([1, 2, 3].map((n) => h.packer.process(item(n))));
    expect(h.failures).toEqual([expect.objectContaining({ id: 'i2', error: { class: 'template', message: 'missing template variable "name"' } })]);
    expect(h.results.map((r) => r.id).sort()).toEqual(['i1', 'i3']);
    expect(h.sent).toHaveLength(1);
  });

  it('sends nothing once the run is stopping: the items stay pending', async () => {
    const h = harness({ size: 2 });
    const first = h.packer.process(item(1));
    h.control.stop('interrupted');
    const second = h.packer.process(item(2));
    await Promise.all([first, second]);
    expect(h.sent).toHaveLength(0);
    expect(h.results).toHaveLength(0);
    expect(h.failures).toHaveLength(0);
  });

  it('a packed request that fails sends its items one by one, and the savings say so', async () => {
    const h = harness({ size: 3, rejectPacks: true });
    await Promise.all([1, 2, 3].map((n) => h.packer.process(item(n))));
    expect(h.sent).toHaveLength(4);
    expect(h.results.map((r) => r.id).sort()).toEqual(['i1', 'i2', 'i3']);
    expect(h.packer.savings).toEqual({ requestsSaved: -1, inputTokensSaved: 0, fallbackItems: 3 });
    expect(h.events).toContainEqual(expect.objectContaining({ type: 'warning', message: expect.stringMatching(/could not answer 3 of its items \(bad_request: no\)/) }));
  });

  it('warns once when the output ceiling forces smaller packs', () => {
    const h = harness({ size: 40 });
    expect(h.events.filter((e) => e.type === 'warning')).toHaveLength(1);
  });
});

function lastText(request: ChatRequest): string {
  const last = request.messages.at(-1);
  return last?.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n') ?? '';
}
