import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from '../helpers/cli.js';
import { openaiEnv, readFailures, useMockServer, writeItems } from '../helpers/e2e.js';

const TEMPLATE = join(FIXTURES, 'describe.hbs');
const e2e = useMockServer();

describe('circuit breaker (exit 4)', () => {
  it('stops when the first items all fail with the same 400, quoting the provider and naming the thresholds', async () => {
    const dir = e2e.dir();
    const input = join(dir, 'items.jsonl');
    writeItems(input, 200, () => ' [[fault:400]]');
    const out = join(dir, 'out.jsonl');
    const result = await runCli(['run', input, '-t', TEMPLATE, '-m', 'gpt-4o-mini', '-o', out, '--no-cache', '-c', '4'], { env: openaiEnv(e2e.server) });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('the first 10 items all failed with the same error and none succeeded: 400');
    expect(result.stderr).toContain('--breaker-first 10');
    expect(result.stderr).toContain('--resume');
    // The breaker trips after 10 dead letters; at most the requests then in flight follow.
    expect(e2e.server.stats().requests).toBeLessThanOrEqual(10 + 4);
    expect(readFailures(join(dir, 'out.failed.jsonl')).length).toBeGreaterThanOrEqual(10);
  });

  it('is adjustable: --breaker-first 0 --breaker-streak 0 sends every item (exit 1)', async () => {
    const dir = e2e.dir();
    const input = join(dir, 'items.jsonl');
    writeItems(input, 30, () => ' [[fault:400]]');
    const out = join(dir, 'out.jsonl');
    const result = await runCli(['run', input, '-t', TEMPLATE, '-m', 'gpt-4o-mini', '-o', out, '--no-cache', '--quiet', '--breaker-first', '0', '--breaker-streak', '0'], {
      env: openaiEnv(e2e.server),
    });
    expect(result.code).toBe(1);
    expect(e2e.server.stats().requests).toBe(30);
  });
});
