import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from '../helpers/cli.js';
import { expectedAnswers, openaiEnv, readFailures, readResults, TEST_KEY, useMockServer, writeItems } from '../helpers/e2e.js';

const TEMPLATE = join(FIXTURES, 'describe.hbs');
const common = ['-t', TEMPLATE, '--provider', 'azure', '--no-cache', '--quiet'];

const e2e = useMockServer({ batchCompletionDelayMs: 200 });

/** Azure's variables only: no OpenAI key or base URL, so nothing can reach the OpenAI routes by accident. */
function azureEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { AZURE_OPENAI_ENDPOINT: `${e2e.server.url}/`, AZURE_OPENAI_API_KEY: TEST_KEY, ...extra };
}

describe('--provider azure, end to end through the CLI', () => {
  it('dated api-version: deployment path, api-key header, priced as --model-family', async () => {
    const input = join(e2e.dir(), 'items.jsonl');
    const items = writeItems(input, 10);
    const out = join(e2e.dir(), 'out.jsonl');
    const env = azureEnv({ OPENAI_API_VERSION: '2024-10-21' });
    const result = await runCli(['run', input, ...common, '--deployment', 'prod-mini', '--model-family', 'gpt-4o-mini', '-o', out], { env });
    expect(result.stderr).not.toMatch(/warning|no price/i);
    expect(result.code).toBe(0);
    expect(new Set(e2e.server.requests().map((request) => request.path))).toEqual(new Set(['/openai/deployments/prod-mini/chat/completions']));
    expect(e2e.server.requests().every((request) => !('api-key' in request.headers) && !('authorization' in request.headers))).toBe(true);

    const expected = await expectedAnswers(TEMPLATE, items);
    const results = readResults(out);
    expect(results).toHaveLength(10);
    for (const record of results) {
      expect(record.output).toBe(expected.get(record.id)?.text);
      expect(record.cost_usd).toBeGreaterThan(0);
    }

    // The same run priced through OpenAI's table costs the same: a deployment is priced as its model.
    e2e.server.resetStats();
    const openaiOut = join(e2e.dir(), 'openai.jsonl');
    expect((await runCli(['run', input, '-t', TEMPLATE, '-m', 'gpt-4o-mini', '--no-cache', '--quiet', '-o', openaiOut], { env: openaiEnv(e2e.server) })).code).toBe(0);
    const openaiCost = new Map(readResults(openaiOut).map((record) => [record.id, record.cost_usd]));
    for (const record of results) expect(record.cost_usd).toBeCloseTo(openaiCost.get(record.id) ?? Number.NaN, 12);
  });

  it('v1 API (no api-version) with --api responses: /openai/v1/responses with the deployment as model', async () => {
    const input = join(e2e.dir(), 'items.jsonl');
    writeItems(input, 4);
    const out = join(e2e.dir(), 'out.jsonl');
    const result = await runCli(['run', input, ...common, '-m', 'gpt-5-mini', '--deployment', 'reasoner', '--api', 'responses', '-o', out], { env: azureEnv() });
    expect(result.code).toBe(0);
    const sent = e2e.server.requests();
    expect(sent.map((request) => request.path)).toEqual(Array(4).fill('/openai/v1/responses'));
    expect(sent.every((request) => (request.body as { model: string }).model === 'reasoner')).toBe(true);
    const results = readResults(out);
    expect(results).toHaveLength(4);
    // -m names the model a deployment runs when --deployment is given: priced as gpt-5-mini.
    expect(results.every((record) => (record.cost_usd ?? 0) > 0)).toBe(true);
  });

  it.each([
    ['dated api-version', { OPENAI_API_VERSION: '2024-10-21', AZURE_OPENAI_DEPLOYMENT: 'batch-mini' }],
    ['v1 API', { AZURE_OPENAI_DEPLOYMENT: 'batch-mini' }],
  ])('--mode batch through Azure files and batches (%s)', async (_name, extra) => {
    const input = join(e2e.dir(), 'items.jsonl');
    const items = writeItems(input, 30, (i) => (i === 5 ? ' [[fault:400]]' : ''));
    const out = join(e2e.dir(), 'out.jsonl');
    const result = await runCli(['run', input, ...common, '--model-family', 'gpt-4o-mini', '--mode', 'batch', '-o', out], { env: azureEnv(extra) });
    expect(result.code).toBe(1);
    const expected = await expectedAnswers(TEMPLATE, items);
    const results = readResults(out);
    expect(results).toHaveLength(29);
    for (const record of results) {
      expect(record.mode).toBe('batch');
      expect(record.output).toBe(expected.get(record.id)?.text);
    }
    expect(readFailures(join(e2e.dir(), 'out.failed.jsonl')).map((failure) => failure.id)).toEqual(['item-5']);
    expect(e2e.server.stats().batchesCreated).toBe(1);
  });

  it('without a price for the deployment, costs are unknown and the run says how to give one', async () => {
    const input = join(e2e.dir(), 'items.jsonl');
    writeItems(input, 2);
    const out = join(e2e.dir(), 'out.jsonl');
    const result = await runCli(['run', input, ...common.filter((arg) => arg !== '--quiet'), '--deployment', 'team-model-7', '-o', out], { env: azureEnv() });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/no price known for model "team-model-7"/);
    expect(readResults(out).every((record) => record.cost_usd === null)).toBe(true);
  });

  it.each<[string, string[], Record<string, string>, RegExp]>([
    ['no endpoint', ['--deployment', 'd'], { AZURE_OPENAI_API_KEY: TEST_KEY }, /AZURE_OPENAI_ENDPOINT/],
    ['no key', ['--deployment', 'd'], { AZURE_OPENAI_ENDPOINT: 'https://r.openai.azure.com' }, /AZURE_OPENAI_API_KEY/],
    ['no deployment', [], { AZURE_OPENAI_ENDPOINT: 'https://r.openai.azure.com', AZURE_OPENAI_API_KEY: TEST_KEY }, /no model|deployment/],
    ['--deployment without azure', ['-m', 'gpt-4o-mini', '--deployment', 'd', '--provider', 'openai'], { OPENAI_API_KEY: TEST_KEY }, /add --provider azure/],
  ])('%s: exit 2 before any request', async (_name, args, env, message) => {
    const input = join(e2e.dir(), 'items.jsonl');
    writeItems(input, 1);
    const base = args.includes('--provider') ? ['-t', TEMPLATE, '--no-cache'] : ['-t', TEMPLATE, '--provider', 'azure', '--no-cache'];
    const result = await runCli(['run', input, ...base, ...args, '-o', join(e2e.dir(), 'o.jsonl')], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toContain(TEST_KEY);
    expect(e2e.server.stats().requests).toBe(0);
  });
});
