import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { ImageFileError } from '../../src/template/image-part.js';
import { loadTemplate } from '../../src/template/load-template.js';
import { TemplateVariableError } from '../../src/template/types.js';
import { FIXTURES } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'llm-batch-template-'));
const lamp = { id: 'p1', name: 'Desk Lamp', description: 'LED, "warm" light & dimmable' };

function writeTemplate(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadTemplate: plain Handlebars', () => {
  it('renders an inline template into one user message, unescaped', async () => {
    const template = await loadTemplate({ inline: 'Classify: {{name}} — {{description}}' });
    expect(template.defaults).toEqual({});
    await expect(template.render(lamp)).resolves.toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Classify: Desk Lamp — LED, "warm" light & dimmable' }] },
    ]);
  });

  it('renders any non-.prompt file as Handlebars, BOM stripped', async () => {
    const file = writeTemplate('t.txt', '\uFEFFName: {{name}}\n');
    await expect(loadTemplate({ file }).then((t) => t.render(lamp))).resolves.toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Name: Desk Lamp' }] },
    ]);
    const hbs = await loadTemplate({ file: join(FIXTURES, 'classify.hbs') });
    const [message] = await hbs.render(lamp);
    expect(message.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('Product: Desk Lamp\n') });
  });

  it('adds --system as a system message rendered with the same item', async () => {
    const template = await loadTemplate({ inline: '{{name}}', system: 'You label {{id}}.' });
    await expect(template.render(lamp)).resolves.toEqual([
      { role: 'system', content: [{ type: 'text', text: 'You label p1.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Desk Lamp' }] },
    ]);
  });

  it('throws TemplateVariableError for a variable the item lacks, in the body or in --system', async () => {
    const template = await loadTemplate({ inline: '{{name}} {{brand}}', system: '{{tone}}' });
    await expect(template.render({ name: 'x', brand: 'y' })).rejects.toThrow(new TemplateVariableError('tone'));
    await expect(template.render({ name: 'x', tone: 'y' })).rejects.toThrow(new TemplateVariableError('brand'));
  });

  it('needs exactly one of file and inline', async () => {
    await expect(loadTemplate({})).rejects.toThrow(new UsageError('Expected exactly one of `--template` and `--prompt`, got neither'));
    await expect(loadTemplate({ file: 'a.hbs', inline: 'x' })).rejects.toThrow(/got both/);
  });

  it('names an unreadable template file', async () => {
    const missing = join(dir, 'missing.prompt');
    await expect(loadTemplate({ file: missing })).rejects.toThrow(new UsageError(`cannot read template file ${missing}: no such file`));
  });

  it('names the template that fails to parse: file, --prompt or --system', async () => {
    const file = writeTemplate('broken.hbs', 'Hi {{#if name}}');
    await expect(loadTemplate({ file })).rejects.toThrow(new RegExp(`^cannot parse template ${file}: Parse error on line 1`));
    await expect(loadTemplate({ inline: '{{name' })).rejects.toThrow(/^cannot parse template --prompt: /);
    await expect(loadTemplate({ inline: 'x', system: '{{#each}}' })).rejects.toThrow(/template --system: /);
  });
});

describe('loadTemplate: hash', () => {
  it('is stable and changes with the source, the system prompt and the image field', async () => {
    const hashOf = async (options: Parameters<typeof loadTemplate>[0]) => (await loadTemplate(options)).hash;
    const base = await hashOf({ inline: '{{name}}' });
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(await hashOf({ inline: '{{name}}' })).toBe(base);
    const others = [
      await hashOf({ inline: '{{name}}!' }),
      await hashOf({ inline: '{{name}}', system: 'Be brief.' }),
      await hashOf({ inline: '{{name}}', imageField: 'photo' }),
    ];
    expect(new Set([base, ...others]).size).toBe(4);
  });
});

describe('loadTemplate: imageField', () => {
  it('appends a URL image to the last user message', async () => {
    const template = await loadTemplate({ inline: 'What is this?', imageField: 'photo' });
    await expect(template.render({ photo: 'https://cdn.example.com/p1.jpg' })).resolves.toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image', url: 'https://cdn.example.com/p1.jpg' },
        ],
      },
    ]);
  });

  it('reads a local PNG as base64 with its media type', async () => {
    const template = await loadTemplate({ inline: 'Describe.', imageField: 'photo', imageBaseDir: FIXTURES });
    const messages = await template.render({ photo: 'template-pixel.png' });
    expect(messages[0].content[1]).toEqual({
      type: 'image',
      mediaType: 'image/png',
      base64: readFileSync(join(FIXTURES, 'template-pixel.png')).toString('base64'),
    });
  });

  it('adds the image to the user turn of a .prompt file, after its text', async () => {
    const template = await loadTemplate({ file: join(FIXTURES, 'classify.prompt'), imageField: 'photo' });
    const messages = await template.render({ ...lamp, photo: 'https://x.test/a.png' });
    expect(messages.map((message) => message.role)).toEqual(['system', 'user']);
    expect(messages[1].content.at(-1)).toEqual({ type: 'image', url: 'https://x.test/a.png' });
  });

  it('fails for a missing field or file, and skips items whose field is empty', async () => {
    const template = await loadTemplate({ inline: 'Describe.', imageField: 'photo', imageBaseDir: dir });
    await expect(template.render({})).rejects.toThrow(new TemplateVariableError('photo'));
    await expect(template.render({ photo: 'nope.png' })).rejects.toBeInstanceOf(ImageFileError);
    await expect(template.render({ photo: 'nope.png' })).rejects.toThrow('cannot read image file "nope.png": no such file');
    await expect(template.render({ photo: 12 })).rejects.toBeInstanceOf(ImageFileError);
    await expect(template.render({ photo: '' })).resolves.toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Describe.' }] },
    ]);
  });
});
