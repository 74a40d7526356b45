import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { acquireOutputLock } from '../../src/journal/output-lock.js';
import { useTempDir } from './temp-dir.js';

const tempDir = useTempDir();
const NOW = Date.parse('2025-05-01T10:00:00.000Z');
const now = () => NOW;

function writeLock(file: string, content: object): void {
  fs.writeFileSync(file, JSON.stringify(content));
}

describe('acquireOutputLock', () => {
  it('creates the lock with pid, host and start time, and removes it on release', async () => {
    const file = path.join(tempDir(), 'out.lock');
    const lock = await acquireOutputLock(file, { pid: 4242, now, host: 'box' });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({
      pid: 4242,
      host: 'box',
      startedAt: '2025-05-01T10:00:00.000Z',
      heartbeatAt: '2025-05-01T10:00:00.000Z',
    });
    await lock.release();
    expect(fs.existsSync(file)).toBe(false);
    await lock.release();
  });

  it('refuses while the holder is alive on this host, naming pid, start, output and lock', async () => {
    const file = path.join(tempDir(), 'out.lock');
    writeLock(file, { pid: 1111, host: 'box', startedAt: '2025-05-01T09:00:00.000Z' });
    const attempt = acquireOutputLock(file, { pid: 2222, now, host: 'box', outputPath: 'out.jsonl', isAlive: () => true });
    await expect(attempt).rejects.toBeInstanceOf(UsageError);
    await expect(attempt).rejects.toThrow(
      `another llm-batch run (pid 1111, started 2025-05-01T09:00:00.000Z) is writing out.jsonl; wait for it or remove ${file} if it crashed`,
    );
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).pid).toBe(1111);
  });

  it('refuses a real live process (this one) using the default liveness check', async () => {
    const file = path.join(tempDir(), 'out.lock');
    writeLock(file, { pid: process.pid, host: os.hostname(), startedAt: 'earlier' });
    await expect(acquireOutputLock(file, { pid: process.pid + 1 })).rejects.toThrow(/pid \d+, started earlier/);
  });

  it('takes over a lock whose pid is dead (kill -9)', async () => {
    const file = path.join(tempDir(), 'out.lock');
    const dead = 2 ** 22 + 12345; // above Linux's pid_max default, so no such process
    writeLock(file, { pid: dead, host: os.hostname(), startedAt: '2025-05-01T09:00:00.000Z' });
    const lock = await acquireOutputLock(file, { now });
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).pid).toBe(process.pid);
    lock.releaseSync();
    expect(fs.existsSync(file)).toBe(false);
  });

  it('takes over a lock left by a previous life of its own pid (containers reuse pid 1)', async () => {
    const file = path.join(tempDir(), 'out.lock');
    writeLock(file, { pid: 1, host: 'box', startedAt: 'yesterday' });
    const lock = await acquireOutputLock(file, { pid: 1, now, host: 'box', isAlive: () => true });
    await expect(acquireOutputLock(file, { pid: 1, now, host: 'box' })).rejects.toThrow(/pid 1, started 2025/);
    await lock.release();
  });

  it('refuses a lock from another host, whose pid cannot be checked', async () => {
    const file = path.join(tempDir(), 'out.lock');
    writeLock(file, { pid: 1111, host: 'other', startedAt: 'then' });
    await expect(acquireOutputLock(file, { pid: 2, now, host: 'box', isAlive: () => false })).rejects.toThrow(
      /pid 1111 on other, started then/,
    );
  });

  it('treats an empty lock as being written unless it is old', async () => {
    const file = path.join(tempDir(), 'out.lock');
    fs.writeFileSync(file, '');
    const mtime = fs.statSync(file).mtimeMs;
    await expect(acquireOutputLock(file, { now: () => mtime + 1000 })).rejects.toThrow(/starting right now/);
    const lock = await acquireOutputLock(file, { now: () => mtime + 60_000 });
    await lock.release();
  });

  it('does not remove a lock that another run took over', async () => {
    const file = path.join(tempDir(), 'out.lock');
    const lock = await acquireOutputLock(file, { pid: 10, now, host: 'box' });
    writeLock(file, { pid: 11, host: 'box', startedAt: 'later' });
    await lock.release();
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).pid).toBe(11);
  });

  it('refreshes its heartbeat while held, and stops once released', async () => {
    const file = path.join(tempDir(), 'out.lock');
    let clock = NOW;
    const lock = await acquireOutputLock(file, { pid: 7, now: () => clock, host: 'box', heartbeatMs: 10 });
    clock = NOW + 30_000;
    await expect.poll(() => JSON.parse(fs.readFileSync(file, 'utf8')).heartbeatAt, { timeout: 5_000 }).toBe('2025-05-01T10:00:30.000Z');
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).startedAt).toBe('2025-05-01T10:00:00.000Z');
    await lock.release();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.readdirSync(path.dirname(file))).toEqual([]);
  });

  it('stops beating into a lock that another run took over', async () => {
    const file = path.join(tempDir(), 'out.lock');
    const lock = await acquireOutputLock(file, { pid: 7, now, host: 'box', heartbeatMs: 10 });
    writeLock(file, { pid: 8, host: 'other', startedAt: 'later', heartbeatAt: 'later' });
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).pid).toBe(8);
    await lock.release();
  });

  it('refuses another host whose heartbeat is recent, saying when it was last alive and what --force does', async () => {
    const file = path.join(tempDir(), 'out.lock');
    writeLock(file, { pid: 1111, host: 'other', startedAt: '2025-05-01T09:00:00.000Z', heartbeatAt: '2025-05-01T09:59:30.000Z' });
    const attempt = acquireOutputLock(file, { pid: 2, now, host: 'box', outputPath: 'out.jsonl' });
    await expect(attempt).rejects.toThrow(
      'another llm-batch run (pid 1111 on other, started 2025-05-01T09:00:00.000Z, last alive 30 s ago) is writing out.jsonl',
    );
    const error = (await attempt.catch((caught: unknown) => caught)) as UsageError;
    expect(error.details.join('\n')).toMatch(/taken over once its heartbeat is 120 s old; --force takes it over now/);
  });

  it('takes over a lock from another host whose heartbeat is older than the staleness period, with a warning', async () => {
    const file = path.join(tempDir(), 'out.lock');
    writeLock(file, { pid: 1111, host: 'other', startedAt: '2025-05-01T09:00:00.000Z', heartbeatAt: '2025-05-01T09:57:00.000Z' });
    const warnings: string[] = [];
    const lock = await acquireOutputLock(file, { pid: 2, now, host: 'box', outputPath: 'out.jsonl', onTakeover: (m) => warnings.push(m) });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ pid: 2, host: 'box' });
    expect(warnings).toEqual([
      'took over the lock of out.jsonl from a run that stopped its heartbeat (pid 1111 on other, started ' +
        '2025-05-01T09:00:00.000Z, last alive 180 s ago); a lock from another host is stale after 120 s of silence',
    ]);
    await lock.release();
  });

  it('judges a lock without a heartbeat (older versions) by its file age', async () => {
    const file = path.join(tempDir(), 'out.lock');
    writeLock(file, { pid: 1111, host: 'other', startedAt: 'then' });
    const mtime = fs.statSync(file).mtimeMs;
    await expect(acquireOutputLock(file, { pid: 2, now: () => mtime + 60_000, host: 'box' })).rejects.toThrow(/pid 1111 on other/);
    const lock = await acquireOutputLock(file, { pid: 2, now: () => mtime + 121_000, host: 'box' });
    await lock.release();
  });

  it('--force takes over a live lock and says what that breaks', async () => {
    const file = path.join(tempDir(), 'out.lock');
    writeLock(file, { pid: 1111, host: 'box', startedAt: '2025-05-01T09:00:00.000Z', heartbeatAt: '2025-05-01T09:59:50.000Z' });
    const warnings: string[] = [];
    const lock = await acquireOutputLock(file, {
      pid: 2,
      now,
      host: 'box',
      outputPath: 'out.jsonl',
      isAlive: () => true,
      force: true,
      onTakeover: (m) => warnings.push(m),
    });
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).pid).toBe(2);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('--force: took over the lock of out.jsonl from a run that may still be going (pid 1111, started');
    expect(warnings[0]).toContain('last alive 10 s ago');
    expect(warnings[0]).toContain('items can be answered (and paid) twice, and the last to finish overwrites the state file');
    await lock.release();
  });
});
