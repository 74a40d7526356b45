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
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ pid: 4242, host: 'box', startedAt: '2025-05-01T10:00:00.000Z' });
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
});
