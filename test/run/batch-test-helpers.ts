/** Shared set-up for the batch-mode engine tests: config, input files, reading the output back. */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FailureRecord, ResultRecord } from '../../src/journal/records.js';
import type { RunState } from '../../src/journal/state-file.js';
import type { MockServer } from '../../src/mock/server.js';
import type { RunEvent } from '../../src/run/events.js';
import type { RunConfig } from '../../src/run/run-config.js';
import { RunControl } from '../../src/run/run-control.js';
import type { BatchRunDeps } from '../../src/run/run-batch-job.js';

export const MODELS = { openai: 'gpt-4o-mini', anthropic: 'claude-haiku-4-5' } as const;

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'llm-batch-batch-'));
}

/** Write `items` as JSONL and return its path. */
export function writeItems(dir: string, items: Array<Record<string, unknown>>, name = 'items.jsonl'): string {
  const path = join(dir, name);
  writeFileSync(path, items.map((item) => JSON.stringify(item)).join('\n') + '\n');
  return path;
}

/** `count` items `{id, text}`; the ones listed in `bad` carry the `[[fault:400]]` marker. */
export function numberedItems(count: number, bad: number[] = []): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) => ({ id: `item-${i + 1}`, text: `Describe product number ${i + 1}${bad.includes(i + 1) ? ' [[fault:400]]' : ''}` }));
}

export function batchConfig(server: MockServer, provider: 'openai' | 'anthropic', input: string, output: string, overrides: Partial<RunConfig> = {}): RunConfig {
  return {
    input: { path: input, format: 'jsonl' },
    output,
    resume: false,
    overwrite: false,
    force: false,
    skipFailed: false,
    onBadItem: 'fail',
    template: { inline: '{{text}}' },
    provider,
    baseUrl: provider === 'openai' ? `${server.url}/v1` : server.url,
    apiKey: 'test-key',
    params: { model: MODELS[provider], maxTokens: 100, extra: {} },
    mode: 'batch',
    concurrency: 16,
    maxRetries: 2,
    timeoutMs: 10_000,
    maxWaitMs: 60_000,
    prices: {},
    maxInvalidOutputRetries: 2,
    resumeCommand: `llm-batch run ${input} -o ${output} --mode batch --resume`,
    ...overrides,
  };
}

/** Deps with fast polling; `onEvent` sees every event (and may stop the run). */
export function batchDeps(onEvent?: (event: RunEvent, control: RunControl) => void, extra: Partial<BatchRunDeps> = {}): BatchRunDeps & { events: RunEvent[] } {
  const control = new RunControl();
  const events: RunEvent[] = [];
  return {
    emit: (event) => {
      events.push(event);
      onEvent?.(event, control);
    },
    control,
    pollIntervalMs: { min: 10, max: 40 },
    progressTickMs: 60_000,
    events,
    ...extra,
  };
}

function readLines<T>(path: string): T[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as T);
}

export function readResults(output: string): ResultRecord[] {
  return readLines<ResultRecord>(output);
}

export function readFailures(output: string): FailureRecord[] {
  return readLines<FailureRecord>(output.replace(/\.jsonl$/, '.failed.jsonl'));
}

export function readStateFile(output: string): RunState {
  return JSON.parse(readFileSync(output.replace(/\.jsonl$/, '.state.json'), 'utf8')) as RunState;
}
