import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../../src/mock/server.js';
import { baseEnv, makeTempDir, ROOT } from '../helpers/cli.js';
import { openaiEnv, readResults, startServer } from '../helpers/e2e.js';
import { readmeBlocks } from '../helpers/readme.js';

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

  it('has self-contained types: a TypeScript user compiles the README snippet with skipLibCheck off', async () => {
    // Only the package and its runtime dependencies are installed here (no `openai`, no `@anthropic-ai/sdk`),
    // so a declaration that imported a devDependency's types would fail to resolve.
    const snippet = readmeBlocks().find((block) => block.lang === 'ts')?.body ?? '';
    expect(snippet).toContain("from 'llm-batch'");
    writeFileSync(join(app, 'readme.ts'), snippet);
    writeFileSync(
      join(app, 'use.ts'),
      `import { run, exitCodeForRun, type RunOptions, type RunSummary, type RunEvent, type EstimateReport } from 'llm-batch';
       const options: RunOptions = { input: 'a.jsonl', prompt: 'Hi {{name}}', model: 'mock', maxTokens: 10, concurrency: 2 };
       const summary: Promise<RunSummary> = run(options);
       const code: number = exitCodeForRun('completed', 0);
       const seen = (event: RunEvent): string => event.type;
       const cost = (report: EstimateReport): number | null => report.summary.costRealtimeUsd;
       void summary; void code; void seen; void cost;
       // @ts-expect-error: options are typed, a misspelt flag is caught
       void run({ input: 'a.jsonl', maxToken: 10 });\n`,
    );
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const args = ['--noEmit', '--strict', '--skipLibCheck', 'false', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--typeRoots', join(ROOT, 'node_modules/@types'), 'use.ts', 'readme.ts'];
    const compiled = await exec(process.execPath, [tsc, ...args], { cwd: app }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(compiled).toBe('');
  });

  it('ships only declarations that import no devDependency', () => {
    const declarations = packed.filter((path) => path.endsWith('.d.ts'));
    expect(declarations).toContain('dist/index.d.ts');
    for (const path of declarations) {
      const text = readFileSync(join(app, 'node_modules/llm-batch', path), 'utf8');
      expect(text, path).not.toMatch(/(?:\bfrom\s*|\bimport\s*\(\s*)['"](?:openai|@anthropic-ai\/sdk)(?:\/[^'"]*)?['"]/);
    }
    for (const sdk of ['openai', '@anthropic-ai/sdk']) expect(existsSync(join(app, 'node_modules', sdk)), sdk).toBe(false);
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
