import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const BUNDLE = join(ROOT, 'dist/cli-bundle/llm-batch.cjs');

/** The V8 flags bin/llm-batch.js sets before it compiles the bundle, read from its source (not a copy to keep in step). */
function flagsSetBeforeCompile(): string[] {
  const source = readFileSync(join(ROOT, 'bin/llm-batch.js'), 'utf8');
  const beforeCompile = source.slice(0, source.indexOf('new Script('));
  return [...beforeCompile.matchAll(/^setFlagsFromString\('([^']+)'\);$/gm)].map((match) => match[1] as string);
}

/** Whether V8 takes the build's code cache for the bundle, compiled as bin/llm-batch.js compiles it. */
function cacheRejected(extraFlags: string[]): boolean {
  const script = `
    import { readFileSync } from 'node:fs';
    import Module from 'node:module';
    import { setFlagsFromString } from 'node:v8';
    import { Script } from 'node:vm';
    for (const flag of ${JSON.stringify(flagsSetBeforeCompile())}) setFlagsFromString(flag);
    const file = ${JSON.stringify(BUNDLE)};
    const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData: readFileSync(file + '.code-cache') });
    process.stdout.write(String(script.cachedDataRejected));
  `;
  const result = spawnSync(process.execPath, [...extraFlags, '--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout === 'true';
}

// Issue 13 (start-up): bin/llm-batch.js compiles the CLI bundle with the code cache the build took from a
// real run. A cache V8 rejects costs nothing but the time it was meant to save; this keeps it in use.
describe('the CLI bundle code cache', () => {
  it('is checked under the flags bin/llm-batch.js really sets', () => {
    expect(flagsSetBeforeCompile()).toEqual(expect.arrayContaining(['--liftoff-only', '--heap-growing-percent=25']));
  });

  const madeBy = (JSON.parse(readFileSync(`${BUNDLE}.code-cache.json`, 'utf8')) as { node: string }).node;

  it(`is accepted by the Node that made it (${madeBy}) under the flags bin/llm-batch.js sets, and refused by any other`, () => {
    // CI runs this suite on a second Node major against the same build: there V8 must refuse the cache.
    expect(cacheRejected([])).toBe(process.version !== madeBy);
  });

  it('is refused, not misused, under other V8 flags (then V8 compiles from source)', () => {
    expect(cacheRejected(['--no-lazy'])).toBe(true);
  });
});
