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
  /**
   * How often the holder rewrites its heartbeat.
   * @default 10 s ({@link LOCK_HEARTBEAT_MS})
   */
  heartbeatMs?: number;
  /**
   * Take over a lock even when its holder looks alive (`--force`); the warning says what that breaks.
   * @default false
   */
  force?: boolean;
  /** Told when a lock is taken over from another holder, with what that means. */
  onTakeover?: (message: string) => void;
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
  /** When the holder last said it was alive; rewritten every {@link LOCK_HEARTBEAT_MS}. */
  heartbeatAt: string;
}

/** The holder rewrites `heartbeatAt` this often (README, Resume). */
export const LOCK_HEARTBEAT_MS = 10_000;
/**
 * A lock from another host whose heartbeat is older than this is taken over: its pid cannot be checked from
 * here, and twelve missed heartbeats leave no doubt that its holder died (host clocks must agree within a
 * minute or so).
 */
export const LOCK_STALE_MS = 120_000;

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
  const startedAt = new Date(now()).toISOString();
  const mine: LockContent = { pid, host, startedAt, heartbeatAt: startedAt };

  for (let attempt = 0; attempt < TAKEOVER_ATTEMPTS; attempt += 1) {
    if (createExclusive(lockPath, mine)) {
      heldHere.add(key);
      return heldLock(lockPath, key, mine, now, options.heartbeatMs ?? LOCK_HEARTBEAT_MS);
    }
    const holder = readHolder(lockPath);
    if (holder === 'gone') continue;
    const out = options.outputPath ?? lockPath;
    if (holder === 'unreadable') {
      if (now() - mtimeOf(lockPath) < HALF_WRITTEN_GRACE_MS && !options.force) throw refusal(lockPath, out);
    } else {
      const verdict = judgeHolder(holder, mine, key, isAlive, now() - heartbeatOf(holder, lockPath));
      if (verdict === 'running' && !options.force) throw refusal(lockPath, out, holder, host, now());
      if (verdict === 'running') options.onTakeover?.(forcedMessage(holder, out, now(), host));
      else if (verdict === 'stale') options.onTakeover?.(staleMessage(holder, out, now(), host));
    }
    fs.rmSync(lockPath, { force: true });
  }
  throw new UsageError(`could not take the lock ${lockPath}: another run keeps taking it over`);
}

/**
 * `dead`: its pid is gone from this host; `stale`: another host's holder stopped its heartbeat long ago;
 * `running`: otherwise.
 */
function judgeHolder(
  holder: LockContent,
  mine: LockContent,
  key: string,
  isAlive: (pid: number) => boolean,
  silentForMs: number,
): 'running' | 'dead' | 'stale' {
  // Another host's pid cannot be checked from here: only its heartbeat tells.
  if (holder.host !== mine.host) return silentForMs > LOCK_STALE_MS ? 'stale' : 'running';
  // Our own pid in a lock we do not hold: a previous container/process life that reused the pid.
  if (holder.pid === mine.pid) return heldHere.has(key) ? 'running' : 'dead';
  return isAlive(holder.pid) ? 'running' : 'dead';
}

/** A lock written before heartbeats existed is judged by its file's age, which a heartbeat also renews. */
function heartbeatOf(holder: LockContent, lockPath: string): number {
  const at = Date.parse(holder.heartbeatAt);
  return Number.isNaN(at) ? mtimeOf(lockPath) : at;
}

function describeHolder(holder: LockContent, now: number, ourHost?: string): string {
  const where = holder.host === ourHost ? '' : ` on ${holder.host}`;
  const at = Date.parse(holder.heartbeatAt);
  const alive = Number.isNaN(at) ? '' : `, last alive ${Math.max(0, Math.round((now - at) / 1000))} s ago`;
  return `pid ${holder.pid}${where}, started ${holder.startedAt}${alive}`;
}

function staleMessage(holder: LockContent, out: string, now: number, ourHost: string): string {
  return (
    `took over the lock of ${out} from a run that stopped its heartbeat (${describeHolder(holder, now, ourHost)}); ` +
    `a lock from another host is stale after ${LOCK_STALE_MS / 1000} s of silence`
  );
}

function forcedMessage(holder: LockContent, out: string, now: number, ourHost: string): string {
  return (
    `--force: took over the lock of ${out} from a run that may still be going (${describeHolder(holder, now, ourHost)}); ` +
    'if it is, both runs append to the same files: items can be answered (and paid) twice, and the last to ' +
    'finish overwrites the state file'
  );
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
      return {
        pid: content.pid,
        host: content.host,
        startedAt: String(content.startedAt ?? 'at an unknown time'),
        heartbeatAt: String(content.heartbeatAt ?? ''),
      };
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

function heldLock(lockPath: string, key: string, mine: LockContent, now: () => number, heartbeatMs: number): OutputLock {
  const stillMine = (): boolean => {
    const holder = readHolder(lockPath);
    return typeof holder === 'object' && holder.pid === mine.pid && holder.startedAt === mine.startedAt;
  };
  const beat = (): void => {
    if (!stillMine()) {
      clearInterval(timer);
      return;
    }
    // Written beside and renamed over, so a reader never sees a half-written lock.
    const temp = `${lockPath}.${mine.pid}.beat`;
    try {
      fs.writeFileSync(temp, JSON.stringify({ ...mine, heartbeatAt: new Date(now()).toISOString() }) + '\n');
      fs.renameSync(temp, lockPath);
    } catch {
      // A full disk or a vanished directory: the lock keeps its older heartbeat; the run reports the disk itself.
      fs.rmSync(temp, { force: true });
    }
  };
  const timer = setInterval(beat, heartbeatMs);
  timer.unref(); // never keeps a finished process alive
  const releaseSync = (): void => {
    clearInterval(timer);
    if (!heldHere.has(key)) return;
    heldHere.delete(key);
    // Never remove a lock that someone took over after deciding ours was stale.
    if (stillMine()) fs.rmSync(lockPath, { force: true });
  };
  return { path: lockPath, releaseSync, release: async () => releaseSync() };
}

function refusal(lockPath: string, out: string, holder?: LockContent, ourHost?: string, now = 0): UsageError {
  const who =
    holder === undefined
      ? 'another llm-batch run (starting right now)'
      : `another llm-batch run (${describeHolder(holder, now, ourHost)})`;
  return new UsageError(`${who} is writing ${out}; wait for it or remove ${lockPath} if it crashed`, [
    `a lock from another host is taken over once its heartbeat is ${LOCK_STALE_MS / 1000} s old; ` +
      '--force takes it over now (if that run is still going, items can be answered twice)',
  ]);
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
