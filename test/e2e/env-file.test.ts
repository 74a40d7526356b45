import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { baseEnv, BIN, FIXTURES, runCli } from '../helpers/cli.js';
import { readResults, TEST_KEY, useMockServer } from '../helpers/e2e.js';

const exec = promisify(execFile);
const e2e = useMockServer();

describe('--env-file', () => {
  it('reads the key and base URL from a dotenv file (or LLM_BATCH_ENV_FILE) and never echoes them', async () => {
    const server = e2e.server;
    const dir = e2e.dir();
    const envFile = join(dir, '.env');
    writeFileSync(envFile, `# keys\nOPENAI_API_KEY="${TEST_KEY}"\nOPENAI_BASE_URL=${server.url}/v1\n`);
    const args = ['run', join(FIXTURES, 'products.jsonl'), '-t', join(FIXTURES, 'classify.prompt'), '-m', 'gpt-4o-mini', '--limit', '3', '--no-cache'];
    const flag = await runCli([...args, '-o', join(dir, 'a.jsonl'), '--env-file', envFile]);
    expect(flag.code, flag.stderr).toBe(0);
    const variable = await runCli([...args, '-o', join(dir, 'b.jsonl'), '--log-json'], { env: { LLM_BATCH_ENV_FILE: envFile } });
    expect(variable.code, variable.stderr).toBe(0);
    expect(readResults(join(dir, 'a.jsonl'))).toHaveLength(3);
    expect(readResults(join(dir, 'b.jsonl'))).toHaveLength(3);
    const written = readdirSync(dir).filter((name) => name !== '.env').map((name) => readFileSync(join(dir, name), 'utf8'));
    for (const text of [flag.stdout, flag.stderr, variable.stdout, variable.stderr, ...written]) expect(text).not.toContain(TEST_KEY);
  });

  it('lets a variable already set win over the file', async () => {
    const server = e2e.server;
    const dir = e2e.dir();
    const envFile = join(dir, '.env');
    writeFileSync(envFile, `OPENAI_API_KEY=sk-wrong-key-from-file\nOPENAI_BASE_URL=${server.url}/v1\n`);
    const run = await runCli(
      ['run', join(FIXTURES, 'products.jsonl'), '-t', join(FIXTURES, 'classify.prompt'), '-m', 'gpt-4o-mini', '--limit', '2', '--no-cache', '-o', join(dir, 'out.jsonl'), '--env-file', envFile],
      { env: { OPENAI_API_KEY: TEST_KEY } },
    );
    expect(run.code, run.stderr).toBe(0);
  });

  it('names a missing file (exit 2), also through the installed bin under Node 20', async () => {
    const missing = '/nonexistent/llm-batch.env';
    const error = (await exec(BIN, ['estimate', join(FIXTURES, 'products.jsonl'), '-p', '{{name}}', '-m', 'mock', '--env-file', missing], { env: baseEnv() }).catch(
      (caught: unknown) => caught,
    )) as { code: number; stderr: string };
    expect(error.code).toBe(2);
    expect(error.stderr).toContain(`cannot read --env-file ${missing}: no such file`);
  });
});
