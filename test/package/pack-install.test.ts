import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../../src/mock/server.js';
import { baseEnv, makeTempDir, ROOT } from '../helpers/cli.js';
import { openaiEnv, readResults, startServer } from '../helpers/e2e.js';

const exec = promisify(execFile);

/**
 * The package as a user gets it: `npm pack`, installed from the tarball into an empty folder (dependencies from
 * the npm cache when it has them), then used as a library and through `npx llm-batch`.
 */
let temp: ReturnType<typeof makeTempDir>;
let app: string;
let packed: string[];
let server: MockServer;

beforeAll(async () => {
  temp = makeTempDir('llm-batch-pack-');
  app = join(temp.dir, 'app');
  const pack = await exec('npm', ['pack', '--json', '--pack-destination', temp.dir], { cwd: ROOT, maxBuffer: 1 << 24 });
  const [info] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  packed = info.files.map((file) => file.path);
  await exec('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  await exec('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(temp.dir, info.filename)], {
    cwd: app,
    maxBuffer: 1 << 24,
  });
  server = await startServer();
}, 300_000);

afterAll(async () => {
  await server?.close();
  temp?.cleanup();
});

describe('the npm package', () => {
  it('holds what users need and nothing else: the build, the bin, the demo inputs', () => {
    expect(packed).toEqual(expect.arrayContaining(['bin/llm-batch.js', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'package.json', 'README.md']));
    const outside = packed.filter((path) => !path.startsWith('dist/') && !['bin/llm-batch.js', 'package.json', 'README.md', 'LICENSE'].includes(path));
    expect(outside.sort()).toEqual(['fixtures/classify.prompt', 'fixtures/products.csv', 'fixtures/products.jsonl']);
    expect(packed.filter((path) => path.endsWith('.map') || path.includes('.results.') || path.startsWith('test/'))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[]; main: string; types: string };
    for (const entry of manifest.files.filter((file) => !file.startsWith('!'))) expect(existsSync(join(ROOT, entry)), entry).toBe(true);
    expect(packed).toContain(manifest.main);
    expect(packed).toContain(manifest.types);
  });

  it('is a library: run (callback and async iterable, AbortSignal) and estimate, against the mock provider', async () => {
    const script = `
      import { run, runEvents, estimate } from 'llm-batch';
      const fx = 'node_modules/llm-batch/fixtures/';
      const common = { input: fx + 'products.jsonl', template: fx + 'classify.prompt', model: 'mock', cache: false };
      const report = await estimate(common);
      const seen = new Set();
      const summary = await run({ ...common, output: 'out.jsonl', onEvent: (event) => seen.add(event.type) });
      const iterated = [];
      for await (const event of runEvents({ ...common, output: 'again.jsonl', limit: 3 })) iterated.push(event.type);
      const aborted = await run({ ...common, output: 'aborted.jsonl', signal: AbortSignal.abort() });
      let usage = null;
      try { await run({ ...common, output: 'bad.jsonl', prompt: 'Hi', template: undefined, model: 'gpt-4o-mini', env: {} }); } catch (error) { usage = error.name; }
      console.log(JSON.stringify({ estimated: report.total, summary, seen: [...seen], iterated, aborted: aborted.stop, usage }));
    `;
    writeFileSync(join(app, 'use.mjs'), script);
    const { stdout } = await exec(process.execPath, ['use.mjs'], { cwd: app, env: baseEnv() });
    const result = JSON.parse(stdout) as {
      estimated: number;
      summary: { stop: string; succeeded: number; outputPath: string };
      seen: string[];
      iterated: string[];
      aborted: string;
      usage: string | null;
    };
    expect(result.estimated).toBe(50);
    expect(result.summary.stop).toBe('completed');
    expect(result.summary.succeeded).toBe(50);
    expect(readResults(join(app, 'out.jsonl'))).toHaveLength(50);
    expect(result.seen).toEqual(expect.arrayContaining(['run-started', 'item-succeeded', 'run-finished']));
    expect(result.iterated.at(-1)).toBe('run-finished');
    expect(result.iterated.filter((type) => type === 'item-succeeded')).toHaveLength(3);
    expect(result.aborted).toBe('interrupted');
    expect(result.usage).toBe('UsageError');
  });

  it('has types: a TypeScript user compiles against the declared entry point', async () => {
    writeFileSync(
      join(app, 'use.ts'),
      `import { run, type RunOptions, type RunSummary } from 'llm-batch';
       const options: RunOptions = { input: 'a.jsonl', prompt: 'Hi {{name}}', model: 'mock', maxTokens: 10, concurrency: 2 };
       const summary: Promise<RunSummary> = run(options);
       void summary;
       // @ts-expect-error: options are typed, a misspelt flag is caught
       void run({ input: 'a.jsonl', maxToken: 10 });\n`,
    );
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--skipLibCheck', '--types', 'node', '--typeRoots', join(ROOT, 'node_modules/@types'), 'use.ts'];
    await expect(exec(process.execPath, [tsc, ...args], { cwd: app })).resolves.toBeDefined();
  });

  it('runs as `npx llm-batch` against an OpenAI-compatible server', async () => {
    const { stdout, stderr } = await exec(
      'npx',
      ['--no-install', 'llm-batch', 'run', 'node_modules/llm-batch/fixtures/products.csv', '-t', 'node_modules/llm-batch/fixtures/classify.prompt', '-m', 'gpt-4o-mini', '-o', 'cli.jsonl', '--no-cache', '--quiet'],
      { cwd: app, env: baseEnv(openaiEnv(server)) },
    );
    expect(stdout + stderr).toContain('50');
    expect(readResults(join(app, 'cli.jsonl'))).toHaveLength(50);
  });
});
