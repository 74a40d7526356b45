import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { loadTemplate } from '../../src/template/load-template.js';
import { TemplateVariableError } from '../../src/template/types.js';
import { FIXTURES } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'llm-batch-dotprompt-'));
const lamp = { id: 'p1', name: 'Desk Lamp', description: 'LED & dimmable' };

async function loadPrompt(text: string, options: { system?: string } = {}) {
  const file = join(dir, `t${Math.random().toString(36).slice(2)}.prompt`);
  writeFileSync(file, text);
  return loadTemplate({ file, ...options });
}

describe('.prompt templates (Dotprompt)', () => {
  it('renders the classify fixture into system and user messages with front-matter defaults', async () => {
    const template = await loadTemplate({ file: join(FIXTURES, 'classify.prompt') });
    expect(template.defaults).toEqual({ model: 'mock', temperature: 0, maxTokens: 50 });
    const messages = await template.render(lamp);
    expect(messages).toHaveLength(2);
    expect(messages[0].role).toBe('system');
    expect(messages[0].content).toEqual([
      { type: 'text', text: expect.stringMatching(/^You are a product catalogue assistant\.[\s\S]*Grocery\.\nAnswer with the category name only\.$/) },
    ]);
    expect(messages[1]).toEqual({
      role: 'user',
      content: [{ type: 'text', text: 'Product: Desk Lamp\nDescription: LED & dimmable' }],
    });
  });

  it('expands a Picoschema output schema into JSON Schema', async () => {
    const template = await loadTemplate({ file: join(FIXTURES, 'classify-schema.prompt') });
    expect(template.defaults.schema).toEqual({
      type: 'object',
      properties: {
        category: { type: 'string', description: 'one of the categories listed in the prompt' },
        confidence: { type: 'number', description: 'from 0 to 1' },
      },
      required: ['category', 'confidence'],
      additionalProperties: false,
    });
    expect(template.defaults.jsonOutput).toBeUndefined();
  });

  it('keeps a JSON Schema as it is and other config keys under their Dotprompt names', async () => {
    const template = await loadPrompt(
      [
        '---',
        'model: openai/gpt-4o-mini',
        'config:',
        '  topP: 0.5',
        '  seed: 3',
        'output:',
        '  schema:',
        '    type: object',
        '    properties: { label: { type: string } }',
        '---',
        'Label {{name}}',
      ].join('\n'),
    );
    expect(template.defaults).toEqual({
      model: 'openai/gpt-4o-mini',
      params: { topP: 0.5, seed: 3 },
      schema: { type: 'object', properties: { label: { type: 'string' } } },
    });
  });

  it('sets jsonOutput for output.format json without a schema', async () => {
    const template = await loadPrompt('---\noutput:\n  format: json\n---\nGive JSON for {{name}}');
    expect(template.defaults).toEqual({ jsonOutput: true });
  });

  it('renders several roles, with model as assistant (few-shot)', async () => {
    const template = await loadPrompt(
      '{{role "system"}}Classify.\n{{role "user"}}Kettle\n{{role "model"}}Home & Kitchen\n{{role "user"}}{{name}}',
    );
    const messages = await template.render(lamp);
    expect(messages.map((message) => [message.role, message.content[0]])).toEqual([
      ['system', { type: 'text', text: 'Classify.' }],
      ['user', { type: 'text', text: 'Kettle' }],
      ['assistant', { type: 'text', text: 'Home & Kitchen' }],
      ['user', { type: 'text', text: 'Desk Lamp' }],
    ]);
  });

  it('turns {{media}} into image parts: URLs as URLs, data: URLs as base64', async () => {
    const template = await loadPrompt('{{role "user"}}What is in {{name}}?\n{{media url=photo}}\n{{media url=thumb}}');
    const messages = await template.render({ name: 'the picture', photo: 'https://x.test/p.png', thumb: 'data:image/webp;base64,UklGRg==' });
    expect(messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in the picture?' },
          { type: 'image', url: 'https://x.test/p.png' },
          { type: 'image', mediaType: 'image/webp', base64: 'UklGRg==' },
        ],
      },
    ]);
  });

  it('throws TemplateVariableError for missing variables, also in {{media}} and loops', async () => {
    const template = await loadPrompt('{{role "user"}}{{#each tags}}{{label}}{{/each}} {{media url=photo}}');
    await expect(template.render({ tags: [{ label: 'a' }], photo: 'https://x' })).resolves.toHaveLength(1);
    await expect(template.render({ tags: [{ label: 'a' }] })).rejects.toThrow(new TemplateVariableError('photo'));
    await expect(template.render({ tags: [{}], photo: 'https://x' })).rejects.toThrow(new TemplateVariableError('label'));
    await expect(template.render({ photo: 'https://x' })).rejects.toThrow(new TemplateVariableError('tags'));
  });

  it('uses input.default from the front matter for variables the item lacks', async () => {
    const template = await loadPrompt('---\ninput:\n  default:\n    tone: friendly\n---\nBe {{tone}} about {{name}}');
    await expect(template.render({ name: 'x' })).resolves.toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Be friendly about x' }] },
    ]);
    await expect(template.render({ name: 'x', tone: 'terse' })).resolves.toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Be terse about x' }] },
    ]);
  });

  it('puts --system first, merged into the template system message', async () => {
    const template = await loadPrompt('{{role "system"}}Classify.\n{{role "user"}}{{name}}', { system: 'Item {{id}}.' });
    const messages = await template.render(lamp);
    expect(messages[0]).toEqual({ role: 'system', content: [{ type: 'text', text: 'Item p1.\n\nClassify.' }] });
    const userOnly = await loadPrompt('{{name}}', { system: 'Be brief.' });
    expect((await userOnly.render(lamp)).map((message) => message.role)).toEqual(['system', 'user']);
  });

  it('rejects broken front matter, bad schemas and unknown helpers with the file name', async () => {
    await expect(loadPrompt('---\nconfig: {temperature: [\n---\nHi')).rejects.toThrow(/^cannot parse the front matter of .*\.prompt: /);
    await expect(loadPrompt('---\noutput:\n  schema:\n    a: strng\n---\nHi')).rejects.toThrow(
      /^cannot use template .*\.prompt: Picoschema: .*'strng'/,
    );
    const failure = loadPrompt('---\nmodel: mock\n---\nline one\n{{shout name}}');
    await expect(failure).rejects.toBeInstanceOf(UsageError);
    await expect(failure).rejects.toThrow(/\.prompt: line 5: unknown helper `shout`/);
  });
});
