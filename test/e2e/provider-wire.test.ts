/**
 * Issue 18 through the built CLI against the mock server: refusals are dead letters (realtime and batch),
 * a model the key cannot use stops the run (exit 4), parameters a provider lacks are refused before any
 * request (exit 2), images Anthropic refuses never leave, and prompt caching marks only what every item
 * shares.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REFUSAL_TEXT } from '../../src/mock/answer-markers.js';
import { FIXTURES, runCli } from '../helpers/cli.js';
import { anthropicEnv, openaiEnv, readFailures, readResults, useMockServer, writeItems } from '../helpers/e2e.js';

const TEMPLATE = join(FIXTURES, 'describe.hbs');
const WIRES = [
  { name: 'OpenAI', model: 'gpt-4o-mini', env: () => openaiEnv(e2e.server) },
  { name: 'Anthropic', model: 'claude-haiku-4-5', env: () => anthropicEnv(e2e.server) },
] as const;

const e2e = useMockServer({ batchCompletionDelayMs: 100 });
const fresh = (): string => e2e.dir();

describe.each(WIRES)('$name wire', ({ model, env }) => {
  it.each(['realtime', 'batch'])('records a refusal as a refusal dead letter with the model’s text (%s), never as an answer', async (mode) => {
    const dir = fresh();
    const input = join(dir, 'items.jsonl');
    writeItems(input, 5, (i) => (i === 3 ? ' [[refuse]]' : ''));
    const out = join(dir, 'out.jsonl');
    const result = await runCli(['run', input, '-t', TEMPLATE, '-m', model, '-o', out, '--no-cache', '--quiet', '--mode', mode], { env: env() });
    expect(result.code).toBe(1);
    expect(readResults(out).map((r) => r.id).sort()).toEqual(['item-1', 'item-2', 'item-4', 'item-5']);
    const [failure] = readFailures(join(dir, 'out.failed.jsonl'));
    expect(failure).toMatchObject({ id: 'item-3', error: { class: 'refusal', code: 'refusal' } });
    expect(failure.error.message).toContain(REFUSAL_TEXT);
    // Refused once, not retried: the same request would be refused again.
    expect(failure.attempts).toBe(1);
  });

  it('stops on the first 404 for a model the key cannot use (exit 4), naming it and the closest known names', async () => {
    const dir = fresh();
    const input = join(dir, 'items.jsonl');
    writeItems(input, 40);
    const missing = `${model}-nonexistent`;
    const out = join(dir, 'out.jsonl');
    const result = await runCli(['run', input, '-t', TEMPLATE, '-m', missing, '-o', out, '--no-cache', '--quiet', '-c', '1'], { env: env() });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(`the model "${missing}" does not exist or this API key cannot use it; closest known names: ${model}`);
    // The run stopped instead of dead-lettering the rows one by one.
    expect(readFailures(join(dir, 'out.failed.jsonl'))).toEqual([]);
    expect(e2e.server.stats().requests).toBeLessThan(5);
  });
});

describe.each(WIRES)('$name Batch API', ({ model, env }) => {
  it('stops on a batch result saying the model does not exist (exit 4), naming the closest known names', async () => {
    const dir = fresh();
    const input = join(dir, 'items.jsonl');
    writeItems(input, 6);
    const missing = `${model}-nonexistent`;
    const out = join(dir, 'out.jsonl');
    const result = await runCli(['run', input, '-t', TEMPLATE, '-m', missing, '-o', out, '--no-cache', '--quiet', '--mode', 'batch'], { env: env() });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(`the model "${missing}" does not exist or this API key cannot use it; closest known names: ${model}`);
  });
});

describe('parameters and models, refused before any request', () => {
  function writePrompt(dir: string, frontMatter: string): string {
    const path = join(dir, 't.prompt');
    writeFileSync(path, `---\n${frontMatter}\n---\nDescribe {{name}}.\n`);
    return path;
  }

  it.each<[string, string, string, RegExp]>([
    ['topK on OpenAI', 'gpt-4o-mini', 'config:\n  topK: 40', /config\.topK in .*t\.prompt: OpenAI Chat Completions does not take it: OpenAI has no top_k; use topP/],
    ['frequencyPenalty on Anthropic', 'claude-haiku-4-5', 'config:\n  frequencyPenalty: 0.5', /Anthropic Messages does not take it: Anthropic has no frequency penalty/],
    ['candidateCount', 'gpt-4o-mini', 'config:\n  candidateCount: 2', /one answer per item/],
  ])('%s: exit 2, nothing sent', async (_name, model, frontMatter, message) => {
    const dir = fresh();
    const input = join(dir, 'items.jsonl');
    writeItems(input, 3);
    const env = model.startsWith('claude') ? anthropicEnv(e2e.server) : openaiEnv(e2e.server);
    // The provider's own endpoint: refusals there are strict (a --base-url gateway may take more).
    delete (env as Record<string, string | undefined>).OPENAI_BASE_URL;
    delete (env as Record<string, string | undefined>).ANTHROPIC_BASE_URL;
    const result = await runCli(['run', input, '-t', writePrompt(dir, frontMatter), '-m', model, '-o', join(dir, 'out.jsonl'), '--quiet'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('--temperature with a reasoning model (a fine-tuned one too): exit 2 with what to use instead', async () => {
    const dir = fresh();
    const input = join(dir, 'items.jsonl');
    writeItems(input, 2);
    const result = await runCli(['run', input, '-t', TEMPLATE, '-m', 'ft:o4-mini-2025-04-16:acme::abc', '--temperature', '0', '-o', join(dir, 'out.jsonl'), '--quiet'], {
      env: openaiEnv(e2e.server),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--temperature: ft:o4-mini-2025-04-16:acme::abc is a reasoning model and takes no temperature');
    expect(result.stderr).toContain('reasoning_effort');
    expect(e2e.server.stats().requests).toBe(0);
  });

  it('the repo’s classify.prompt with a reasoning model: its temperature is dropped with a warning, max_completion_tokens sent', async () => {
    const dir = fresh();
    const input = join(dir, 'items.jsonl');
    writeItems(input, 2);
    const result = await runCli(['run', input, '-t', join(FIXTURES, 'classify.prompt'), '-m', 'o4-mini', '-o', join(dir, 'out.jsonl'), '--no-cache'], {
      env: openaiEnv(e2e.server),
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('config.temperature in');
    expect(result.stderr).toContain('is not sent: o4-mini is a reasoning model and takes no temperature');
    for (const request of e2e.server.requests()) {
      expect(request.body).not.toHaveProperty('temperature');
      expect(request.body).not.toHaveProperty('max_tokens');
      expect(request.body).toMatchObject({ max_completion_tokens: 50 });
    }
  });

  it('an SVG image for Anthropic: exit 2 naming the line, nothing sent', async () => {
    const dir = fresh();
    const input = join(dir, 'items.jsonl');
    const svg = `data:image/svg+xml;base64,${Buffer.from('<svg/>').toString('base64')}`;
    writeFileSync(input, [{ id: 'a', name: 'A', image: 'https://example.com/a.png' }, { id: 'b', name: 'B', image: svg }].map((row) => JSON.stringify(row)).join('\n'));
    const result = await runCli(['run', input, '-p', 'Describe {{name}}', '--image-field', 'image', '-m', 'claude-haiku-4-5', '-o', join(dir, 'out.jsonl'), '--quiet'], {
      env: anthropicEnv(e2e.server),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/line 2.*Anthropic does not accept image\/svg\+xml images/);
    expect(e2e.server.stats().requests).toBe(0);
  });
});

describe('Anthropic prompt caching marks only what every item shares', () => {
  const RULES = `Classify the product into one category. ${'Use the catalogue rules carefully. '.repeat(500)}`;

  async function run(system: string): Promise<{ stderr: string; requests: Array<Record<string, unknown>> }> {
    const dir = fresh();
    const input = join(dir, 'items.jsonl');
    writeItems(input, 4);
    const result = await runCli(['run', input, '-t', TEMPLATE, '--system', system, '-m', 'claude-sonnet-4-5', '-o', join(dir, 'out.jsonl'), '--no-cache', '-c', '1'], {
      env: anthropicEnv(e2e.server),
    });
    expect(result.code).toBe(0);
    return { stderr: result.stderr, requests: e2e.server.requests().map((r) => r.body as Record<string, unknown>) };
  }

  it('a long literal system prompt is marked, and the summary shows cache reads and writes', async () => {
    const { stderr, requests } = await run(RULES);
    expect(requests.every((body) => JSON.stringify(body.system).includes('cache_control'))).toBe(true);
    expect(stderr).toMatch(/cached/);
    expect(stderr).toMatch(/cache writes/);
  });

  it('a long system prompt with an item variable is never marked', async () => {
    const { requests } = await run(`${RULES} The product is called {{name}}.`);
    expect(requests.length).toBe(4);
    expect(requests.some((body) => JSON.stringify(body).includes('cache_control'))).toBe(false);
  });
});
