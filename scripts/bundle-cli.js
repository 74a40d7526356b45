#!/usr/bin/env node
/**
 * Bundles the CLI into one CommonJS file, `dist/cli-bundle/llm-batch.cjs` (run by `npm run build`, after
 * tsc), and writes its V8 code cache. Start-up is dominated by module loading (issue 13): ~270 ES modules
 * of ours and ~100 CommonJS files of undici are each resolved, read and compiled one by one. One file is
 * read once, and `bin/llm-batch.js` compiles it with the code cache taken here from a real run, so the
 * parts a run uses are not parsed or compiled again. Lazily imported parts (commands, displays, cache) are
 * in the file but run only when imported. Packages a run loads only on demand (tokenizer, cache, ajv, price
 * catalogue, Redis…) stay outside, so they still cost nothing until used; so does bottleneck, whose
 * internal classes we patch by their file (`src/scheduler/bottleneck-internals.ts`) and must therefore be
 * the copy in node_modules. `ora` is inside because it is an ES module, which a CommonJS file cannot
 * `require` on Node 20.18. The library entry (`dist/index.js`) is not bundled.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'cli-bundle');
const outfile = join(outdir, 'llm-batch.cjs');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** On every run's path: bundled. */
const BUNDLED = new Set(['commander', 'undici', 'handlebars', 'chalk', 'ora']);

/** `undici` → the Agent-only entry (`scripts/bundle/undici-agent.cjs`), for imports from our own code. */
const undiciAgentOnly = {
  name: 'undici-agent-only',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^undici$/ }, (args) =>
      args.importer.includes(`${join(root, 'node_modules')}`) ? undefined : { path: join(root, 'scripts', 'bundle', 'undici-agent.cjs') },
    );
  },
};

/**
 * Handlebars' code generator takes `source-map` when it can and has its own string builder when it cannot
 * (its browser path). We never ask it for source maps, so the bundle leaves `source-map` out (~100 KB).
 */
const handlebarsWithoutSourceMaps = {
  name: 'handlebars-without-source-maps',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^source-map$/ }, (args) =>
      args.importer.includes(join('node_modules', 'handlebars')) ? { path: 'source-map', namespace: 'absent' } : undefined,
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: 'absent' }, () => ({
      contents: "throw new Error('source-map is not bundled');",
      loader: 'js',
    }));
  },
};

/**
 * undici's `client.js` requires its HTTP/2 connector at load, which loads `node:http2` (~15 ms), though
 * it is only called for a connection that negotiated h2 (never: we do not enable `allowH2`). In the bundle
 * the connector is loaded on its first call instead; what it does is unchanged.
 */
const http2ConnectorOnFirstUse = {
  name: 'http2-connector-on-first-use',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^\.\/client-h2\.js$/ }, (args) =>
      args.importer.endsWith(join('undici', 'lib', 'dispatcher', 'client.js'))
        ? { path: join(dirname(args.importer), 'client-h2.js'), namespace: 'on-first-use' }
        : undefined,
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: 'on-first-use' }, (args) => ({
      contents: `let connectH2; module.exports = function connectH2OnFirstUse(client, socket) { connectH2 ??= require(${JSON.stringify(args.path)}); return connectH2(client, socket); };`,
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'dist', 'cli', 'main.js')],
  outfile,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: Object.keys(manifest.dependencies).filter((name) => !BUNDLED.has(name)),
  plugins: [undiciAgentOnly, handlebarsWithoutSourceMaps, http2ConnectorOnFirstUse],
  // Our modules find files beside them (package.json, the price snapshot) from their URL; the bundle sits
  // one folder below `dist` as they do, so the same relative paths hold.
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "var __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  // Less text to decode and parse at every start (~10 ms); names are kept, so stack traces still read.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});

await writeCodeCache();

/**
 * Runs the bundle once against the mock server over HTTP (one item, as a user's first small job would)
 * and has `bin/llm-batch.js` save V8's code cache of everything that run compiled. The cache holds only
 * for the Node version and V8 flags it was made with; elsewhere V8 rejects it and compiles as usual.
 */
async function writeCodeCache() {
  const work = mkdtempSync(join(tmpdir(), 'llm-batch-code-cache-'));
  const bin = join(root, 'bin', 'llm-batch.js');
  const server = spawn(process.execPath, [bin, 'mock-server', '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    const baseUrl = await new Promise((resolve, reject) => {
      let seen = '';
      server.stderr.on('data', (chunk) => {
        seen += chunk;
        const match = /http:\/\/127\.0\.0\.1:\d+\/v1/.exec(seen);
        if (match) resolve(match[0]);
      });
      server.once('exit', () => reject(new Error(`mock server exited before listening: ${seen}`)));
      setTimeout(() => reject(new Error(`mock server did not listen within 30 s: ${seen}`)), 30_000).unref();
    });
    writeFileSync(join(work, 'items.jsonl'), '{"id":"1","text":"warm up"}\n');
    writeFileSync(join(work, 'prompt.txt'), 'Classify: {{text}}\n');
    const args = ['run', join(work, 'items.jsonl'), '-t', join(work, 'prompt.txt'), '-m', 'gpt-4o-mini', '-o', join(work, 'out.jsonl'), '--no-cache', '--quiet'];
    const env = { ...process.env, OPENAI_API_KEY: 'code-cache', OPENAI_BASE_URL: baseUrl, LLM_BATCH_WRITE_CODE_CACHE: '1' };
    const result = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', timeout: 60_000 });
    if (result.status !== 0) throw new Error(`bundle-cli: the warm-up run failed (${result.status}): ${result.stderr}`);
    // Which Node made it: on that one V8 must take it (test/e2e/code-cache.test.ts).
    writeFileSync(`${outfile}.code-cache.json`, `${JSON.stringify({ node: process.version, v8: process.versions.v8 })}\n`);
  } finally {
    server.kill();
    rmSync(work, { recursive: true, force: true });
  }
}
