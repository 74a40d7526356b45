import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveRunConfig } from '../../src/cli/resolve-run-config.js';
import type { Provider, ProviderResponse } from '../../src/providers/types.js';
import { RunControl } from '../../src/run/run-control.js';
import { runJob } from '../../src/run/run-job.js';
import { zeroTokens } from '../../src/usage/token-usage.js';
import { openaiEnv, readResults, useMockServer, writeItems } from '../helpers/e2e.js';

// The config is resolved against the mock server's address; every request goes to the fake provider below.
const ctx = useMockServer();

// Issue 13, row b: a socket connects, and its request is written, only when the event loop turns. Filling
// every slot in one turn held the first request back until all of them were ready (~60 ms for 100 slots).
describe('filling the slots at the start of a run', () => {
  it('hands the first requests over and lets the event loop turn long before every slot is filled', async () => {
    const dir = ctx.dir();
    const input = join(dir, 'fill-items.jsonl');
    writeItems(input, 300);
    const output = join(dir, 'fill-out.jsonl');
    const concurrency = 100;
    const { config, template } = await resolveRunConfig(
      input,
      { onBadItem: 'fail', concurrency, maxRetries: 0, timeout: 10, maxWait: 60, mode: 'realtime', cache: false, progressInterval: 1, prompt: 'Describe {{name}}', model: 'gpt-4o-mini', output },
      { env: openaiEnv(ctx.server), homedir: dir, args: ['run', input, '-o', output] },
    );
    let calls = 0;
    let callsAtFirstTurn: number | undefined;
    const provider: Provider = {
      id: 'openai',
      baseUrl: 'http://fake.test/v1',
      complete(): Promise<ProviderResponse> {
        calls += 1;
        if (calls === 1) setImmediate(() => (callsAtFirstTurn = calls));
        const completion = { text: 'ok', finishReason: 'stop', truncated: false, usage: { ...zeroTokens(), inputTokens: 5, outputTokens: 1 }, model: 'gpt-4o-mini' };
        return new Promise((resolve) => setTimeout(() => resolve({ completion, headers: {}, status: 200 }), 5));
      },
      close: async () => undefined,
    };
    const summary = await runJob(config, template, { emit: () => undefined, control: new RunControl(), createProvider: async () => provider });
    expect(summary.stop).toBe('completed');
    expect(readResults(output)).toHaveLength(300);
    expect(callsAtFirstTurn).toBeDefined();
    expect(callsAtFirstTurn).toBeLessThan(concurrency / 4);
  });
});
