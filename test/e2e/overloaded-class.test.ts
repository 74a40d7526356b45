import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { anthropicEnv, useMockServer } from '../helpers/e2e.js';
import type { FailureRecord } from '../../src/journal/records.js';
import type { OutputStatus } from '../../src/report/status-types.js';

const e2e = useMockServer();

describe('a 529 that runs out of retries is an overload, not a rate limit', () => {
  it('records class overloaded (a 429 stays rate_limit) in the failure line, the summary and status', async () => {
    const dir = e2e.dir();
    const input = join(dir, 'in.jsonl');
    const rows = [
      { id: 'busy', text: 'a [[fault:529]]' },
      { id: 'limited', text: 'b [[fault:429]]' },
      { id: 'fine', text: 'c' },
    ];
    writeFileSync(input, rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
    const template = join(dir, 't.hbs');
    writeFileSync(template, 'Say: {{text}}\n');
    const out = join(dir, 'out.jsonl');
    const env = anthropicEnv(e2e.server);
    const run = await runCli(['run', input, '-t', template, '-m', 'claude-3-5-haiku-latest', '-o', out, '--max-retries', '0', '--cache-dir', join(dir, 'cache')], { env });
    expect(run.code).toBe(1);
    const failures = readFileSync(join(dir, 'out.failed.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as FailureRecord);
    expect(failures.find((failure) => failure.id === 'busy')?.error).toMatchObject({ class: 'overloaded', status: 529 });
    expect(failures.find((failure) => failure.id === 'limited')?.error).toMatchObject({ class: 'rate_limit', status: 429 });
    expect(run.stderr).toMatch(/overloaded 1/);

    const status = JSON.parse((await runCli(['status', out, '--json'], { env })).stdout) as OutputStatus;
    expect(status.outputs[0].failed.byClass).toEqual({ overloaded: 1, rate_limit: 1 });
    const text = (await runCli(['status', out], { env })).stdout;
    expect(text).toContain('overloaded');
  }, 120_000);
});
