import { readFileSync } from 'node:fs';
import fs from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveRunConfig } from '../../src/cli/resolve-run-config.js';
import { EXIT, exitCodeForError, exitCodeForRun } from '../../src/errors.js';
import type { MockServer } from '../../src/mock/server.js';
import { createProvider } from '../../src/providers/create-provider.js';
import type { Provider } from '../../src/providers/types.js';
import type { RunEvent } from '../../src/run/events.js';
import { RunControl } from '../../src/run/run-control.js';
import { runJob } from '../../src/run/run-job.js';
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

const baseFlags = { onBadItem: 'fail', concurrency: 4, maxRetries: 2, timeout: 10, maxWait: 60, mode: 'realtime', cache: false, progressInterval: 1 } as const;

async function resolve(input: string, output: string, extra: Record<string, unknown> = {}) {
  return resolveRunConfig(input, { ...baseFlags, prompt: 'Describe {{name}}: {{description}}', model: 'gpt-4o-mini', output, ...extra }, {
    env: openaiEnv(server),
    homedir: temp.dir,
    args: ['run', input, '-o', output],
  });
}

async function run(input: string, output: string, options: { extra?: Record<string, unknown>; writeText?: (fd: number, text: string) => number; provider?: () => Promise<Provider> } = {}) {
  const { config, template, provider } = await resolve(input, output, options.extra);
  const events: RunEvent[] = [];
  const summary = await runJob(config, template, {
    emit: (event) => events.push(event),
    control: new RunControl(),
    createProvider: options.provider ?? (() => createProvider(provider, { connections: 4, timeoutMs: 10_000 })),
    writeText: options.writeText,
  });
  return { summary, events };
}

/** A disk with room for `lines` more journal lines, then ENOSPC (after writing half of the next line). */
function diskWithRoomFor(lines: number): (fd: number, text: string) => number {
  let left = lines;
  return (fd, text) => {
    if (left-- > 0) return fs.writeSync(fd, text);
    fs.writeSync(fd, text.slice(0, Math.floor(text.length / 2)));
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 });
  };
}

describe('faults of the machine, in process (an injected writer: works without root)', () => {
  it('disk full while writing results: stops with output-error (exit 74) naming the file; --resume completes, nothing lost or doubled', async () => {
    const input = join(temp.dir, 'disk-items.jsonl');
    writeItems(input, 60);
    const out = join(temp.dir, 'disk-out.jsonl');
    const { summary } = await run(input, out, { writeText: diskWithRoomFor(20) });
    expect(summary.stop).toBe('output-error');
    expect(exitCodeForRun(summary.stop, summary.failed)).toBe(EXIT.outputError);
    expect(summary.fatalMessage).toContain(`cannot write ${out}: no space left on the device (ENOSPC)`);
    expect(summary.resumeCommand).toContain('--resume');

    const resumed = await run(input, out, { extra: { resume: true } });
    expect(resumed.summary.stop).toBe('completed');
    const ids = readResults(out).map((record) => record.id);
    expect(ids).toHaveLength(60);
    expect(new Set(ids).size).toBe(60);
  });

  it('an unexpected error inside the engine: the run rejects with it (exit 70), and the state file is still written', async () => {
    const input = join(temp.dir, 'bug-items.jsonl');
    writeItems(input, 5);
    const out = join(temp.dir, 'bug-out.jsonl');
    // A completion no serializer can write: the kind of bug that used to become an unhandled rejection.
    const buggy = async (): Promise<Provider> => ({
      id: 'openai',
      baseUrl: 'x',
      complete: async () => ({
        completion: { text: 'ok', finishReason: 'stop', truncated: false, model: 10n as unknown as string, usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 } },
        headers: {},
        status: 200,
      }),
      close: async () => undefined,
    });
    const failure = await run(input, out, { provider: buggy }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect(exitCodeForError(failure)).toBe(EXIT.internal);
    const state = JSON.parse(readFileSync(out.replace(/\.jsonl$/, '.state.json'), 'utf8'));
    expect(state.totals).toBeDefined();
    expect(state.updatedAt).toBeDefined();
  });
});
