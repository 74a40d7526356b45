import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { mockAnswer, lastUserText } from '../../src/mock/answer.js';
import { startMockServer, type MockServer } from '../../src/mock/server.js';
import type { MockConfigPatch, MockServerOptions } from '../../src/mock/options.js';
import { loadTemplate } from '../../src/template/load-template.js';
import type { ResultRecord, FailureRecord } from '../../src/journal/records.js';
import { makeTempDir } from './cli.js';

export const TEST_KEY = 'sk-test-e2e-0123456789abcdef';

/** A mock server on 127.0.0.1:0 that accepts only TEST_KEY. */
export function startServer(options: MockServerOptions = {}): Promise<MockServer> {
  return startMockServer({ apiKey: TEST_KEY, ...options });
}

/** What an end-to-end file shares: one mock server, and a temporary folder per test. */
export interface E2eContext {
  /** The file's mock server (started before its first test, closed after its last). */
  readonly server: MockServer;
  /** This test's temporary folder: made on first use, removed after the test. */
  dir(): string;
}

/**
 * The set-up every end-to-end file needs: a mock server on 127.0.0.1:0 accepting only TEST_KEY for the
 * whole file, and a fresh temporary folder per test. After each test the folder is removed, the server's
 * stats are reset and `restore` (what tests may have changed with `configure`) is applied. Call it at the
 * top level of the test file.
 */
export function useMockServer(options: MockServerOptions = {}, restore?: MockConfigPatch): E2eContext {
  let server: MockServer | undefined;
  let temp: ReturnType<typeof makeTempDir> | undefined;
  beforeAll(async () => {
    server = await startServer(options);
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(() => {
    temp?.cleanup();
    temp = undefined;
    if (restore) server?.configure(restore);
    server?.resetStats();
  });
  return {
    get server() {
      if (server === undefined) throw new Error('useMockServer: the server starts in beforeAll; use it inside a test');
      return server;
    },
    dir() {
      temp ??= makeTempDir();
      return temp.dir;
    },
  };
}

/** Env for the OpenAI wire against `server`. */
export function openaiEnv(server: MockServer, extra: Record<string, string> = {}): Record<string, string> {
  return { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: `${server.url}/v1`, ...extra };
}

/** Env for the Anthropic wire against `server`. */
export function anthropicEnv(server: MockServer, extra: Record<string, string> = {}): Record<string, string> {
  return { ANTHROPIC_API_KEY: TEST_KEY, ANTHROPIC_BASE_URL: server.url, ...extra };
}

export function readJsonl<T = Record<string, unknown>>(path: string): T[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

export const readResults = (path: string) => readJsonl<ResultRecord>(path);
export const readFailures = (path: string) => readJsonl<FailureRecord>(path);

/** Write `count` JSONL items `{id, name, description}` with distinct texts; optional markers per item. */
export function writeItems(path: string, count: number, marker: (i: number) => string = () => ''): Array<{ id: string; name: string; description: string }> {
  const items = Array.from({ length: count }, (_, i) => ({
    id: `item-${i + 1}`,
    name: `Product ${i + 1}`,
    description: `A distinct description number ${i + 1}${marker(i + 1)}`,
  }));
  writeFileSync(path, items.map((item) => JSON.stringify(item)).join('\n') + '\n');
  return items;
}

/** The answer the mock gives to `data` rendered through `templatePath`: what the output must be. */
export async function expectedAnswers(
  templatePath: string,
  rows: Array<Record<string, unknown>>,
  idOf: (row: Record<string, unknown>, index: number) => string = (row) => String(row.id),
): Promise<Map<string, { text: string; prompt: string }>> {
  const template = await loadTemplate({ file: templatePath });
  const expected = new Map<string, { text: string; prompt: string }>();
  for (const [index, row] of rows.entries()) {
    const messages = await template.render(row);
    const request = { messages, params: { model: 'any', extra: {} } };
    expected.set(idOf(row, index), { text: mockAnswer(request).text, prompt: lastUserText(messages) });
  }
  return expected;
}

/** The prompt text the mock keys its per-prompt counters by. */
export async function promptsOf(templatePath: string, rows: Array<Record<string, unknown>>): Promise<string[]> {
  const template = await loadTemplate({ file: templatePath });
  const prompts: string[] = [];
  for (const row of rows) prompts.push(lastUserText(await template.render(row)));
  return prompts;
}
