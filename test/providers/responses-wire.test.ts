import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MalformedResponseError } from '../../src/http/errors.js';
import { isResponsesOnlyModel } from '../../src/providers/openai-apis.js';
import { checkResponsesParams } from '../../src/providers/responses-params.js';
import { buildResponsesBody, parseResponsesCompletion } from '../../src/providers/responses-wire.js';
import type { ChatRequest } from '../../src/providers/types.js';
import { FIXTURES } from '../helpers/cli.js';

/** Each fixture names its official source in `source`; the wire body is under `body`. */
const fixture = (name: string): unknown => (JSON.parse(readFileSync(join(FIXTURES, 'responses', name), 'utf8')) as { body: unknown }).body;

const text = (value: string) => ({ type: 'text' as const, text: value });

describe('buildResponsesBody', () => {
  it('puts system messages in instructions, the rest in input items, images as input_image', () => {
    const request: ChatRequest = {
      messages: [
        { role: 'system', content: [text('You classify.')] },
        { role: 'user', content: [text('Example?')] },
        { role: 'assistant', content: [text('Books')] },
        { role: 'user', content: [text('This one:'), { type: 'image', url: 'https://example.com/a.png' }, { type: 'image', mediaType: 'image/png', base64: 'AAAA' }] },
      ],
      params: { model: 'gpt-5', maxTokens: 200, temperature: 0.2, extra: { reasoning_effort: 'low', service_tier: 'flex', top_p: 0.9 } },
    };
    expect(buildResponsesBody(request)).toEqual({
      model: 'gpt-5',
      instructions: 'You classify.',
      input: [
        { role: 'user', content: 'Example?' },
        { role: 'assistant', content: 'Books' },
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'This one:' },
            { type: 'input_image', image_url: 'https://example.com/a.png', detail: 'auto' },
            { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'auto' },
          ],
        },
      ],
      store: false,
      max_output_tokens: 200,
      temperature: 0.2,
      reasoning: { effort: 'low' },
      service_tier: 'flex',
      top_p: 0.9,
    });
  });

  it('sends --schema under text.format: strict when the schema allows it, as given otherwise', () => {
    const schema = { type: 'object', properties: { label: { type: 'string' } }, required: ['label'], additionalProperties: false };
    const strict = buildResponsesBody({ messages: [{ role: 'user', content: [text('x')] }], params: { model: 'gpt-5', extra: {}, schema: { name: 'answer', schema } } });
    expect(strict.text).toEqual({ format: { type: 'json_schema', name: 'answer', strict: true, schema } });
    const loose = { type: 'object', additionalProperties: { type: 'number' } };
    const notStrict = buildResponsesBody({ messages: [{ role: 'user', content: [text('x')] }], params: { model: 'gpt-5', extra: {}, schema: { name: 'answer', schema: loose } } });
    expect(notStrict.text).toEqual({ format: { type: 'json_schema', name: 'answer', strict: false, schema: loose } });
    const json = buildResponsesBody({ messages: [{ role: 'user', content: [text('x')] }], params: { model: 'gpt-5', extra: {}, jsonOutput: true } });
    expect(json.text).toEqual({ format: { type: 'json_object' } });
  });

  it('refuses Chat Completions parameters the Responses API lacks, before any request', () => {
    expect(() => checkResponsesParams({ seed: 1 })).toThrow(/does not take the parameter "seed"/);
    expect(() => checkResponsesParams({ stop: ['\n'] })).toThrow(/no stop sequences/);
    expect(() => checkResponsesParams({ reasoning_effort: 'high', top_p: 1 })).not.toThrow();
  });
});

describe('parseResponsesCompletion (official examples)', () => {
  it('reads the answer from output message items and usage with reasoning tokens', () => {
    const completion = parseResponsesCompletion(fixture('response-reasoning.json'));
    expect(completion).toMatchObject({ text: 'The classic tongue twister...', finishReason: 'stop', truncated: false, model: 'o1-2024-12-17' });
    expect(completion.usage).toEqual({ inputTokens: 81, outputTokens: 1035, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 832 });
  });

  it('reads a plain text answer', () => {
    const completion = parseResponsesCompletion(fixture('response-text.json'));
    expect(completion.text).toMatch(/^In a peaceful grove/);
    expect(completion.usage.inputTokens).toBe(36);
  });

  it('a refusal part is a refusal, never an answer', () => {
    const completion = parseResponsesCompletion(fixture('response-refusal.json'));
    expect(completion.finishReason).toBe('refusal');
    expect(completion.refusal).toBe("I'm sorry, but I can't help with that request.");
  });

  it('status incomplete with reason max_output_tokens is a cut-off', () => {
    const completion = parseResponsesCompletion(fixture('response-incomplete.json'));
    expect(completion).toMatchObject({ finishReason: 'max_output_tokens', truncated: true });
  });

  it('a failed response or one without output is malformed', () => {
    expect(() => parseResponsesCompletion({ status: 'failed', error: { message: 'boom' }, output: [] })).toThrow(MalformedResponseError);
    expect(() => parseResponsesCompletion({ status: 'completed' })).toThrow(/no output array/);
    expect(() => parseResponsesCompletion({ status: 'completed', output: [{ type: 'reasoning', summary: [] }] })).toThrow(/no message item/);
  });

  it('reads cached tokens and the service tier', () => {
    const completion = parseResponsesCompletion({
      status: 'completed',
      model: 'gpt-5-mini',
      service_tier: 'flex',
      output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'ok', annotations: [] }] }],
      usage: { input_tokens: 2000, input_tokens_details: { cached_tokens: 1536 }, output_tokens: 5, output_tokens_details: { reasoning_tokens: 0 } },
    });
    expect(completion.usage.cachedInputTokens).toBe(1536);
    expect(completion.serviceTier).toBe('flex');
  });
});

describe('Responses-only models (data)', () => {
  it.each([
    ['o3-pro', true],
    ['openai/o3-pro-2025-06-10', true],
    ['gpt-5-pro', true],
    ['gpt-5-codex', true],
    ['o4-mini-deep-research', true],
    ['gpt-5', false],
    ['gpt-4o-mini', false],
    ['o3', false],
  ])('%s → %s', (model, only) => {
    expect(isResponsesOnlyModel(model)).toBe(only);
  });
});
