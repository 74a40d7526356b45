import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from '../helpers/cli.js';
import { openaiEnv, readResults, useMockServer, writeItems } from '../helpers/e2e.js';

const TEMPLATE = join(FIXTURES, 'describe.hbs');
const e2e = useMockServer();
const common = ['-m', 'gpt-4o-mini', '-t', TEMPLATE, '--no-cache'];

/** A lock as another host's run leaves it, last alive `agoMs` before now. */
function foreignLock(file: string, agoMs: number): void {
  const at = new Date(Date.now() - agoMs).toISOString();
  writeFileSync(file, JSON.stringify({ pid: 4242, host: 'other-host', startedAt: at, heartbeatAt: at }) + '\n');
}

describe('locks with liveness, end to end', () => {
  it('takes over a lock whose holder on another host fell silent, with a warning, and answers every item once', async () => {
    const dir = e2e.dir();
    const input = join(dir, 'items.jsonl');
    const items = writeItems(input, 5);
    const out = join(dir, 'out.jsonl');
    foreignLock(join(dir, 'out.lock'), 3 * 60_000);
    const result = await runCli(['run', input, '-o', out, ...common], { env: openaiEnv(e2e.server) });
    expect(result.stderr).toMatch(/took over the lock of .*out\.jsonl from a run that stopped its heartbeat \(pid 4242 on other-host/);
    expect(result.stderr).toContain('stale after 120 s of silence');
    expect(result.code).toBe(0);
    expect(readResults(out).map((record) => record.id).sort()).toEqual(items.map((item) => item.id).sort());
    expect(existsSync(join(dir, 'out.lock'))).toBe(false);
  });

  it('refuses a lock whose holder on another host is alive (exit 2, nothing sent); --force takes it over and says what it breaks', async () => {
    const dir = e2e.dir();
    const input = join(dir, 'items.jsonl');
    writeItems(input, 3);
    const out = join(dir, 'out.jsonl');
    const lock = join(dir, 'out.lock');
    foreignLock(lock, 5_000);
    const refused = await runCli(['run', input, '-o', out, ...common], { env: openaiEnv(e2e.server) });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/pid 4242 on other-host, started .*, last alive \d+ s ago\) is writing/);
    expect(refused.stderr).toContain('--force takes it over now');
    expect(e2e.server.stats().requests).toBe(0);
    expect(JSON.parse(readFileSync(lock, 'utf8')).host).toBe('other-host');

    const forced = await runCli(['run', input, '-o', out, '--force', ...common], { env: openaiEnv(e2e.server) });
    expect(forced.stderr).toContain('--force: took over the lock');
    expect(forced.stderr).toContain('items can be answered (and paid) twice');
    expect(forced.code).toBe(0);
    expect(readResults(out)).toHaveLength(3);
  });
});
