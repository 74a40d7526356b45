import { describe, expect, it } from 'vitest';
import { usageError } from '../helpers/usage-error.js';
import { mapRequestParams, type GivenParam, type MapParamsInput } from '../../src/providers/map-params.js';
import { baseModelName, openAiModelFamily } from '../../src/providers/model-rules.js';
import { closestNames } from '../../src/providers/model-suggestions.js';

const config = (name: string, value: unknown): GivenParam => ({ name, value, label: `config.${name} in t.prompt`, fromTemplate: true });
const param = (name: string, value: unknown): GivenParam => ({ name, value, label: `--param ${name}`, fromTemplate: false });
const flag = (value: number): GivenParam => ({ name: 'temperature', value, label: '--temperature', fromTemplate: false });

function map(provider: MapParamsInput['provider'], model: string, params: GivenParam[], officialEndpoint = true) {
  return mapRequestParams({ provider, model, officialEndpoint, params });
}


describe('mapRequestParams: Dotprompt config keys become each provider’s wire names', () => {
  it.each<[string, unknown, Record<string, unknown>, Record<string, unknown>]>([
    ['stopSequences', ['\n\n'], { stop: ['\n\n'] }, { stop_sequences: ['\n\n'] }],
    ['topP', 0.9, { top_p: 0.9 }, { top_p: 0.9 }],
    ['seed', 7, { seed: 7 }, {}],
  ])('%s', (name, value, openai, anthropic) => {
    expect(map('openai', 'gpt-4o-mini', [config(name, value)]).extra).toEqual(openai);
    if (Object.keys(anthropic).length > 0) expect(map('anthropic', 'claude-haiku-4-5', [config(name, value)]).extra).toEqual(anthropic);
  });

  it('sends topK to Anthropic as top_k', () => {
    expect(map('anthropic', 'claude-haiku-4-5', [config('topK', 40)]).extra).toEqual({ top_k: 40 });
  });

  it('takes --param under the other provider’s name too (stop → stop_sequences)', () => {
    expect(map('anthropic', 'claude-haiku-4-5', [param('stop', ['END'])]).extra).toEqual({ stop_sequences: ['END'] });
  });

  it('lets the command line override the template under any alias', () => {
    expect(map('openai', 'gpt-4o-mini', [config('topP', 0.5), param('top_p', 0.7)]).extra).toEqual({ top_p: 0.7 });
  });

  it('maps maxOutputTokens and temperature to first-class fields', () => {
    expect(map('openai', 'gpt-4o-mini', [param('max_tokens', 64), flag(0.3)])).toMatchObject({ maxTokens: 64, temperature: 0.3, extra: {} });
  });
});

describe('mapRequestParams: refused before any request, naming parameter, provider and what to use', () => {
  it.each<[string, MapParamsInput['provider'], GivenParam, RegExp]>([
    ['topK on OpenAI', 'openai', config('topK', 40), /config\.topK in t\.prompt: OpenAI Chat Completions does not take it: OpenAI has no top_k; use topP/],
    ['frequencyPenalty on Anthropic', 'anthropic', config('frequencyPenalty', 0.5), /Anthropic Messages does not take it: Anthropic has no frequency penalty/],
    ['presencePenalty on Anthropic', 'anthropic', config('presencePenalty', 0.5), /Anthropic has no presence penalty/],
    ['candidateCount anywhere', 'openai', config('candidateCount', 3), /one answer per item/],
    ['candidateCount on Anthropic', 'anthropic', config('candidateCount', 3), /one answer per item/],
    ['an unknown --param on OpenAI', 'openai', param('top_q', 1), /--param top_q: OpenAI Chat Completions has no parameter "top_q"/],
    ['response_format, which llm-batch sets', 'openai', param('response_format', {}), /builds this field itself/],
    ['a temperature above Anthropic’s 1', 'anthropic', flag(1.5), /--temperature: Anthropic Messages takes a temperature from 0 to 1, got 1.5/],
    ['top_p outside 0..1', 'openai', param('top_p', 3), /takes top_p from 0 to 1/],
  ])('%s', (_name, provider, given, message) => {
    const model = provider === 'openai' ? 'gpt-4o-mini' : 'claude-haiku-4-5';
    expect(usageError(() => map(provider, model, [given])).message).toMatch(message);
  });

  it('passes gateway names through when --base-url points at another server (vLLM, OpenRouter)', () => {
    expect(map('openai', 'meta-llama/llama-3.1-8b', [config('topK', 40), param('repetition_penalty', 1.1)], false).extra).toEqual({
      top_k: 40,
      repetition_penalty: 1.1,
    });
  });
});

