import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveRunConfig } from '../../src/cli/resolve-run-config.js';
import type { RunFlags } from '../../src/cli/run-options.js';
import { makeTempDir } from '../helpers/cli.js';

const KEYS = { OPENAI_API_KEY: 'sk-test', ANTHROPIC_API_KEY: 'sk-ant-test' };

const flags = (extra: Partial<RunFlags>): RunFlags => ({
  prompt: 'Say {{name}}',
  onBadItem: 'fail',
  concurrency: 4,
  maxRetries: 2,
  timeout: 30,
  maxWait: 60,
  mode: 'realtime',
  cache: false,
  progressInterval: 10,
  ...extra,
});

let temp: ReturnType<typeof makeTempDir> | undefined;
afterEach(() => temp?.cleanup());

function schemaFile(schema: unknown): string {
  temp = makeTempDir();
  const path = join(temp.dir, 'schema.json');
  writeFileSync(path, JSON.stringify(schema));
  return path;
}

const resolve = (extra: Partial<RunFlags>) => resolveRunConfig('items.jsonl', flags(extra), { env: KEYS, homedir: '/tmp', args: [] });

describe('resolveRunConfig: request parameters and schemas per provider', () => {
  it('maps --param to the provider’s wire names', async () => {
    const anthropic = await resolve({ model: 'claude-haiku-4-5', param: { stopSequences: ['END'], topK: 5 } });
    expect(anthropic.config.params.extra).toEqual({ stop_sequences: ['END'], top_k: 5 });
    const openai = await resolve({ model: 'gpt-4o-mini', param: { stopSequences: ['END'] } });
    expect(openai.config.params.extra).toEqual({ stop: ['END'] });
  });

  it('warns once when OpenAI strict mode cannot express the schema', async () => {
    const schema = { type: 'object', properties: { tags: { type: 'array', items: { type: 'string' }, uniqueItems: true } }, required: ['tags'] };
    const resolved = await resolve({ model: 'gpt-4o-mini', schema: schemaFile(schema) });
    expect(resolved.warnings).toEqual([expect.stringMatching(/^the schema is sent with strict: false because .*`\/properties\/tags` uses `uniqueItems`/)]);
    expect((await resolve({ model: 'claude-haiku-4-5', schema: schemaFile(schema) })).warnings).toEqual([]);
  });

  it('wraps a non-object schema root for the wire', async () => {
    const resolved = await resolve({ model: 'claude-haiku-4-5', schema: schemaFile({ type: 'string', enum: ['a', 'b'] }) });
    expect(resolved.config.params.schema).toEqual({
      name: 'answer',
      schema: { type: 'object', properties: { value: { type: 'string', enum: ['a', 'b'] } }, required: ['value'], additionalProperties: false },
      unwrap: 'value',
    });
  });
});
