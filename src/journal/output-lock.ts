import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors.js';

/** Options for {@link acquireOutputLock}. */
export interface OutputLockOptions {
  /**
   * The pid written into the lock.
   * @default process.pid
   */
  pid?: number;
  /**
   * Clock for `startedAt` and for judging a half-written lock.
   * @default Date.now
   */
  now?: () => number;
  /**
   * This machine's name: a pid is only meaningful on the host that wrote it.
   * @default os.hostname()
   */
  host?: string;
  /**
   * The output named in the refusal message.
   * @default the lock path
   */
  outputPath?: string;
  /**
   * Whether a pid is running here.
   * @default signal 0 via process.kill: ESRCH means gone
   */
  isAlive?: (pid: number) => boolean;
}

/** A held lock; release it when the run ends (also on SIGINT). */
export interface OutputLock {
  readonly path: string;
  release(): Promise<void>;
  /** For `process.on('exit')`, where nothing asynchronous runs. */
  releaseSync(): void;
}

interface LockContent {
  pid: number;
  host: string;
  startedAt: string;
}

/** A lock that is still empty this long after its creation was left by a crash between create and write. */
const HALF_WRITTEN_GRACE_MS = 5_000;
/** A stale lock can be raced for by another run; after this many rounds we give up instead of looping. */
const TAKEOVER_ATTEMPTS = 3;

/** Locks this process holds, so a pid equal to ours is told apart from a previous life of our pid. */
const heldHere = new Set<string>();

/**
 * Takes the output's lock (SPEC §6): created exclusively with `{pid, host, startedAt}`. A lock whose pid is
 * dead on this host (kill -9, power loss) is taken over; a live one is refused with a UsageError.
 */
export async function acquireOutputLock(lockPath: string, options: OutputLockOptions = {}): Promise<OutputLock> {
  const pid = options.pid ?? process.pid;
  const now = options.now ?? Date.now;
  const host = options.host ?? os.hostname();
  const isAlive = options.isAlive ?? isPidAlive;
  const key = path.resolve(lockPath);
  const mine: LockContent = { pid, host, startedAt: new Date(now()).toISOString() };

  for (let attempt = 0; attempt < TAKEOVER_ATTEMPTS; attempt += 1) {
    if (createExclusive(lockPath, mine)) {
      heldHere.add(key);
      return heldLock(lockPath, key, mine);
    }
    const holder = readHolder(lockPath);
    if (holder === 'gone') continue;
    if (holder === 'unreadable') {
      if (now() - mtimeOf(lockPath) < HALF_WRITTEN_GRACE_MS) throw refusal(lockPath, options.outputPath);
    } else if (holderIsRunning(holder, mine, key, isAlive)) {
      throw refusal(lockPath, options.outputPath, holder, host);
    }
    fs.rmSync(lockPath, { force: true });
  }
  throw new UsageError(`could not take the lock ${lockPath}: another run keeps taking it over`);
}

function holderIsRunning(
  holder: LockContent,
  mine: LockContent,
  key: string,
  isAlive: (pid: number) => boolean,
): boolean {
  // Another host's pid cannot be checked from here: assume it is running.
  if (holder.host !== mine.host) return true;
  // Our own pid in a lock we do not hold: a previous container/process life that reused the pid.
  if (holder.pid === mine.pid) return heldHere.has(key);
  return isAlive(holder.pid);
}

function createExclusive(lockPath: string, content: LockContent): boolean {
  let fd: number;
  try {
    fd = fs.openSync(lockPath, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    fs.writeSync(fd, JSON.stringify(content) + '\n');
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

function readHolder(lockPath: string): LockContent | 'gone' | 'unreadable' {
  let text: string;
  try {
    text = fs.readFileSync(lockPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  try {
    const content = JSON.parse(text) as Partial<LockContent>;
    if (typeof content.pid === 'number' && typeof content.host === 'string') {
      return { pid: content.pid, host: content.host, startedAt: String(content.startedAt ?? 'at an unknown time') };
    }
  } catch {
    // Fall through: an empty or half-written lock.
  }
  return 'unreadable';
}

function mtimeOf(lockPath: string): number {
  try {
    return fs.statSync(lockPath).mtimeMs;
  } catch {
    return 0;
  }
}

function heldLock(lockPath: string, key: string, mine: LockContent): OutputLock {
  const stillMine = (): boolean => {
    const holder = readHolder(lockPath);
    return typeof holder === 'object' && holder.pid === mine.pid && holder.startedAt === mine.startedAt;
  };
  const releaseSync = (): void => {
    if (!heldHere.has(key)) return;
    heldHere.delete(key);
    // Never remove a lock that someone took over after deciding ours was stale.
    if (stillMine()) fs.rmSync(lockPath, { force: true });
  };
  return { path: lockPath, releaseSync, release: async () => releaseSync() };
}

function refusal(
  lockPath: string,
  outputPath: string | undefined,
  holder?: LockContent,
  ourHost?: string,
): UsageError {
  const out = outputPath ?? lockPath;
  const where = holder === undefined || holder.host === ourHost ? '' : ` on ${holder.host}`;
  const who =
    holder === undefined
      ? 'another llm-batch run (starting right now)'
      : `another llm-batch run (pid ${holder.pid}${where}, started ${holder.startedAt})`;
  return new UsageError(`${who} is writing ${out}; wait for it or remove ${lockPath} if it crashed`);
}

/** Signal 0 checks existence: ESRCH means no such process; EPERM means it exists under another user. */
function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
