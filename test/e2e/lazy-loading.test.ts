import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { openaiEnv, useMockServer, writeItems } from '../helpers/e2e.js';

const PROBE = pathToFileURL(join(ROOT, 'test/helpers/module-load-probe.mjs')).href;
const TEMPLATE = join(ROOT, 'fixtures/describe.hbs');

const e2e = useMockServer();

/** The packages (node_modules folder names) a CLI run loaded, from the module-load probe's record. */
async function packagesLoadedBy(extraArgs: string[], model = 'gpt-4o-mini'): Promise<{ packages: Set<string>; code: number | null; stderr: string }> {
  const dir = e2e.dir();
  const input = join(dir, 'items.jsonl');
  writeItems(input, 1);
  const record = join(dir, 'loaded.txt');
  const result = await runCli(['run', input, '-t', TEMPLATE, '-m', model, '-o', join(dir, 'out.jsonl'), '--no-cache', ...extraArgs], {
    env: openaiEnv(e2e.server, { NODE_OPTIONS: `--import=${PROBE}`, MODULE_LOAD_PROBE_OUT: record }),
  });
  const packages = new Set<string>();
  for (const url of readFileSync(record, 'utf8').split('\n')) {
    const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (match) packages.add(match[1]!);
  }
  return { packages, code: result.code, stderr: result.stderr };
}

// Issue 13 (start-up ≤ 250 ms): what a small realtime run does not use is never imported.
describe('a realtime run loads only what it uses', () => {
  it.each([
    ['--quiet', ['--quiet']],
    ['piped output (plain lines)', []],
    ['--log-json', ['--log-json']],
  ])('%s: no live-display packages, no tokenizer, cache, schema validator or price tables', async (_name, args) => {
    const { packages, code, stderr } = await packagesLoadedBy(args);
    expect(code, stderr).toBe(0);
    // The probe works: the scheduler is on the run's path (undici is inside the CLI bundle).
    expect(packages).toContain('bottleneck');
    for (const name of ['ora', 'cli-progress', 'gpt-tokenizer', 'lmdb', 'ajv', '@pydantic/genai-prices', 'fast-csv', 'ioredis']) {
      expect(packages, `${name} loaded`).not.toContain(name);
    }
  });
});

// The price catalogue is loaded only for what the build's snapshot of it cannot answer (src/cost/catalogue-snapshot.ts).
describe('the price catalogue', () => {
  it('is loaded for a model whose price depends on the date (o3), which the snapshot leaves to it', async () => {
    const { packages, code, stderr } = await packagesLoadedBy(['--quiet'], 'o3');
    expect(code, stderr).toBe(0);
    // Also shows that the probe sees CommonJS loads (`createRequire`), which ES module hooks miss.
    expect(packages).toContain('@pydantic/genai-prices');
  });
});
