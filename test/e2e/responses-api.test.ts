import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { responsesWire } from '../../src/providers/responses-wire.js';
import { loadTemplate } from '../../src/template/load-template.js';
import { FIXTURES, runCli } from '../helpers/cli.js';
import { expectedAnswers, openaiEnv, readFailures, readResults, useMockServer, writeItems } from '../helpers/e2e.js';

const TEMPLATE = join(FIXTURES, 'describe.hbs');
const SYSTEM = 'You are a product catalogue assistant.';

const e2e = useMockServer({ batchCompletionDelayMs: 200 });

describe('--api responses, end to end through the CLI', () => {
  it('realtime: system prompt and schema go as instructions, input and text.format; answers, usage and cost are recorded; resume sends nothing', async () => {
    const input = join(e2e.dir(), 'items.jsonl');
    const items = writeItems(input, 12);
    const schemaPath = join(e2e.dir(), 'schema.json');
    const schema = { type: 'object', properties: { category: { type: 'string' }, confidence: { type: 'number' } }, required: ['category', 'confidence'], additionalProperties: false };
    writeFileSync(schemaPath, JSON.stringify(schema));
    const out = join(e2e.dir(), 'out.jsonl');
    const args = ['run', input, '-t', TEMPLATE, '--system', SYSTEM, '--schema', schemaPath, '-m', 'gpt-5-mini', '--api', 'responses', '--param', 'reasoning_effort="low"', '--max-tokens', '400', '--no-cache', '--quiet', '-o', out];
    const result = await runCli(args, { env: openaiEnv(e2e.server) });
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);

    const sent = e2e.server.requests();
    expect(sent.every((request) => request.path === '/v1/responses')).toBe(true);
    const template = await loadTemplate({ file: TEMPLATE, system: SYSTEM });
    const params = { model: 'gpt-5-mini', maxTokens: 400, extra: { reasoning_effort: 'low' }, schema: { name: 'answer', schema } };
    const expected = await Promise.all(items.map(async (item) => JSON.stringify(responsesWire.buildBody({ messages: await template.render(item), params }))));
    expect(sent.map((request) => JSON.stringify(request.body)).sort()).toEqual(expected.sort());
    const body = sent[0]?.body as Record<string, unknown>;
    expect(body.instructions).toBe(SYSTEM);
    expect(body.reasoning).toEqual({ effort: 'low' });
    expect((body.text as { format: { type: string; strict: boolean } }).format).toMatchObject({ type: 'json_schema', strict: true });

    const results = readResults(out);
    expect(results).toHaveLength(12);
    for (const record of results) {
      expect(record.parsed).toMatchObject({ category: expect.any(String) });
      expect(record.usage.input_tokens).toBeGreaterThan(0);
      expect(record.cost_usd).toBeGreaterThan(0);
      expect(record.finish_reason).toBe('stop');
    }

    e2e.server.resetStats();
    const again = await runCli([...args.slice(0, -2), '-o', out, '--resume'], { env: openaiEnv(e2e.server) });
    expect(again.code).toBe(0);
    expect(e2e.server.stats().requests).toBe(0);
  });

  it('a Responses-only model (o3-pro) goes to /v1/responses without --api; refusals and cut-offs are their own failure classes', async () => {
    const input = join(e2e.dir(), 'items.jsonl');
    const items = writeItems(input, 6, (i) => (i === 2 ? ' [[refusal]]' : ''));
    const out = join(e2e.dir(), 'out.jsonl');
    const result = await runCli(['run', input, '-t', TEMPLATE, '-m', 'o3-pro', '--no-cache', '--quiet', '-o', out], { env: openaiEnv(e2e.server) });
    expect(result.code).toBe(1);
    expect(e2e.server.requests().every((request) => request.path === '/v1/responses')).toBe(true);
    const expected = await expectedAnswers(TEMPLATE, items);
    const results = readResults(out);
    expect(results.map((r) => r.id).sort()).toEqual(['item-1', 'item-3', 'item-4', 'item-5', 'item-6']);
    for (const record of results) expect(record.output).toBe(expected.get(record.id)?.text);
    const failures = readFailures(join(e2e.dir(), 'out.failed.jsonl'));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ id: 'item-2', attempts: 1, error: { class: 'refusal' } });

    // max_output_tokens 16 cuts a structured answer off (status incomplete, reason max_output_tokens): a cut-off, never a result.
    const schemaPath = join(e2e.dir(), 'schema.json');
    const fields = Object.fromEntries(['summary', 'audience', 'category', 'tone', 'language'].map((name) => [name, { type: 'string' }]));
    writeFileSync(schemaPath, JSON.stringify({ type: 'object', properties: fields, required: Object.keys(fields) }));
    const cut = join(e2e.dir(), 'cut.jsonl');
    const truncated = await runCli(['run', input, '-t', TEMPLATE, '-m', 'gpt-5-mini', '--api', 'responses', '--schema', schemaPath, '--max-tokens', '16', '--max-retries', '0', '--limit', '1', '--no-cache', '--quiet', '-o', cut], { env: openaiEnv(e2e.server) });
    expect(truncated.code).toBe(1);
    expect(readResults(cut)).toHaveLength(0);
    expect(readFailures(join(e2e.dir(), 'cut.failed.jsonl'))[0]?.error).toMatchObject({ class: 'invalid_output', code: 'truncated', message: expect.stringContaining('max_output_tokens') });
  });

  it('--mode batch: the batch endpoint is /v1/responses and every answer comes back', async () => {
    const input = join(e2e.dir(), 'items.jsonl');
    const items = writeItems(input, 40, (i) => (i === 7 ? ' [[fault:400]]' : ''));
    const out = join(e2e.dir(), 'out.jsonl');
    const result = await runCli(['run', input, '-t', TEMPLATE, '-m', 'gpt-5-mini', '--api', 'responses', '--mode', 'batch', '--no-cache', '--quiet', '-o', out], { env: openaiEnv(e2e.server) });
    expect(result.code).toBe(1);
    const expected = await expectedAnswers(TEMPLATE, items);
    const results = readResults(out);
    expect(results).toHaveLength(39);
    for (const record of results) {
      expect(record.mode).toBe('batch');
      expect(record.output).toBe(expected.get(record.id)?.text);
    }
    expect(readFailures(join(e2e.dir(), 'out.failed.jsonl')).map((f) => f.id)).toEqual(['item-7']);
    expect(e2e.server.stats().batchesCreated).toBe(1);
  });

  it('refuses a Chat Completions-only parameter before any request (exit 2)', async () => {
    const input = join(e2e.dir(), 'items.jsonl');
    writeItems(input, 2);
    const result = await runCli(['run', input, '-t', TEMPLATE, '-m', 'gpt-5-mini', '--api', 'responses', '--param', 'seed=7', '--no-cache', '-o', join(e2e.dir(), 'o.jsonl')], { env: openaiEnv(e2e.server) });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Responses API does not take the parameter "seed"/);
    expect(e2e.server.stats().requests).toBe(0);
  });
});

describe('--api in the run fingerprint', () => {
  it('resuming a Chat Completions output with --api responses is refused without --force, naming the change', async () => {
    const input = join(e2e.dir(), 'items.jsonl');
    writeItems(input, 3);
    const out = join(e2e.dir(), 'out.jsonl');
    const args = ['run', input, '-t', TEMPLATE, '-m', 'gpt-5-mini', '--no-cache', '--quiet', '-o', out];
    expect((await runCli([...args, '--limit', '1'], { env: openaiEnv(e2e.server) })).code).toBe(0);
    const switched = await runCli([...args, '--resume', '--api', 'responses'], { env: openaiEnv(e2e.server) });
    expect(switched.code).toBe(2);
    expect(switched.stderr).toMatch(/params\.api/);
  });
});
