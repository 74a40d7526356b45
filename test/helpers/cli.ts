import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = join(ROOT, 'bin/llm-batch.js');
export const FIXTURES = join(ROOT, 'fixtures');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  stdin?: string;
  cwd?: string;
  /** Kill the process (SIGKILL) after this long and resolve anyway. @default 120_000 */
  timeoutMs?: number;
  /** Kill the process (SIGKILL) when this aborts. */
  signal?: AbortSignal;
  /**
   * Start it as a process-group leader (`detached`), so killing it also kills whatever it started.
   * @default false
   */
  detached?: boolean;
}

/** A clean environment: no real keys, no colour, no inherited cache dir. */
export function baseEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    NO_COLOR: '1',
    LANG: 'C.UTF-8',
  };
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) env[key] = value;
  return env;
}

/** Children still running, killed when their test ends (passed, failed or timed out) or the worker exits. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Start the built CLI; the caller may signal it (signal and kill -9 tests), but it never outlives its test:
 * it is killed (with its process group when detached) when the test finishes, however it finishes.
 */
export function spawnCli(args: string[], options: CliOptions = {}): ChildProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: baseEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  track(child, options);
  return child;
}

/** SIGKILL to a child that is still running, and to its group when it leads one. */
export function killChild(child: ChildProcess): void {
  if (child.pid === undefined) return;
  // A group may outlive its leader: kill it whether or not the leader has exited.
  if (groupLeaders.has(child)) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The group is already gone.
    }
  }
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

const groupLeaders = new WeakSet<ChildProcess>();

function track(child: ChildProcess, options: CliOptions): void {
  live.add(child);
  if (options.detached === true) groupLeaders.add(child);
  child.once('exit', () => live.delete(child));
  options.signal?.addEventListener('abort', () => killChild(child), { once: true });
  if (options.signal?.aborted === true) killChild(child);
  try {
    onTestFinished(() => killChild(child));
  } catch {
    // Spawned outside a test (a beforeAll): the worker's exit hook below still kills it.
  }
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const running of live) killChild(running);
    });
  }
}

/** Run the built CLI to completion. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const child = spawnCli(args, options);
  return collect(child, options);
}

export function collect(child: ChildProcess, options: CliOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  if (options.stdin !== undefined) child.stdin?.end(options.stdin);
  else child.stdin?.end();
  const timer = setTimeout(() => killChild(child), options.timeoutMs ?? 120_000);
  return new Promise((resolvePromise) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function makeTempDir(prefix = 'llm-batch-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
