import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveRunConfig } from '../../src/cli/resolve-run-config.js';
import type { MockServer } from '../../src/mock/server.js';
import type { Provider, ProviderResponse } from '../../src/providers/types.js';
import { RunControl } from '../../src/run/run-control.js';
import { runJob } from '../../src/run/run-job.js';
import { zeroTokens } from '../../src/usage/token-usage.js';
import { makeTempDir } from '../helpers/cli.js';
import { openaiEnv, readResults, startServer, writeItems } from '../helpers/e2e.js';

let server: MockServer;
const temp = makeTempDir();
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
  temp.cleanup();
});

// Issue 13, row b: a socket connects, and its request is written, only when the event loop turns. Filling
// every slot in one turn held the first request back until all of them were ready (~60 ms for 100 slots).
describe('filling the slots at the start of a run', () => {
  it('hands the first requests over and lets the event loop turn long before every slot is filled', async () => {
    const input = join(temp.dir, 'fill-items.jsonl');
    writeItems(input, 300);
    const output = join(temp.dir, 'fill-out.jsonl');
    const concurrency = 100;
    const { config, template } = await resolveRunConfig(
      input,
      { onBadItem: 'fail', concurrency, maxRetries: 0, timeout: 10, maxWait: 60, mode: 'realtime', cache: false, progressInterval: 1, prompt: 'Describe {{name}}', model: 'gpt-4o-mini', output },
      { env: openaiEnv(server), homedir: temp.dir, args: ['run', input, '-o', output] },
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
