import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anthropicWire } from '../../src/providers/anthropic-wire.js';
import { openaiWire } from '../../src/providers/openai-wire.js';
import type { RequestParams, WireFormat } from '../../src/providers/types.js';
import { compileOutputSchema } from '../../src/providers/validate-output.js';
import { loadTemplate } from '../../src/template/load-template.js';
import { FIXTURES, runCli } from '../helpers/cli.js';
import { anthropicEnv, openaiEnv, readFailures, readResults, writeItems, useMockServer } from '../helpers/e2e.js';

const TEMPLATE = join(FIXTURES, 'describe.hbs');
const PIXEL = join(FIXTURES, 'template-pixel.png');
const SYSTEM = 'You are a product catalogue assistant.';
const SCHEMA = {
  type: 'object',
  properties: {
    category: { type: 'string', enum: ['Electronics', 'Home', 'Clothing', 'Books'] },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    // Optional and nullable: the form OpenAI's strict mode accepts for an optional field.
    tags: { type: ['array', 'null'], items: { type: 'string' } },
  },
  required: ['category', 'confidence'],
  additionalProperties: false,
};

const e2e = useMockServer();

function writeSchema(dir: string): string {
  const path = join(dir, 'schema.json');
  writeFileSync(path, JSON.stringify(SCHEMA));
  return path;
}

const WIRES = [
  { name: 'OpenAI', model: 'gpt-4o-mini', wire: openaiWire, env: () => openaiEnv(e2e.server), path: '/v1/chat/completions' },
  { name: 'Anthropic', model: 'claude-haiku-4-5', wire: anthropicWire, env: () => anthropicEnv(e2e.server), path: '/v1/messages' },
] as const;

/** The bodies the CLI must have sent: the template rendered per item, through the provider's wire format. */
async function expectedBodies(wire: WireFormat, rows: Array<Record<string, unknown>>, params: RequestParams, options: { imageField?: string } = {}): Promise<string[]> {
  const template = await loadTemplate({ file: TEMPLATE, system: SYSTEM, imageField: options.imageField });
  const bodies: string[] = [];
  for (const row of rows) bodies.push(JSON.stringify(wire.buildBody({ messages: await template.render(row), params })));
  return bodies.sort();
}

function receivedBodies(): string[] {
  return e2e.server
    .requests()
    .map((r) => JSON.stringify(r.body))
    .sort();
}

