import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { diffFingerprint, fingerprintInput, INPUT_HEAD_BYTES, type RunFingerprint } from '../../src/journal/fingerprint.js';
import { emptyStateTotals, readState, writeStateAtomic, type RunState } from '../../src/journal/state-file.js';
import { useTempDir } from './temp-dir.js';

const tempDir = useTempDir();

function fingerprint(overrides: Partial<RunFingerprint> = {}): RunFingerprint {
  return {
    input: { path: 'items.jsonl', size: 1000, headHash: 'aaa', headBytes: 1000 },
    templateHash: '0123456789abcdef0123',
    model: 'gpt-4o-mini',
    provider: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    params: { temperature: 0, max_tokens: 256 },
    mode: 'realtime',
    ...overrides,
  };
}

function state(): RunState {
  return {
    version: 1,
    fingerprint: fingerprint(),
    batches: [
      {
        id: 'batch_1',
        provider: 'openai',
        status: 'in_progress',
        createdAt: '2025-05-01T10:00:00.000Z',
        customIdMap: { 'r-1': 'item 1' },
        inputFileId: 'file-1',
        itemCount: 1,
      },
    ],
    totals: { ...emptyStateTotals(), succeeded: 3, costUsd: 0.25 },
    updatedAt: '2025-05-01T10:00:00.000Z',
  };
}

describe('state file', () => {
  it('round-trips through an atomic write with mode 0600 and leaves no temp files', async () => {
    const file = path.join(tempDir(), 'out.state.json');
    await writeStateAtomic(file, state());
    const second = { ...state(), updatedAt: '2025-05-01T11:00:00.000Z' };
    await writeStateAtomic(file, second);
    expect(await readState(file)).toEqual(second);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(tempDir())).toEqual(['out.state.json']);
  });

  it('reads a missing state as undefined', async () => {
    expect(await readState(path.join(tempDir(), 'none.state.json'))).toBeUndefined();
  });

  it.each([
    ['damaged JSON', '{"version":1,'],
    ['another version', JSON.stringify({ ...state(), version: 2 })],
    ['not a state', '[]'],
  ])('refuses %s with a usage error', async (_name, text) => {
    const file = path.join(tempDir(), 'out.state.json');
    fs.writeFileSync(file, text);
    await expect(readState(file)).rejects.toBeInstanceOf(UsageError);
  });

  it('keeps the old state when the write fails', async () => {
    const file = path.join(tempDir(), 'out.state.json');
    await writeStateAtomic(file, state());
    const circular = state() as RunState & { self?: unknown };
    circular.self = circular;
    await expect(writeStateAtomic(file, circular)).rejects.toThrow();
    expect(await readState(file)).toEqual(state());
    expect(fs.readdirSync(tempDir())).toEqual(['out.state.json']);
  });
});

describe('fingerprintInput', () => {
  it('hashes at most the first 64 KiB and compares a grown small file over its old bytes', async () => {
    const file = path.join(tempDir(), 'items.jsonl');
    fs.writeFileSync(file, '{"id":1}\n');
    const small = await fingerprintInput(file);
    expect(small).toMatchObject({ path: file, size: 9, headBytes: 9 });

    fs.appendFileSync(file, '{"id":2}\n');
    const grown = await fingerprintInput(file, { headBytes: small.headBytes });
    expect(grown).toMatchObject({ size: 18, headBytes: 9, headHash: small.headHash });
    expect(diffFingerprint(fingerprint({ input: small }), fingerprint({ input: grown }))).toEqual([]);

    const naive = await fingerprintInput(file);
    expect(diffFingerprint(fingerprint({ input: small }), fingerprint({ input: naive }))[0]).toMatch(/cannot compare/);

    fs.writeFileSync(file, 'x'.repeat(INPUT_HEAD_BYTES + 10));
    expect((await fingerprintInput(file)).headBytes).toBe(INPUT_HEAD_BYTES);
  });

  it('gives stdin an empty fingerprint', async () => {
    expect(await fingerprintInput('-')).toEqual({ path: '-', size: 0, headHash: '', headBytes: 0 });
  });
});

describe('diffFingerprint', () => {
  const input = fingerprint().input;
  it.each<[string, Partial<RunFingerprint>, string[]]>([
    ['nothing', {}, []],
    ['model', { model: 'gpt-4o' }, ['model: gpt-4o-mini → gpt-4o']],
    ['template', { templateHash: 'fedcba9876543210' }, ['template: 0123456789ab → fedcba987654']],
    ['provider and base URL', { provider: 'anthropic', baseUrl: 'https://api.anthropic.com' }, [
      'provider: openai → anthropic',
      'base URL: https://api.openai.com/v1 → https://api.anthropic.com',
    ]],
    ['mode', { mode: 'batch' }, ['mode: realtime → batch']],
    ['params', { params: { temperature: 0.7, top_p: 0.9 } }, [
      'params.max_tokens: 256 → (unset)',
      'params.temperature: 0 → 0.7',
      'params.top_p: (unset) → 0.9',
    ]],
    ['nested params equal', { params: { temperature: 0, max_tokens: 256 } }, []],
    ['appended rows', { input: { ...input, size: 5000 } }, []],
    ['moved file, same content', { input: { ...input, path: '/elsewhere/items.jsonl' } }, []],
    ['different file', { input: { ...input, headHash: 'bbb' } }, ['input: a different file (its first 1000 bytes changed)']],
    ['shrunk file', { input: { ...input, size: 900, headBytes: 900, headHash: 'ccc' } }, ['input: shrank from 1000 to 900 bytes']],
    ['stdin vs file', { input: { path: '-', size: 0, headHash: '', headBytes: 0 } }, ['input: items.jsonl → -']],
  ])('%s', (_name, change, lines) => {
    expect(diffFingerprint(fingerprint(), fingerprint(change))).toEqual(lines);
  });

  it('compares nested params by value', () => {
    const schema = { params: { schema: { type: 'object', required: ['a'] } } };
    expect(diffFingerprint(fingerprint(schema), fingerprint(structuredClone(schema)))).toEqual([]);
    expect(diffFingerprint(fingerprint(schema), fingerprint({ params: { schema: { type: 'object' } } }))).toEqual([
      'params.schema: {"type":"object","required":["a"]} → {"type":"object"}',
    ]);
  });
});
