import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { InvalidOutputError, RefusalError } from '../../src/providers/invalid-output-error.js';
import { toOutputSchema } from '../../src/providers/output-schema.js';
import type { Completion, OutputSchema } from '../../src/providers/types.js';
import { compileOutputSchema, validateOutput } from '../../src/providers/validate-output.js';

const schema: OutputSchema = {
  name: 'sentiment',
  schema: {
    type: 'object',
    properties: { label: { type: 'string', enum: ['positive', 'negative'] }, confidence: { type: 'number', minimum: 0, maximum: 1 } },
    required: ['label'],
    additionalProperties: false,
  },
};

function completion(text: string, truncated = false): Completion {
  return {
    text,
    truncated,
    finishReason: truncated ? 'length' : 'stop',
    model: 'gpt-4o-mini',
    usage: { inputTokens: 10, outputTokens: 3, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
  };
}

function failure(result: ReturnType<typeof validateOutput>): InvalidOutputError {
  if (result.ok || !(result.error instanceof InvalidOutputError)) throw new Error('expected an invalid-output failure');
  return result.error;
}

describe('validateOutput', () => {
  it('fails a refusal whatever was asked for, with the model’s text, never as an answer', () => {
    const refused = { ...completion(''), refusal: 'I can’t help with that.' };
    for (const expectation of [{}, { jsonOutput: true }, { schema: { name: 's', schema: { type: 'object' } } }]) {
      const result = validateOutput(refused, expectation);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error).toBeInstanceOf(RefusalError);
        expect(result.error.message).toContain('I can’t help with that.');
      }
    }
  });

  it('unwraps a wrapped non-object root into parsed', () => {
    const schema = toOutputSchema({ type: 'string', enum: ['positive', 'negative'] });
    expect(validateOutput(completion('{"value":"positive"}'), { schema })).toEqual({ ok: true, parsed: 'positive' });
    expect(validateOutput(completion('{"value":"meh"}'), { schema }).ok).toBe(false);
  });

  it('checks nothing when neither a schema nor JSON was asked for', () => {
    expect(validateOutput(completion('plain words'), {})).toEqual({ ok: true, parsed: undefined });
  });

  it('accepts an answer that satisfies the schema', () => {
    expect(validateOutput(completion('{"label":"positive","confidence":0.9}'), { schema })).toEqual({
      ok: true,
      parsed: { label: 'positive', confidence: 0.9 },
    });
  });

  it('rejects an answer that breaks the schema, naming where', () => {
    const error = failure(validateOutput(completion('{"label":"meh","extra":1}'), { schema }));
    expect(error).toBeInstanceOf(InvalidOutputError);
    expect(error.reason).toBe('schema_mismatch');
    expect(error.message).toMatch(/^the answer does not match the schema: /);
    expect(error.message).toContain('/label');
    expect(error.completion.usage.inputTokens).toBe(10);
  });

  it('rejects text that is not JSON', () => {
    const error = failure(validateOutput(completion('Sure! Here is the JSON'), { schema }));
    expect(error.reason).toBe('invalid_json');
    expect(error.message).toContain('starts "Sure! Here is the JSON"');
  });

  it('rejects a truncated answer even if it happens to parse', () => {
    const error = failure(validateOutput(completion('{"label":"positive"}', true), { schema }));
    expect(error.reason).toBe('truncated');
    expect(error.message).toContain('--max-tokens');
  });

  it('parses JSON output without a schema, and strips a Markdown fence', () => {
    expect(validateOutput(completion('```json\n{"title": "Socks"}\n```'), { jsonOutput: true })).toEqual({ ok: true, parsed: { title: 'Socks' } });
    expect(validateOutput(completion('[1, 2]'), { jsonOutput: true })).toEqual({ ok: true, parsed: [1, 2] });
  });

  it('ignores formats rather than failing on them', () => {
    const dated: OutputSchema = { name: 'd', schema: { type: 'object', properties: { at: { type: 'string', format: 'date-time' } } } };
    expect(validateOutput(completion('{"at":"yesterday"}'), { schema: dated }).ok).toBe(true);
  });

  it('understands draft 2020-12 schemas', () => {
    const modern: OutputSchema = {
      name: 'm',
      schema: { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'array', prefixItems: [{ type: 'string' }], items: false },
    };
    expect(validateOutput(completion('["a"]'), { schema: modern }).ok).toBe(true);
    expect(validateOutput(completion('["a", 1]'), { schema: modern }).ok).toBe(false);
  });
});

describe('compileOutputSchema', () => {
  it('compiles once per schema object', () => {
    expect(compileOutputSchema(schema.schema)).toBe(compileOutputSchema(schema.schema));
  });

  it('reports an invalid schema as a UsageError', () => {
    expect(() => compileOutputSchema({ type: 'objekt' })).toThrow(UsageError);
  });
});
