import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { batchesCancelCommand } from '../../src/cli/batches-command.js';
import { UsageError } from '../../src/errors.js';
import { startMockServer, type MockServer } from '../../src/mock/server.js';
import { runBatchJob } from '../../src/run/run-batch-job.js';
import { loadTemplate } from '../../src/template/load-template.js';
import { batchConfig, batchDeps, numberedItems, readFailures, tempDir, writeItems } from '../run/batch-test-helpers.js';

const server: MockServer = await startMockServer({ batchCompletionDelayMs: 60_000 });
afterAll(() => server.close());
const template = await loadTemplate({ inline: '{{text}}' });

function capture(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

describe('batchesCancelCommand', () => {
  it.each(['openai', 'anthropic'] as const)('cancels the pending %s batch; a resume records its requests as canceled', async (provider) => {
    const dir = tempDir();
    const input = writeItems(dir, numberedItems(6));
    const output = join(dir, 'out.jsonl');
    const deps = batchDeps((event, control) => {
      if (event.type === 'batch-submitted') control.stop('interrupted');
    });
    await runBatchJob(batchConfig(server, provider, input, output), template, deps);

    const err = capture();
    const env = { OPENAI_API_KEY: 'test-key', ANTHROPIC_API_KEY: 'test-key' };
    expect(await batchesCancelCommand(output, { env, stderr: err.stream })).toBe(0);
    expect(err.text()).toMatch(/canceled batch \S+: (cancelling|canceling)/);

    const resumed = await runBatchJob(batchConfig(server, provider, input, output, { resume: true }), template, batchDeps());
    expect(resumed).toMatchObject({ stop: 'completed', failed: 6, failedByClass: { canceled: 6 } });
    expect(readFailures(output).every((failure) => failure.error.class === 'canceled')).toBe(true);
    expect(await batchesCancelCommand(output, { env, stderr: err.stream })).toBe(0);
    expect(err.text()).toContain('has no pending batches');
  });

  it('needs a state file', async () => {
    await expect(batchesCancelCommand(join(tempDir(), 'none.jsonl'), { env: {} })).rejects.toBeInstanceOf(UsageError);
  });
});
