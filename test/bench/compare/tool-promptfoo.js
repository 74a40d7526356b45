/**
 * promptfoo (`promptfoo eval`), installed from the npm registry at bench time into the bench cache
 * (never a project dependency). Its OpenAI provider points at the mock server (`apiBaseUrl`); the items
 * are its test cases (a CSV of `id,text`); the prompt is the bench template. Caching, telemetry, the
 * update check and sharing are off; its results go to a JSONL file (`-o`) and, as by default, to its
 * own database, kept in a temporary `PROMPTFOO_CONFIG_DIR` instead of `~/.promptfoo`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TEMPLATE } from '../inputs.js';
import { runProcess } from '../spawn-cli.js';
import { benchCacheDir } from './bench-cache.js';
import { readJsonl } from './read-jsonl.js';

/** Pinned: 0.121.x is the last line whose `engines` accepts Node 20 (0.122 requires Node ≥ 22.22). */
export const PROMPTFOO_VERSION = '0.121.20';
const MODEL = 'gpt-4o-mini';

const installDir = () => path.join(benchCacheDir(), `promptfoo-${PROMPTFOO_VERSION}`);
const entry = () => path.join(installDir(), 'node_modules', 'promptfoo', 'dist', 'src', 'entrypoint.js');

export const promptfoo = {
  name: `promptfoo ${PROMPTFOO_VERSION}`,

  /** Install the pinned version into the bench cache once (about 2 minutes, ~700 packages). */
  async prepare() {
    if (fs.existsSync(entry())) return {};
    fs.mkdirSync(installDir(), { recursive: true });
    process.stderr.write(`installing promptfoo@${PROMPTFOO_VERSION} into ${installDir()} …\n`);
    const npm = spawnSync('npm', ['install', '--prefix', installDir(), `promptfoo@${PROMPTFOO_VERSION}`, '--save-exact', '--no-audit', '--no-fund', '--loglevel', 'error'], {
      stdio: ['ignore', 2, 2],
    });
    if (npm.status !== 0 || !fs.existsSync(entry())) return { skip: `npm install promptfoo@${PROMPTFOO_VERSION} failed (exit ${npm.status ?? npm.error?.message})` };
    return {};
  },

  async run({ dir, items, serverUrl, concurrency }) {
    const tests = path.join(dir, 'tests.csv');
    const config = path.join(dir, 'promptfooconfig.yaml');
    const output = path.join(dir, 'out.jsonl');
    fs.writeFileSync(tests, `id,text\n${items.map((item) => `${csvField(item.id)},${csvField(item.text)}\n`).join('')}`);
    // JSON is YAML: promptfoo reads it as its config file.
    fs.writeFileSync(
      config,
      JSON.stringify({
        prompts: [TEMPLATE],
        providers: [{ id: `openai:chat:${MODEL}`, config: { apiBaseUrl: `${serverUrl}/v1` } }],
        tests: `file://${tests}`,
        evaluateOptions: { maxConcurrency: concurrency, cache: false, showProgressBar: false },
      }, null, 2),
    );
    const env = {
      OPENAI_API_KEY: 'bench',
      PROMPTFOO_DISABLE_TELEMETRY: '1',
      PROMPTFOO_DISABLE_UPDATE: '1',
      PROMPTFOO_CONFIG_DIR: path.join(dir, 'promptfoo-home'),
    };
    const args = ['eval', '-c', config, '-j', String(concurrency), '--no-cache', '--no-table', '--no-progress-bar', '--no-share', '-o', output];
    const result = await runProcess(process.execPath, [entry(), ...args], { env, cwd: dir });
    const records = readJsonl(output).map((r) => (r.error ? { id: r.testCase?.vars?.id, error: r.error } : { id: r.testCase?.vars?.id, output: r.response?.output }));
    const vars = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    return { result, records, command: [...vars, 'node', entry(), ...args].join(' ') };
  },
};

/** RFC 4180: quote every field, double the quotes inside. */
function csvField(value) {
  return `"${String(value).replaceAll('"', '""')}"`;
}
