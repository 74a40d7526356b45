#!/usr/bin/env node
/**
 * Bundles the CLI into `dist/cli-bundle/` (run by `npm run build`, after tsc). Start-up is dominated by
 * module loading (issue 13): ~270 ES modules of ours and ~100 CommonJS files of undici are each resolved,
 * read and compiled one by one. One bundle with its lazily loaded parts as chunks is resolved once. The
 * packages a run loads only on demand (live display, tokenizer, cache, ajv, price catalogue, Redis…) stay
 * outside, so they still cost nothing until used; so does bottleneck, whose internal classes we patch by
 * their file (`src/scheduler/bottleneck-internals.ts`) and must therefore be the copy in node_modules.
 * The library entry (`dist/index.js`) is not bundled.
 */
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'cli-bundle');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** On every run's path: bundled. */
const BUNDLED = new Set(['commander', 'undici', 'handlebars', 'chalk']);

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
  entryPoints: { main: join(root, 'dist', 'cli', 'main.js') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: Object.keys(manifest.dependencies).filter((name) => !BUNDLED.has(name)),
  plugins: [undiciAgentOnly, handlebarsWithoutSourceMaps, http2ConnectorOnFirstUse],
  // CommonJS inside an ES module bundle still calls `require` (Node built-ins, lazily loaded packages).
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  // Less text to decode and parse at every start (~10 ms); names are kept, so stack traces still read.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