describe('model-family rules', () => {
  it.each([
    ['o4-mini', 'o4-mini'],
    ['openai/o3-mini', 'o3-mini'],
    ['ft:o4-mini-2025-04-16:acme::BxY12', 'o4-mini-2025-04-16'],
    ['ft:gpt-4o-mini-2024-07-18:acme:label:abc', 'gpt-4o-mini-2024-07-18'],
    ['gpt-4o', 'gpt-4o'],
  ])('%s has the base model %s', (model, base) => {
    expect(baseModelName(model)).toBe(base);
  });

  it.each([
    ['o1', 'max_completion_tokens'],
    ['o3-mini', 'max_completion_tokens'],
    ['gpt-5-nano', 'max_completion_tokens'],
    ['ft:o4-mini-2025-04-16:acme::BxY12', 'max_completion_tokens'],
    ['gpt-5-chat-latest', 'max_tokens'],
    ['ft:gpt-4o-mini-2024-07-18:acme::abc', 'max_tokens'],
    ['gpt-4.1-mini', 'max_tokens'],
  ])('%s takes %s', (model, field) => {
    expect(openAiModelFamily(model).maxTokensField).toBe(field);
  });

  it('refuses --temperature for a reasoning model, fine-tuned ones included, with what to use instead', () => {
    for (const model of ['o4-mini', 'gpt-5', 'ft:o4-mini-2025-04-16:acme::BxY12']) {
      const error = usageError(() => map('openai', model, [flag(0)]));
      expect(error.message).toBe(`--temperature: ${model} is a reasoning model and takes no temperature (OpenAI Chat Completions)`);
      expect(error.details.join(' ')).toMatch(/reasoning_effort/);
    }
    expect(usageError(() => map('openai', 'o3', [param('top_p', 0.5)])).message).toMatch(/o3 is a reasoning model and takes no top_p/);
  });

  it('drops a template’s temperature for a reasoning model with one warning (the template was written for another model)', () => {
    const mapped = map('openai', 'o4-mini', [config('temperature', 0), config('stopSequences', ['\n'])]);
    expect(mapped.temperature).toBeUndefined();
    expect(mapped.extra).toEqual({ stop: ['\n'] });
    expect(mapped.warnings).toEqual([
      'config.temperature in t.prompt is not sent: o4-mini is a reasoning model and takes no temperature ' +
        '(reasoning models sample at their own fixed settings; steer them with reasoning_effort (--param reasoning_effort=low))',
    ]);
  });

  it('keeps temperature for chat models', () => {
    expect(map('openai', 'gpt-4o-mini', [config('temperature', 0)])).toMatchObject({ temperature: 0, warnings: [] });
  });
});

describe('closestNames', () => {
  it.each<[string, string[]]>([
    ['gpt-4o-mini-nonexistent', ['gpt-4o-mini', 'gpt-4o']],
    ['gpt-4o-mnii', ['gpt-4o-mini', 'gpt-4o']],
    ['claude-haiku-4-6', ['claude-haiku-4-5', 'claude-haiku-3']],
  ])('%s → %s first', (name, expected) => {
    const known = ['gpt-4-vision-preview', 'gpt-4o', 'gpt-4o-mini', 'gpt-4.1-mini', 'claude-haiku-4-5', 'claude-haiku-3', 'claude-opus-4-1'];
    expect(closestNames(name, known, 2)).toEqual(expected);
  });
});
