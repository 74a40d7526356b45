import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mockAnswer } from '../../src/mock/answer.js';
import { openaiDialect } from '../../src/mock/openai-dialect.js';
import { compileOutputSchema } from '../../src/providers/validate-output.js';
import { parsePackedPrompt } from '../../src/run/pack/pack-format.js';
import { FIXTURES, runCli } from '../helpers/cli.js';
import { anthropicEnv, openaiEnv, readResults, writeItems, useMockServer } from '../helpers/e2e.js';

const TEMPLATE = join(FIXTURES, 'describe.hbs');
const CATEGORIES = ['Electronics', 'Home', 'Clothing', 'Books'];
const SYSTEM =
  'You are a meticulous product catalogue assistant for a large online shop. Read each product carefully, ' +
  'consider its name and description, and decide which department it belongs in. Be consistent across items: ' +
  'similar products must land in the same department. When unsure, prefer the more specific department.';
const SCHEMA = {
  type: 'object',
  properties: { category: { type: 'string', enum: CATEGORIES }, confidence: { type: 'number', minimum: 0, maximum: 1 } },
  required: ['category', 'confidence'],
  additionalProperties: false,
};

const e2e = useMockServer();

function setUp(count: number, marker?: (i: number) => string) {
  const dir = e2e.dir();
  const input = join(dir, 'items.jsonl');
  const items = writeItems(input, count, marker);
  const schema = join(dir, 'schema.json');
  writeFileSync(schema, JSON.stringify(SCHEMA));
  return { dir, input, items, schema, out: join(dir, 'out.jsonl') };
}

/** What the mock answered for each id, read back from the packed requests it received (OpenAI wire). */
function answersByIdFromServer(): Map<string, Record<string, unknown>> {
  const byId = new Map<string, Record<string, unknown>>();
  for (const { body } of e2e.server.requests()) {
    const parsed = openaiDialect.parse(body, undefined as never);
    if ('kind' in parsed) throw new Error(parsed.message);
    const { items } = JSON.parse(mockAnswer(parsed.chat).text) as { items: Array<Record<string, unknown>> };
    for (const { id, ...fields } of items) byId.set(String(id), fields);
  }
  return byId;
}

