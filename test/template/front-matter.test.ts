import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { checkFrontMatter, toTemplateDefaults } from '../../src/template/front-matter.js';

describe('toTemplateDefaults', () => {
  it('maps model, temperature, maxOutputTokens and keeps other config keys under their Dotprompt names', () => {
    const defaults = toTemplateDefaults(
      {
        model: 'gpt-4o-mini',
        config: { temperature: 0.2, maxOutputTokens: 64, topP: 0.9, stopSequences: ['\n\n'], seed: 7, reasoning_effort: 'low' },
      },
      'p.prompt',
    );
    expect(defaults).toEqual({
      model: 'gpt-4o-mini',
      temperature: 0.2,
      maxTokens: 64,
      params: { topP: 0.9, stopSequences: ['\n\n'], seed: 7, reasoning_effort: 'low' },
    });
  });

  it('takes a schema, or JSON output without one', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    expect(toTemplateDefaults({ output: { format: 'json', schema } }, 'p')).toEqual({ schema });
    expect(toTemplateDefaults({ output: { format: 'json' } }, 'p')).toEqual({ jsonOutput: true });
    expect(toTemplateDefaults({ output: { format: 'text' } }, 'p')).toEqual({});
  });

  it.each([
    [{ config: { temperature: 'hot' } }, 'p.prompt: expected `config.temperature` to be a number ≥ 0, got `"hot"`'],
    [{ config: { maxOutputTokens: 0 } }, 'p.prompt: expected `config.maxOutputTokens` to be an integer ≥ 1, got `0`'],
    [{ model: 42 }, 'p.prompt: expected `model` to be a model name, got `42`'],
  ])('rejects bad values: %j', (metadata, message) => {
    expect(() => toTemplateDefaults(metadata as never, 'p.prompt')).toThrow(new UsageError(message));
  });
});

describe('checkFrontMatter', () => {
  it('accepts valid front matter and files without any', () => {
    expect(() => checkFrontMatter('---\nmodel: mock\n---\nHi', 'p')).not.toThrow();
    expect(() => checkFrontMatter('Hi {{name}}', 'p')).not.toThrow();
  });

  it('rejects invalid YAML instead of sending it to the model', () => {
    expect(() => checkFrontMatter('---\nconfig: [unclosed\n---\nHi', 'p.prompt')).toThrow(
      /^cannot parse the front matter of p\.prompt: /,
    );
    expect(() => checkFrontMatter('---\n- a list\n---\nHi', 'p.prompt')).toThrow(/expected YAML keys/);
  });

  it('rejects front matter that is never closed', () => {
    expect(() => checkFrontMatter('---\nmodel: mock\nHi', 'p.prompt')).toThrow(/not closed by a --- line/);
  });
});
