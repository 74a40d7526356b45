import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JournalWriter } from '../../src/journal/journal-writer.js';
import { useTempDir } from './temp-dir.js';

const tempDir = useTempDir();

afterEach(() => {
  vi.restoreAllMocks();
});

describe('JournalWriter', () => {
  it('writes each record as exactly one writeSync of one complete line', () => {
    const file = path.join(tempDir(), 'out.jsonl');
    const writer = JournalWriter.open(file);
    const writes = vi.spyOn(fs, 'writeSync');
    const records = [
      { id: 'a', output: 'line\nbreak inside a string', cost_usd: 0.1 },
      { id: 'b', output: 'ünïcödé ✓ 日本語', parsed: { nested: [1, 2] } },
      { id: 'c', output: 'x'.repeat(100_000) },
    ];
    for (const record of records) writer.append(record);
    expect(writes).toHaveBeenCalledTimes(records.length);
    for (const call of writes.mock.calls) {
      const text = String(call[1]);
      expect(text.endsWith('\n')).toBe(true);
      expect(text.indexOf('\n')).toBe(text.length - 1);
    }
    writer.close();

    const lines = fs.readFileSync(file, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => JSON.parse(line))).toEqual(records);
  });

  it('appends to an existing file and creates new ones with the given mode', () => {
    const file = path.join(tempDir(), 'state-like.jsonl');
    const first = JournalWriter.open(file, { mode: 0o600 });
    first.append({ id: '1' });
    first.close();
    const second = JournalWriter.open(file);
    second.append({ id: '2' });
    second.close();
    expect(fs.readFileSync(file, 'utf8')).toBe('{"id":"1"}\n{"id":"2"}\n');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('fsyncs inline once the interval has passed, on flush and on close', () => {
    let clock = 0;
    const writer = JournalWriter.open(path.join(tempDir(), 'out.jsonl'), { fsyncIntervalMs: 1000, now: () => clock });
    writer.append({ id: '1' });
    clock = 999;
    writer.append({ id: '2' });
    expect(writer.syncCount).toBe(0);
    clock = 1000;
    writer.append({ id: '3' });
    expect(writer.syncCount).toBe(1);
    writer.flush();
    expect(writer.syncCount).toBe(2);
    writer.append({ id: '4' });
    writer.close();
    expect(writer.syncCount).toBe(3);
    expect(writer.lineCount).toBe(4);
    expect(() => writer.append({ id: '5' })).toThrow(/closed/);
  });

  it('fsyncs from its timer when appends stop', async () => {
    const writer = JournalWriter.open(path.join(tempDir(), 'out.jsonl'), { fsyncIntervalMs: 20 });
    writer.append({ id: '1' });
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(writer.syncCount).toBeGreaterThanOrEqual(1);
    writer.close();
  });

  it('writes stdout lines on fd 1 without fsync, finishing short writes and EAGAIN', () => {
    const chunks: string[] = [];
    let calls = 0;
    vi.spyOn(fs, 'writeSync').mockImplementation(((fd: number, data: string | Buffer, offset?: number) => {
      expect(fd).toBe(1);
      calls += 1;
      if (calls === 2) throw Object.assign(new Error('busy'), { code: 'EAGAIN' });
      const bytes = typeof data === 'string' ? Buffer.from(data) : data.subarray(offset ?? 0);
      // The first call takes only 5 bytes, like a full pipe would.
      const taken = calls === 1 ? 5 : bytes.length;
      chunks.push(bytes.subarray(0, taken).toString());
      return taken;
    }) as typeof fs.writeSync);
    const fsync = vi.spyOn(fs, 'fsyncSync');
    const writer = JournalWriter.stdout();
    writer.append({ id: 'a', output: 'hello' });
    writer.flush();
    writer.close();
    expect(chunks.join('')).toBe('{"id":"a","output":"hello"}\n');
    expect(fsync).not.toHaveBeenCalled();
  });
});