describe('--pack', () => {
  it('--pack 10 on 100 items sends 10 requests and yields 100 correct results (OpenAI, schema)', async () => {
    const { input, items, schema, out } = setUp(100);
    const result = await runCli(['run', input, '-t', TEMPLATE, '--system', SYSTEM, '--schema', schema, '-m', 'gpt-4o-mini', '--pack', '10', '-o', out, '--no-cache'], { env: openaiEnv(e2e.server) });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('100 ok');
    expect(result.stderr).toMatch(/packing\s+90 requests saved · ~[\d,]+ input tokens saved/);
    expect(e2e.server.stats().requests).toBe(10);

    // Every packed request lists 10 items under their ids, and asks for the wrapped schema.
    const bodies = e2e.server.requests().map((r) => r.body as { messages: Array<{ role: string; content: string }>; response_format: { json_schema: { name: string; strict: boolean } } });
    for (const body of bodies) {
      expect(body.messages.map((m) => m.role)).toEqual(['system', 'user']);
      expect(body.messages[0].content).toBe(SYSTEM);
      expect(parsePackedPrompt(body.messages[1].content)).toHaveLength(10);
      expect(body.response_format.json_schema).toMatchObject({ name: 'answers', strict: true });
    }

    const results = readResults(out);
    expect(results.map((r) => r.id).sort()).toEqual(items.map((i) => i.id).sort());
    const validate = compileOutputSchema(SCHEMA);
    const answered = answersByIdFromServer();
    for (const record of results) {
      expect(validate(record.parsed)).toBe(true);
      // The entry the mock wrote for this id, not a neighbour's.
      expect(record.parsed).toEqual(answered.get(record.id));
      expect(JSON.parse(record.output)).toEqual(record.parsed);
      expect(record).toMatchObject({ model: 'gpt-4o-mini', attempts: 1, cached: false, finish_reason: 'stop' });
    }
    // Tokens and cost were shared out exactly: the results add up to what the server billed.
    const sum = (f: (r: (typeof results)[number]) => number) => results.reduce((total, r) => total + f(r), 0);
    expect(sum((r) => r.usage.input_tokens)).toBe(e2e.server.stats().tokens.input);
    expect(sum((r) => r.usage.output_tokens)).toBe(e2e.server.stats().tokens.output);
  });

  it('over the Anthropic wire the pack is one forced tool call whose input lists every item', async () => {
    const { input, schema, out } = setUp(100);
    const result = await runCli(['run', input, '-t', TEMPLATE, '--system', SYSTEM, '--schema', schema, '-m', 'claude-haiku-4-5', '--pack', '10', '-o', out, '--no-cache', '--quiet'], { env: anthropicEnv(e2e.server) });
    expect(result.code).toBe(0);
    expect(e2e.server.stats().requests).toBe(10);
    const body = e2e.server.requests()[0].body as Record<string, unknown>;
    expect(body).toMatchObject({ system: SYSTEM, max_tokens: 10 * 1024, tool_choice: { type: 'tool', name: 'answers' } });
    expect(body.tools).toMatchObject([{ name: 'answers', input_schema: { type: 'object', required: ['items'] } }]);
    const validate = compileOutputSchema(SCHEMA);
    const results = readResults(out);
    expect(new Set(results.map((r) => r.id)).size).toBe(100);
    for (const record of results) expect(validate(record.parsed)).toBe(true);
  });

  it('packs free-text answers too: each output is the item\'s own answer string', async () => {
    const { input, out } = setUp(30);
    const result = await runCli(['run', input, '-t', TEMPLATE, '-m', 'gpt-4o-mini', '--pack', '10', '-o', out, '--no-cache', '--quiet'], { env: openaiEnv(e2e.server) });
    expect(result.code).toBe(0);
    expect(e2e.server.stats().requests).toBe(3);
    const results = readResults(out);
    expect(results).toHaveLength(30);
    for (const record of results) {
      expect(CATEGORIES).toContain(record.output);
      expect(record.parsed).toBeUndefined();
    }
  });

  it('a malformed packed answer and a dropped id fall back to single requests; still 100 results', async () => {
    const markers: Record<number, string> = { 15: ' [[pack:malformed]]', 37: ' [[pack:drop]]' };
    const { input, schema, out } = setUp(100, (i) => markers[i] ?? '');
    const result = await runCli(['run', input, '-t', TEMPLATE, '--system', SYSTEM, '--schema', schema, '-m', 'gpt-4o-mini', '--pack', '10', '-o', out, '--no-cache'], { env: openaiEnv(e2e.server) });
    expect(result.code).toBe(0);
    // 10 packs, then items 11–20 one by one (their pack was malformed) and item 37 (left out of its pack).
    expect(e2e.server.stats().requests).toBe(10 + 10 + 1);
    expect(result.stderr).toMatch(/packing\s+79 requests saved .* 11 items sent alone/);
    expect(result.stderr).toContain('sending them one by one');

    const results = readResults(out);
    expect(results).toHaveLength(100);
    expect(new Set(results.map((r) => r.id)).size).toBe(100);
    const validate = compileOutputSchema(SCHEMA);
    for (const record of results) expect(validate(record.parsed)).toBe(true);
    const alone = results.filter((r) => r.usage.input_tokens > 100).map((r) => r.id);
    expect(alone.sort()).toEqual(['item-11', 'item-12', 'item-13', 'item-14', 'item-15', 'item-16', 'item-17', 'item-18', 'item-19', 'item-20', 'item-37'].sort());
    // The malformed pack was paid for: the run's totals include it, even though no result carries it.
    const state = JSON.parse(readFileSync(join(e2e.dir(), 'out.state.json'), 'utf8'));
    expect(state.totals.inputTokens).toBe(e2e.server.stats().tokens.input);
  });

  it('caches the packed request as a whole: a re-run with the same grouping sends nothing', async () => {
    const { dir, input, schema, out } = setUp(40);
    const args = ['run', input, '-t', TEMPLATE, '--schema', schema, '-m', 'gpt-4o-mini', '--pack', '10', '-o', out, '--cache-dir', join(dir, 'cache'), '--quiet'];
    expect((await runCli(args, { env: openaiEnv(e2e.server) })).code).toBe(0);
    const first = readResults(out);
    expect(e2e.server.stats().requests).toBe(4);
    e2e.server.resetStats();

    expect((await runCli([...args, '--overwrite'], { env: openaiEnv(e2e.server) })).code).toBe(0);
    expect(e2e.server.stats().requests).toBe(0);
    const second = readResults(out);
    expect(second).toHaveLength(40);
    const parsedById = new Map(first.map((r) => [r.id, r.parsed]));
    for (const record of second) {
      expect(record).toMatchObject({ cached: true, cost_usd: 0 });
      expect(record.parsed).toEqual(parsedById.get(record.id));
    }
  });

  it('with a shared system prompt, packing bills fewer input tokens than one request per item', async () => {
    const { input, schema, out } = setUp(100);
    const common = ['-t', TEMPLATE, '--system', SYSTEM, '--schema', schema, '-m', 'gpt-4o-mini', '--no-cache', '--quiet'];
    expect((await runCli(['run', input, ...common, '-o', out], { env: openaiEnv(e2e.server) })).code).toBe(0);
    const single = e2e.server.stats();
    e2e.server.resetStats();
    expect((await runCli(['run', input, ...common, '--pack', '10', '-o', `${out}.packed.jsonl`], { env: openaiEnv(e2e.server) })).code).toBe(0);
    const packed = e2e.server.stats();
    expect(single.requests).toBe(100);
    expect(packed.requests).toBe(10);
    expect(packed.tokens.input).toBeLessThan(single.tokens.input * 0.6);
  });

  it('refuses --pack with --mode batch before sending anything', async () => {
    const { input, out } = setUp(3);
    const result = await runCli(['run', input, '-t', TEMPLATE, '-m', 'gpt-4o-mini', '--pack', '10', '--mode', 'batch', '-o', out], { env: openaiEnv(e2e.server) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--pack works in realtime mode only');
    expect(e2e.server.stats().requests).toBe(0);
  });
});
