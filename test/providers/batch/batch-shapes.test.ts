import { describe, expect, it } from 'vitest';
import { encodeAnthropicBatchRequest, readAnthropicBatch, readAnthropicResultLine } from '../../../src/providers/batch/anthropic-batch-shapes.js';
import { encodeOpenAiBatchLine, readOpenAiBatch, readOpenAiResultLine } from '../../../src/providers/batch/openai-batch-shapes.js';
import type { ChatRequest } from '../../../src/providers/types.js';

const request: ChatRequest = { messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], params: { model: 'm', maxTokens: 10, extra: {} } };

const chatCompletion = {
  id: 'chatcmpl-1',
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hello' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 5, completion_tokens: 2 },
};

describe('OpenAI batch shapes', () => {
  it('encodes one input line with the chat body', () => {
    expect(JSON.parse(encodeOpenAiBatchLine('c1', request))).toEqual({
      custom_id: 'c1',
      method: 'POST',
      url: '/v1/chat/completions',
      body: { model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 },
    });
  });

  it.each([
    ['validating', undefined],
    ['in_progress', undefined],
    ['finalizing', undefined],
    ['cancelling', undefined],
    ['completed', 'completed'],
    ['expired', 'expired'],
    ['cancelled', 'canceled'],
    ['failed', 'failed'],
  ])('status %s ends as %s', (status, end) => {
    expect(readOpenAiBatch({ id: 'b', status }).end).toBe(end);
  });

  it('reads counts, result files and validation errors', () => {
    const snapshot = readOpenAiBatch({
      id: 'batch_1',
      status: 'failed',
      output_file_id: 'file-o',
      error_file_id: null,
      request_counts: { total: 3, completed: 2, failed: 1 },
      errors: { object: 'list', data: [{ code: 'duplicate_custom_id', message: 'dup on line 2', line: 2 }] },
    });
    expect(snapshot).toEqual({
      id: 'batch_1',
      status: 'failed',
      end: 'failed',
      counts: { total: 3, completed: 2, failed: 1 },
      message: 'dup on line 2',
      resultRefs: ['file-o'],
    });
  });

  it('maps output, error and expired lines', () => {
    const ok = readOpenAiResultLine(JSON.stringify({ id: 'r1', custom_id: 'a', response: { status_code: 200, body: chatCompletion }, error: null }));
    expect(ok).toMatchObject({ customId: 'a', kind: 'succeeded', completion: { text: 'hello', usage: { inputTokens: 5, outputTokens: 2 } } });
    const bad = readOpenAiResultLine(JSON.stringify({ custom_id: 'b', response: { status_code: 400, body: { error: { message: 'nope', type: 'invalid_request_error' } } } }));
    expect(bad).toMatchObject({ customId: 'b', kind: 'failed', error: { class: 'bad_request', status: 400 } });
    const limited = readOpenAiResultLine(JSON.stringify({ custom_id: 'c', response: { status_code: 429, body: { error: { message: 'slow down' } } } }));
    expect(limited).toMatchObject({ kind: 'failed', error: { class: 'rate_limit', status: 429 } });
    const expired = readOpenAiResultLine(JSON.stringify({ custom_id: 'd', response: null, error: { code: 'batch_expired', message: 'too late' } }));
    expect(expired).toMatchObject({ kind: 'failed', error: { class: 'expired', code: 'batch_expired' } });
    const malformed = readOpenAiResultLine(JSON.stringify({ custom_id: 'e', response: { status_code: 200, body: { choices: [] } } }));
    expect(malformed).toMatchObject({ kind: 'failed', error: { class: 'server', code: 'malformed_response' } });
  });

  it('skips lines it cannot read', () => {
    expect(readOpenAiResultLine('{"custom_id": "torn')).toBeUndefined();
    expect(readOpenAiResultLine('{"no_custom_id": 1}')).toBeUndefined();
  });
});

describe('Anthropic batch shapes', () => {
  it('encodes one requests[] element with the Messages body', () => {
    expect(JSON.parse(encodeAnthropicBatchRequest('c1', request))).toEqual({
      custom_id: 'c1',
      params: { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] },
    });
  });

  it('reads a running and an ended batch', () => {
    const running = readAnthropicBatch({ id: 'msgbatch_1', processing_status: 'in_progress', request_counts: { processing: 7, succeeded: 3, errored: 0, canceled: 0, expired: 0 }, results_url: null });
    expect(running).toEqual({ id: 'msgbatch_1', status: 'in_progress', counts: { total: 10, completed: 3, failed: 0 }, resultRefs: [] });
    const ended = readAnthropicBatch({
      id: 'msgbatch_1',
      processing_status: 'ended',
      request_counts: { processing: 0, succeeded: 8, errored: 1, canceled: 0, expired: 1 },
      results_url: 'https://api.anthropic.com/v1/messages/batches/msgbatch_1/results',
    });
    expect(ended).toMatchObject({ end: 'expired', counts: { total: 10, completed: 8, failed: 2 }, resultRefs: ['https://api.anthropic.com/v1/messages/batches/msgbatch_1/results'] });
    expect(readAnthropicBatch({ id: 'x', processing_status: 'ended', cancel_initiated_at: '2025-01-01T00:00:00Z' }).end).toBe('canceled');
  });

  it('maps succeeded, errored, canceled and expired results', () => {
    const message = { id: 'msg_1', type: 'message', model: 'claude', content: [{ type: 'text', text: 'yo' }], stop_reason: 'end_turn', usage: { input_tokens: 4, output_tokens: 1 } };
    expect(readAnthropicResultLine(JSON.stringify({ custom_id: 'a', result: { type: 'succeeded', message } }))).toMatchObject({ kind: 'succeeded', completion: { text: 'yo' } });
    const errored = readAnthropicResultLine(JSON.stringify({ custom_id: 'b', result: { type: 'errored', error: { type: 'error', error: { type: 'invalid_request_error', message: 'bad' } } } }));
    expect(errored).toMatchObject({ kind: 'failed', error: { class: 'bad_request', code: 'invalid_request_error', message: 'bad' } });
    const overloaded = readAnthropicResultLine(JSON.stringify({ custom_id: 'c', result: { type: 'errored', error: { type: 'overloaded_error', message: 'busy' } } }));
    expect(overloaded).toMatchObject({ error: { class: 'overloaded' } });
    expect(readAnthropicResultLine(JSON.stringify({ custom_id: 'd', result: { type: 'canceled' } }))).toMatchObject({ error: { class: 'canceled' } });
    expect(readAnthropicResultLine(JSON.stringify({ custom_id: 'e', result: { type: 'expired' } }))).toMatchObject({ error: { class: 'expired' } });
  });
});
