import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, makeTempDir, runCli } from '../helpers/cli.js';
import { openaiEnv, readResults, useMockServer, writeItems } from '../helpers/e2e.js';

const TEMPLATE = join(FIXTURES, 'describe.hbs');
const temp = makeTempDir();
const outDir = join(temp.dir, 'out');
mkdirSync(outDir);

/** A 64 KiB tmpfs holds the state file and a few dozen results, then the disk is full. Needs root. */
function tryMountTmpfs(dir: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const mounted = tryMountTmpfs(outDir);

// The tmpfs is mounted when the file loads (the skip decision needs it), so its folder is the file's, not a test's.
const e2e = useMockServer();
afterAll(() => {
  if (mounted) execFileSync('umount', [outDir], { stdio: 'ignore' });
  rmSync(temp.dir, { recursive: true, force: true });
});

// Without root the same path is covered in process by test/run/run-job-faults.test.ts (an injected writer).
const testOnTmpfs = mounted ? it : it.skip;
const name = mounted
  ? 'disk full on a 64 KiB tmpfs'
  : 'SKIPPED, mount not permitted (not root): covered by the injected writer in test/run/run-job-faults.test.ts — disk full on a tmpfs';

describe('faults of the machine (exit 74)', () => {
  testOnTmpfs(`${name}: one paragraph naming the file and the resume command, no stack; after space is freed --resume completes, nothing lost or doubled`, async () => {
    const input = join(temp.dir, 'items.jsonl');
    writeItems(input, 400, (i) => ` ${'lorem ipsum '.repeat(10)}${i}`);
    const out = join(outDir, 'results.jsonl');
    const args = ['run', input, '-t', TEMPLATE, '-m', 'gpt-4o-mini', '-o', out, '--no-cache'];

    const full = await runCli(args, { env: openaiEnv(e2e.server) });
    expect(full.code).toBe(74);
    expect(full.stderr).toContain(`cannot write ${out}: no space left on the device (ENOSPC)`);
    expect(full.stderr).toContain('Free some space');
    expect(full.stderr).toContain('--resume');
    expect(full.stderr).not.toMatch(/\n\s+at /);

    // Free space.
    execFileSync('mount', ['-o', 'remount,size=8m', outDir], { stdio: 'ignore' });
    const resumed = await runCli([...args, '--resume'], { env: openaiEnv(e2e.server) });
    expect(resumed.code).toBe(0);
    const ids = readResults(out).map((record) => record.id);
    expect(ids).toHaveLength(400);
    expect(new Set(ids).size).toBe(400);
  });
});
