import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from '../helpers/cli.js';
import {
  anthropicEnv,
  expectedAnswers,
  openaiEnv,
  promptsOf,
  readFailures,
  readResults,
  writeItems,
  useMockServer,
} from '../helpers/e2e.js';

const TEMPLATE = join(FIXTURES, 'describe.hbs');

const e2e = useMockServer();

const common = ['-t', TEMPLATE, '--no-cache', '--quiet'];

describe('llm-batch run, end to end', () => {
  it('runs 500 JSONL items over the OpenAI wire, each output matching its own input', async () => {
    const dir = e2e.dir();
    const input = join(dir, 'items.jsonl');
    const items = writeItems(input, 500);
    const out = join(dir, 'out.jsonl');
    const result = await runCli(['run', input, '-m', 'gpt-4o-mini', '-o', out, '-c', '32', ...common], { env: openaiEnv(e2e.server) });
    expect(result.stderr).toContain('500 ok');
    expect(result.code).toBe(0);

    const results = readResults(out);
    const expected = await expectedAnswers(TEMPLATE, items);
    expect(results).toHaveLength(500);
    expect(new Set(results.map((r) => r.id)).size).toBe(500);
    for (const record of results) {
      expect(record.output).toBe(expected.get(record.id)?.text);
      expect(record).toMatchObject({ model: 'gpt-4o-mini', cached: false, mode: 'realtime', finish_reason: 'stop', attempts: 1 });
      expect(record.usage.input_tokens).toBeGreaterThan(0);
      expect(record.cost_usd).toBeGreaterThan(0);
    }
    expect(e2e.server.stats().requests).toBe(500);
    const state = JSON.parse(readFileSync(join(dir, 'out.state.json'), 'utf8'));
    expect(state.fingerprint).toMatchObject({ model: 'gpt-4o-mini', provider: 'openai' });
    expect(state.totals.succeeded).toBe(500);
    expect(existsSync(join(dir, 'out.lock'))).toBe(false);
  });

  it('runs a CSV with quoted fields and embedded newlines over the Anthropic wire', async () => {
    const dir = e2e.dir();
    const input = join(dir, 'items.csv');
    writeFileSync(
      input,
      '\uFEFFid,name,description\r\n' +
        'a1,"Kettle, steel","Boils ""fast""\nand quietly"\r\n' +
        'a2,Lamp,Warm light\r\n' +
        'a3,"Café table","Ünïcödé, 木"\r\n',
    );
    const out = join(dir, 'out.jsonl');
    const result = await runCli(['run', input, '-m', 'claude-haiku-4-5', '-o', out, ...common], { env: anthropicEnv(e2e.server) });
    expect(result.code).toBe(0);
    const rows = [
      { id: 'a1', name: 'Kettle, steel', description: 'Boils "fast"\nand quietly' },
      { id: 'a2', name: 'Lamp', description: 'Warm light' },
      { id: 'a3', name: 'Café table', description: 'Ünïcödé, 木' },
    ];
    const expected = await expectedAnswers(TEMPLATE, rows);
    const results = readResults(out);
    expect(results.map((r) => r.id).sort()).toEqual(['a1', 'a2', 'a3']);
    for (const record of results) expect(record.output).toBe(expected.get(record.id)?.text);
    expect(Object.keys(e2e.server.stats().byPath)).toEqual(['/v1/messages']);
  });

  it('refuses an existing output without --resume or --overwrite, sending nothing', async () => {
    const dir = e2e.dir();
    const input = join(dir, 'items.jsonl');
    writeItems(input, 5);
    const out = join(dir, 'out.jsonl');
    writeFileSync(out, '');
    const result = await runCli(['run', input, '-m', 'gpt-4o-mini', '-o', out, ...common], { env: openaiEnv(e2e.server) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('already exists');
    expect(result.stderr).toContain('--resume');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(e2e.server.stats().requests).toBe(0);
  });

  it('--resume after a partial run requests only the missing items; on a finished output it sends nothing', async () => {
    const dir = e2e.dir();
    const input = join(dir, 'items.jsonl');
    const items = writeItems(input, 120);
    const out = join(dir, 'out.jsonl');
    const env = openaiEnv(e2e.server);
    const first = await runCli(['run', input, '-m', 'gpt-4o-mini', '-o', out, '--limit', '50', ...common], { env });
    expect(first.code).toBe(0);
    expect(readResults(out)).toHaveLength(50);

    const second = await runCli(['run', input, '-m', 'gpt-4o-mini', '-o', out, '--resume', ...common], { env });
    expect(second.code).toBe(0);
    const results = readResults(out);
    expect(results).toHaveLength(120);
    expect(new Set(results.map((r) => r.id)).size).toBe(120);
    const counts = e2e.server.stats().requestCountsByPrompt;
    for (const prompt of await promptsOf(TEMPLATE, items)) expect(counts[prompt]).toBe(1);
    expect(e2e.server.stats().requests).toBe(120);

    e2e.server.resetStats();
    const third = await runCli(['run', input, '-m', 'gpt-4o-mini', '-o', out, '--resume', ...common], { env });
    expect(third.code).toBe(0);
    expect(e2e.server.stats().requests).toBe(0);
    expect(readResults(out)).toHaveLength(120);
  });

  it('--resume refuses a changed model unless --force, saying what changed', async () => {
    const dir = e2e.dir();
    const input = join(dir, 'items.jsonl');
    writeItems(input, 3);
    const out = join(dir, 'out.jsonl');
    const env = openaiEnv(e2e.server);
    expect((await runCli(['run', input, '-m', 'gpt-4o-mini', '-o', out, ...common], { env })).code).toBe(0);
    const changed = await runCli(['run', input, '-m', 'gpt-4o', '-o', out, '--resume', ...common], { env });
    expect(changed.code).toBe(2);
    expect(changed.stderr).toContain('model: gpt-4o-mini → gpt-4o');
    expect(changed.stderr).toContain('--force');
  });
});

describe('bad input: exit 2, a message naming the problem, no request, no output file', () => {
  const cases: Array<{ name: string; file: string; content: string; args?: string[]; message: RegExp }> = [
    { name: 'malformed JSON line', file: 'bad.jsonl', content: '{"id":"1","name":"a","description":"x"}\n{"id":"2", broken\n', message: /line 2/ },
    { name: 'missing template variable', file: 'bad.jsonl', content: '{"id":"1","name":"a","description":"x"}\n{"id":"2","name":"b"}\n', message: /line 2.*description/ },
    { name: 'duplicate id', file: 'bad.jsonl', content: '{"id":"1","name":"a","description":"x"}\n{"id":"1","name":"b","description":"y"}\n', message: /duplicate id "1"/ },
    { name: 'missing id field', file: 'bad.jsonl', content: '{"sku":"1","name":"a","description":"x"}\n', args: ['--id-field', 'sku2'], message: /sku2/ },
    { name: 'unreadable file', file: 'missing.jsonl', content: '', message: /missing\.jsonl/ },
    { name: 'unknown flag value', file: 'ok.jsonl', content: '{"id":"1","name":"a","description":"x"}\n', args: ['--on-bad-item', 'maybe'], message: /on-bad-item/ },
    { name: 'unknown model', file: 'ok.jsonl', content: '{"id":"1","name":"a","description":"x"}\n', args: ['-m', 'llama-3'], message: /--provider/ },
  ];

  for (const testCase of cases) {
    it(testCase.name, async () => {
      const dir = e2e.dir();
      const input = join(dir, testCase.file);
      if (testCase.content !== '') writeFileSync(input, testCase.content);
      const out = join(dir, 'out.jsonl');
      const args = ['run', input, '-o', out, ...common, ...(testCase.args ?? [])];
      if (!args.includes('-m')) args.push('-m', 'gpt-4o-mini');
      const result = await runCli(args, { env: openaiEnv(e2e.server) });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(testCase.message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(e2e.server.stats().requests).toBe(0);
      expect(existsSync(out)).toBe(false);
      expect(existsSync(join(dir, 'out.state.json'))).toBe(false);
    });
  }

  it('--on-bad-item skip records bad rows as failures and processes the rest', async () => {
    const dir = e2e.dir();
    const input = join(dir, 'mixed.jsonl');
    writeFileSync(input, '{"id":"1","name":"a","description":"x"}\n{"id":"2", broken\n{"id":"3","name":"c"}\n{"id":"4","name":"d","description":"y"}\n');
    const out = join(dir, 'out.jsonl');
    const result = await runCli(['run', input, '-o', out, '-m', 'gpt-4o-mini', '--on-bad-item', 'skip', ...common], { env: openaiEnv(e2e.server) });
    expect(result.code).toBe(1);
    expect(readResults(out).map((r) => r.id).sort()).toEqual(['1', '4']);
    const failures = readFailures(join(dir, 'out.failed.jsonl'));
    expect(failures.map((f) => f.error.class).sort()).toEqual(['input', 'template']);
    expect(e2e.server.stats().requests).toBe(2);
  });

  it('--on-bad-item skip records a repeated id as a failure naming its first line, and sends the first once', async () => {
    const dir = e2e.dir();
    const input = join(dir, 'dup.jsonl');
    writeFileSync(input, '{"id":"1","name":"a","description":"x"}\n{"id":"2","name":"b","description":"y"}\n{"id":"1","name":"c","description":"z"}\n');
    const out = join(dir, 'out.jsonl');
    const result = await runCli(['run', input, '-o', out, '-m', 'gpt-4o-mini', '--on-bad-item', 'skip', ...common], { env: openaiEnv(e2e.server) });
    expect(result.code).toBe(1);
    expect(readResults(out).map((r) => r.id).sort()).toEqual(['1', '2']);
    const failures = readFailures(join(dir, 'out.failed.jsonl'));
    expect(failures.map((f) => [f.id, f.error.class, f.error.message])).toEqual([
      ['1', 'input', 'line 3: duplicate id "1" (first seen on line 1)'],
    ]);
    expect(e2e.server.stats().requests).toBe(2);
  });
});