describe.each(WIRES)('--schema over the $name wire', ({ model, wire, env, path }) => {
  it('sends the wire\'s structured-output request, and every result has `parsed` satisfying the schema', async () => {
    const dir = e2e.dir();
    const input = join(dir, 'items.jsonl');
    const items = writeItems(input, 30);
    const out = join(dir, 'out.jsonl');
    const result = await runCli(['run', input, '-t', TEMPLATE, '--system', SYSTEM, '--schema', writeSchema(dir), '-m', model, '-o', out, '--no-cache', '--quiet'], { env: env() });
    expect(result.stderr).toContain('30 ok');
    expect(result.code).toBe(0);

    const validate = compileOutputSchema(SCHEMA);
    const results = readResults(out);
    expect(results.map((r) => r.id).sort()).toEqual(items.map((i) => i.id).sort());
    for (const record of results) {
      expect(validate(record.parsed)).toBe(true);
      expect(JSON.parse(record.output)).toEqual(record.parsed);
    }

    // Byte for byte what the wire format builds (its fixtures are checked in test/providers/).
    expect(receivedBodies()).toEqual(await expectedBodies(wire, items, { model, extra: {}, schema: { name: 'answer', schema: SCHEMA } }));
    const sample = e2e.server.requests()[0];
    expect(sample.path).toBe(path);
    if (wire.id === 'openai') {
      expect(sample.body).toMatchObject({
        response_format: { type: 'json_schema', json_schema: { name: 'answer', strict: true, schema: { additionalProperties: false, required: ['category', 'confidence', 'tags'] } } },
      });
    } else {
      expect(sample.headers['anthropic-version']).toBe('2023-06-01');
      expect(sample.body).toMatchObject({ system: SYSTEM, max_tokens: 1024, tools: [{ name: 'answer', input_schema: SCHEMA }], tool_choice: { type: 'tool', name: 'answer' } });
    }
  });

  it('retries an invalid answer, then records it as an invalid_output dead letter', async () => {
    const dir = e2e.dir();
    const input = join(dir, 'items.jsonl');
    writeItems(input, 6, (i) => (i === 4 ? ' [[invalid-output]]' : ''));
    const out = join(dir, 'out.jsonl');
    const result = await runCli(['run', input, '-t', TEMPLATE, '--schema', writeSchema(dir), '-m', model, '-o', out, '--no-cache', '--quiet'], { env: env() });
    expect(result.code).toBe(1);
    expect(readResults(out).map((r) => r.id).sort()).toEqual(['item-1', 'item-2', 'item-3', 'item-5', 'item-6']);
    const failures = readFailures(join(dir, 'out.failed.jsonl'));
    expect(failures).toHaveLength(1);
    // Two invalid-answer retries after the first try (MAX_INVALID_OUTPUT_RETRIES).
    expect(failures[0]).toMatchObject({ id: 'item-4', attempts: 3, error: { class: 'invalid_output' } });
    expect(failures[0].error.message).toMatch(/does not match the schema/);
    expect(e2e.server.stats().requests).toBe(5 + 3);
    // The invalid answers were paid for: the run's token totals include them.
    const state = JSON.parse(readFileSync(join(dir, 'out.state.json'), 'utf8'));
    expect(state.totals).toMatchObject({ succeeded: 5, failed: 1, inputTokens: e2e.server.stats().tokens.input, outputTokens: e2e.server.stats().tokens.output });
  });
});

describe.each(WIRES)('--image-field over the $name wire', ({ model, wire, env }) => {
  it('sends a URL and a local PNG as the wire\'s image content parts', async () => {
    const dir = e2e.dir();
    const input = join(dir, 'items.jsonl');
    const rows = [
      { id: 'url', name: 'Lamp', description: 'a lamp photo', image: 'https://example.com/lamp.png' },
      { id: 'file', name: 'Pixel', description: 'a one-pixel image', image: PIXEL },
    ];
    writeFileSync(input, rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
    const out = join(dir, 'out.jsonl');
    const result = await runCli(['run', input, '-t', TEMPLATE, '--system', SYSTEM, '--image-field', 'image', '-m', model, '-o', out, '--no-cache', '--quiet'], { env: env() });
    expect(result.code).toBe(0);
    expect(readResults(out)).toHaveLength(2);

    expect(receivedBodies()).toEqual(await expectedBodies(wire, rows, { model, extra: {} }, { imageField: 'image' }));
    const base64 = readFileSync(PIXEL).toString('base64');
    const parts = e2e.server.requests().flatMap((r) => {
      const messages = (r.body as { messages: Array<{ content: unknown }> }).messages;
      return messages.flatMap((m) => (Array.isArray(m.content) ? (m.content as Array<{ type: string }>) : [])).filter((p) => p.type !== 'text');
    });
    const expected: unknown[] =
      wire.id === 'openai'
        ? [
            { type: 'image_url', image_url: { url: 'https://example.com/lamp.png' } },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${base64}` } },
          ]
        : [
            { type: 'image', source: { type: 'url', url: 'https://example.com/lamp.png' } },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: base64 } },
          ];
    expect(parts).toHaveLength(2);
    expect(parts).toEqual(expect.arrayContaining(expected));
    // The mock bills images, so the usage shows they arrived as images rather than text.
    for (const record of readResults(out)) expect(record.usage.input_tokens).toBeGreaterThan(85);
  });
});
