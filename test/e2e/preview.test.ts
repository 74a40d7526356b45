import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from '../helpers/cli.js';
import { anthropicEnv, openaiEnv, TEST_KEY, useMockServer } from '../helpers/e2e.js';

const e2e = useMockServer();

/** The JSON bodies of a preview, in order. */
function bodiesOf(stdout: string): unknown[] {
  return [...stdout.matchAll(/^\{\n[\s\S]*?^\}$/gm)].map((match) => JSON.parse(match[0]));
}

describe('llm-batch preview', () => {
  it.each([
    ['openai', 'gpt-4o-mini', openaiEnv, '/v1/chat/completions'],
    ['anthropic', 'claude-haiku-4-5', anthropicEnv, '/v1/messages'],
  ] as const)('shows the %s bodies exactly as run then sends them, the key redacted, nothing sent', async (_name, model, envOf, path) => {
    const server = e2e.server;
    const args = [join(FIXTURES, 'products.jsonl'), '-t', join(FIXTURES, 'classify.prompt'), '-m', model, '--no-cache'];
    const preview = await runCli(['preview', ...args, '--show', '2'], { env: envOf(server) });
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain(`POST ${server.url}${path}`);
    expect(preview.stdout).toContain('<redacted>');
    expect(preview.stdout + preview.stderr).not.toContain(TEST_KEY);
    expect(preview.stdout).toContain('# item p001 (line 1)');
    expect(server.stats().requests).toBe(0);
    const shown = bodiesOf(preview.stdout);
    expect(shown).toHaveLength(2);

    const out = join(e2e.dir(), 'out.jsonl');
    const run = await runCli(['run', ...args, '--limit', '2', '-c', '1', '-o', out, '--quiet'], { env: envOf(server) });
    expect(run.code).toBe(0);
    const sent = server.requests().filter((request) => request.path === path).map((request) => request.body);
    expect(sent).toEqual(shown);
  });

  it('needs no API key, and says so when no item is in scope', async () => {
    const preview = await runCli(['preview', join(FIXTURES, 'products.csv'), '-p', 'Name: {{name}}', '-m', 'gpt-4o-mini', '--show', '0']);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain('no items in scope');
    expect(existsSync(join(FIXTURES, 'products.csv.results.jsonl'))).toBe(false);
  });

  it('stops with exit 2 naming the line when an item lacks a template variable', async () => {
    const preview = await runCli(['preview', join(FIXTURES, 'products.jsonl'), '-p', 'Name: {{nmae}}', '-m', 'gpt-4o-mini']);
    expect(preview.code).toBe(2);
    expect(preview.stderr).toContain('line 1');
    expect(preview.stderr).toContain('nmae');
  });
});
