import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';

/** A throwaway `redis-server` on 127.0.0.1, without persistence. */
export interface TestRedis {
  port: number;
  url: string;
  stop(): Promise<void>;
  /** SIGKILL: the server vanishes without closing its connections (a crash, a lost host). */
  kill(): Promise<void>;
}

const START_TIMEOUT_MS = 5_000;

/**
 * Whether this machine has a `redis-server` to start. The --redis tests run whenever one is installed; without
 * one they are reported as skipped with a one-line reason, except under `CI=true`, where a missing server is a
 * failure: CI installs it (`.ci/run`), and there a silently skipped proof that limits are shared is no proof.
 */
export const redisServer = probeRedisServer();

function probeRedisServer(): { skip: boolean; reason: string } {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  const installed = probe.error === undefined && probe.status === 0;
  const onCi = process.env.CI === 'true' || process.env.CI === '1';
  const reason = installed
    ? ''
    : 'redis-server is not on PATH (install it, e.g. `apt-get install -y redis-server`, to run the --redis tests)';
  if (!installed && !onCi) process.stderr.write(`SKIPPED --redis tests: ${reason}\n`);
  return { skip: !installed && !onCi, reason };
}

/** The title of a suite or test that needs a real Redis: says why when it is skipped. */
export function needsRedis(title: string): string {
  return redisServer.skip ? `${title} [SKIPPED: ${redisServer.reason}]` : title;
}

/** Starts a real redis-server on a free port (or `port`, to restart one); throws (never skips) when there is none. */
export async function startRedis(options: { port?: number } = {}): Promise<TestRedis> {
  if (redisServer.reason !== '') {
    throw new Error(`${redisServer.reason}; under CI=true the --redis tests must run.`);
  }
  const port = options.port ?? (await freePort());
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  await waitForPort(port, child, () => output);
  return { port, url: `redis://127.0.0.1:${port}`, stop: () => stopChild(child), kill: () => stopChild(child, 'SIGKILL') };
}

/** A port nothing listens on (for the unreachable-Redis case). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}:\n${output()}`);
    if (await canConnect(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not listen on ${port} within ${START_TIMEOUT_MS} ms:\n${output()}`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
