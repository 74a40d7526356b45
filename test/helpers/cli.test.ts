import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { runCli, spawnCli } from './cli.js';

/** `mock-server` never exits on its own: a stand-in for a hung CLI. */
const HANGS = ['mock-server', '--port', '0'];

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function gone(pid: number): Promise<boolean> {
  // The SIGKILL is sent at once; the kernel reaps the process shortly after.
  for (let i = 0; i < 100 && isAlive(pid); i += 1) await sleep(20);
  return !isAlive(pid);
}

let hungPid: number | undefined;
let leaderPid: number | undefined;

// Sequential on purpose: each check looks at what the test before it left behind.
describe('a CLI started by a test never outlives it', () => {
  it.fails('a test that times out (this one, on purpose) ...', async () => {
    const child = spawnCli(HANGS);
    hungPid = child.pid;
    await new Promise(() => undefined);
  }, 1_000);

  it('... has its CLI killed all the same', async () => {
    expect(hungPid).toBeDefined();
    expect(await gone(hungPid!)).toBe(true);
  });

  it('a detached CLI (a process-group leader) is killed with its group when its test ends ...', () => {
    const child = spawnCli(HANGS, { detached: true });
    leaderPid = child.pid;
    expect(isAlive(-leaderPid!)).toBe(true);
  });

  it('... (checked here)', async () => {
    expect(leaderPid).toBeDefined();
    expect(await gone(-leaderPid!)).toBe(true);
  });

  it('runCli kills the CLI when its signal aborts, and resolves', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const result = await runCli(HANGS, { signal: controller.signal });
    expect(result.signal).toBe('SIGKILL');
  });
});
