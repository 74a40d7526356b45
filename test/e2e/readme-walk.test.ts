import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../../src/mock/server.js';
import { baseEnv, makeTempDir, ROOT } from '../helpers/cli.js';
import { startServer, TEST_KEY } from '../helpers/e2e.js';
import { readmeBlocks, readmeInlineCommands, shellCommands, shellWords, type InlineCommand, type ReadmeBlock, type ReadmeCommand } from '../helpers/readme.js';
import { redisServer, startRedis, type TestRedis } from '../helpers/redis-server.js';

/**
 * Every command in the README works after its set-up (the inline ones in the prose are checked at the end): the shell blocks (`sh`, `bash`) and the library
 * snippets (`ts`) run in order, in one scratch folder laid out like a clone (the sample files of `fixtures/`,
 * `bin/`, and `llm-batch` installed as a dependency, so both `llm-batch` and `npx llm-batch` resolve to the
 * built CLI), against the project's mock server. Only what a test must change is rewritten: https URLs point
 * at the mock server, a `…` placeholder key becomes the mock's key, and the Redis URL names a throwaway
 * server. Each command runs on its own (after its block's `export` lines), must exit as the README says (0
 * unless its comment says `exit N`) and leave the files it names (`-o`, or the default output of `run`);
 * what its comments promise is checked too: "no API call" and "does nothing" send no request, "no key
 * needed" runs without keys.
 */

/** README commands this walk does not run, and why. A command listed here that the README no longer has fails. */
const NOT_WALKED: Readonly<Record<string, string>> = {
  'npm ci && npm run demo': 'installs the clone\'s dependencies from the npm registry; the demo\'s run step (package.json "demo") is walked instead',
  'npm test': 'runs the whole suite, this walk included',
  'npm run build && npm link': 'installs globally (changes the machine\'s npm prefix); the walk puts the same bin on PATH instead',
};

/** Lines that need a Redis server: walked against a throwaway one, or listed as not walked when none can start. */
const NEEDS_REDIS = /--redis\b|'out-\*\.jsonl'/;

const WALKED_LANGS = ['sh', 'bash', 'ts'];
/** Fenced blocks that hold no command: a JSON record, a plain-text file tree. */
const NOT_COMMANDS = ['json', ''];

const blocks = readmeBlocks().filter((block) => WALKED_LANGS.includes(block.lang));

let server: MockServer;
let redis: TestRedis | undefined;
let temp: ReturnType<typeof makeTempDir>;
let dir: string;
const notWalked: string[] = [];

beforeAll(async () => {
  server = await startServer({ batchCompletionDelayMs: 0 });
  if (!redisServer.skip) redis = await startRedis();
  temp = makeTempDir('llm-batch-readme-');
  dir = temp.dir;
  cpSync(join(ROOT, 'fixtures'), join(dir, 'fixtures'), { recursive: true });
  symlinkSync(join(ROOT, 'bin'), join(dir, 'bin'));
  mkdirSync(join(dir, 'node_modules/.bin'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules/llm-batch'));
  symlinkSync('../llm-batch/bin/llm-batch.js', join(dir, 'node_modules/.bin/llm-batch'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'readme-walk', private: true, type: 'module' }));
  mkdirSync(join(dir, 'home'));
});

afterAll(async () => {
  if (notWalked.length > 0) process.stderr.write(`README commands not walked:\n${notWalked.map((line) => `  ${line}\n`).join('')}`);
  await server?.close();
  await redis?.stop();
  temp?.cleanup();
});

/** The keys the walk gives, left out for a command the README says needs none. */
const KEYS = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'OPENROUTER_API_KEY'];

function walkEnv(withKeys = true): Record<string, string> {
  const env = baseEnv({
    PATH: `${join(dir, 'node_modules/.bin')}:${process.env.PATH ?? ''}`,
    HOME: join(dir, 'home'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    npm_config_update_notifier: 'false',
    OPENAI_API_KEY: TEST_KEY,
    OPENAI_BASE_URL: `${server.url}/v1`,
    ANTHROPIC_API_KEY: TEST_KEY,
    ANTHROPIC_BASE_URL: server.url,
    OPENROUTER_API_KEY: TEST_KEY,
  });
  if (!withKeys) for (const key of KEYS) delete env[key];
  return env;
}

/** The command as the test runs it: provider URLs → the mock server, a `…` key → the mock's key, Redis → the throwaway one. */
function forTest(text: string): string {
  return text
    .replace(/redis:\/\/[^\s'"]+/g, () => redis?.url ?? 'redis://unavailable')
    .replace(/https?:\/\/[^\s'"]+/g, (url) => (url.endsWith('/v1') ? `${server.url}/v1` : server.url))
    .replace(/=…/g, `=${TEST_KEY}`);
}

function expectedExit(command: ReadmeCommand): number {
  const match = /\bexits? (\d+)\b/.exec(command.comment);
  return match === null ? 0 : Number(match[1]);
}

/** The files a command says it writes: `-o FILE`, or `run`'s default output beside its input. */
function expectedFiles(code: string): string[] {
  const words = shellWords(code);
  const bin = words.findIndex((word) => word === 'llm-batch' || word.endsWith('bin/llm-batch.js'));
  if (bin < 0 || words.some((word) => ['&&', '||', '|', ';'].includes(word))) return [];
  const args = words.slice(bin + 1);
  const flag = args.findIndex((word) => word === '-o' || word === '--output');
  if (flag >= 0) return args[flag + 1] === '-' ? [] : [args[flag + 1]];
  if (args[0] !== 'run' || args.includes('--dry-run') || args[1] === '-') return [];
  const input = args[1];
  return [input.endsWith('.jsonl') ? input.replace(/\.jsonl$/, '.results.jsonl') : `${input}.results.jsonl`];
}

interface Ran {
  codes: number[];
  output: string;
}

/** Run commands in one bash, in the walk folder; each command's exit status is reported on fd 3. */
function runShell(texts: string[], env: Record<string, string> = walkEnv()): Promise<Ran> {
  const script = texts.map((text) => `${text}\nprintf '%s\\n' "$?" >&3\n`).join('');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    let output = '';
    let codes = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stdio[3]?.on('data', (chunk: Buffer) => (codes += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', () => resolve({ codes: codes.trim().split('\n').filter(Boolean).map(Number), output }));
  });
}

function expectFiles(files: string[], where: string, output: string): void {
  for (const file of files) {
    const path = join(dir, file);
    expect(existsSync(path), `${where}: ${file} was not written\n${output}`).toBe(true);
    expect(statSync(path).size, `${where}: ${file} is empty\n${output}`).toBeGreaterThan(0);
  }
}

async function walkShell(block: ReadmeBlock): Promise<void> {
  // `export` lines set up the commands after them, as they would in the reader's shell.
  const exports: string[] = [];
  for (const command of shellCommands(block)) {
    const reason = NOT_WALKED[command.command] ?? (NEEDS_REDIS.test(command.text) && redis === undefined ? redisServer.reason : undefined);
    if (reason !== undefined) {
      notWalked.push(`README line ${command.line}: ${command.command} (${reason})`);
      continue;
    }
    const says = `${command.note} ${command.comment}`;
    const before = server.stats().requests;
    const ran = await runShell([...exports, forTest(command.text)], walkEnv(!/no key needed/i.test(says)));
    const where = `README line ${command.line}: ${command.command}`;
    expect(ran.codes.at(-1), `${where}\n${ran.output}`).toBe(expectedExit(command));
    expectFiles(expectedFiles(command.command), where, ran.output);
    // "no API call", "does nothing once everything is done": nothing reaches the server.
    if (/no API call|does nothing/i.test(says)) expect(server.stats().requests - before, `${where}: requests sent\n${ran.output}`).toBe(0);
    if (command.command.startsWith('export ')) exports.push(forTest(command.text));
  }
}

/** A library snippet: TypeScript turned into JavaScript (nothing else changed), run with node in the walk folder. */
async function walkLibrary(block: ReadmeBlock): Promise<void> {
  const js = ts.transpileModule(block.body, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  const file = `readme-line-${block.line}.mjs`;
  writeFileSync(join(dir, file), js);
  const ran = await runShell([`node ${file}`]);
  const where = `README line ${block.line}: the library snippet`;
  expect(ran.codes[0], `${where}\n${ran.output}`).toBe(0);
  expectFiles([...block.body.matchAll(/\boutput: '([^']+)'/g)].map((match) => match[1]), where, ran.output);
}

describe('the README, walked against the mock server', () => {
  it('knows every kind of code block: walked, or holding no command', () => {
    const unknown = readmeBlocks().filter((block) => !WALKED_LANGS.includes(block.lang) && !NOT_COMMANDS.includes(block.lang));
    expect(unknown.map((block) => `line ${block.line}: \`\`\`${block.lang}`)).toEqual([]);
  });

  it('lists only commands the README has as not walked', () => {
    const commands = new Set(blocks.flatMap((block) => (block.lang === 'ts' ? [] : shellCommands(block).map((command) => command.command))));
    for (const command of Object.keys(NOT_WALKED)) expect(commands, command).toContain(command);
  });

  it('the demo (package.json "demo": build, then this run step)', async () => {
    const demo = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.demo;
    const [build, step] = demo.split(' && ');
    expect(build).toBe('npm run build');
    const ran = await runShell([step]);
    expect(ran.codes[0], ran.output).toBe(0);
    expectFiles(expectedFiles(step), 'npm run demo', ran.output);
  });

  for (const block of blocks) {
    it(`README line ${block.line} (\`\`\`${block.lang})`, () => (block.lang === 'ts' ? walkLibrary(block) : walkShell(block)));
  }
});

/**
 * Inline commands in the prose (backticked `llm-batch …`, `npx llm-batch …`, `node …/bin/llm-batch.js …`,
 * `npm …`), checked after the blocks, in the same folder: a concrete `llm-batch` command runs against the mock
 * server and must exit 0; a synopsis (`<input>`, `[--flag]`, `…`, `a|b`) or a bare command name must name a
 * real command whose `--help` lists every flag it shows; `npm run X` must name a script of package.json; other
 * npm commands must be npm's, and a tarball they name must be the one `npm pack` makes.
 */
const INLINE_NOT_CHECKED: Readonly<Record<string, string>> = {
  'npm ci': 'installs from the npm registry (the first block\'s "npm ci && npm run demo" is listed as not walked for the same reason)',
  'npm install -g llm-batch': 'the package is not published yet, and it would install globally (test/e2e/pack-install.test.ts installs the packed tarball)',
  'npm install llm-batch': 'the package is not published yet (test/e2e/pack-install.test.ts installs the packed tarball into an empty project)',
};

const inline = readmeInlineCommands();
const PROGRAM = /^(npx llm-batch|llm-batch|node \S*bin\/llm-batch\.js)(?:\s|$)/;
const SYNOPSIS = /[<[\]…|]/;
const NPM_BUILTINS = new Set(['ci', 'test', 'pack', 'install', 'link', 'unlink', 'run']);

/** The program as the walk folder runs it: `node <clone>/bin/llm-batch.js` is `node bin/llm-batch.js` there. */
function walkProgram(program: string): string {
  return program.replace(/<clone>\//, '');
}

/** Leading command words (`batches cancel`, `mock-server`): what `--help` is asked of. */
function commandPath(args: string[]): string[] {
  const path: string[] = [];
  for (const word of args) {
    if (!/^[a-z][a-z-]*$/.test(word)) break;
    path.push(word);
  }
  return path;
}

async function checkHelp(program: string, words: string[], where: string): Promise<void> {
  const path = commandPath(words);
  const ran = await runShell([`${walkProgram(program)} ${[...path, '--help'].join(' ')}`]);
  expect(ran.codes[0], `${where}\n${ran.output}`).toBe(0);
  expect(ran.output, `${where}: no such command`).toContain(`Usage: llm-batch ${path.map((word) => `${word} `).join('')}`);
  for (const flag of words.join(' ').match(/(?<![\w-])--?[a-z][\w-]*/g) ?? []) {
    expect(ran.output, `${where}: ${flag} is not an option of "${path.join(' ')}"`).toMatch(new RegExp(`(?<![\\w-])${flag}(?![\\w-])`));
  }
}

async function checkLlmBatch(command: InlineCommand, where: string): Promise<void> {
  const program = PROGRAM.exec(command.command)![1];
  const words = shellWords(command.command.slice(program.length));
  // A bare name (`llm-batch models`, `llm-batch estimate`) names a command; a synopsis shows its form.
  if (SYNOPSIS.test(command.command) || words.length === commandPath(words).length) return checkHelp(program, words, where);
  const ran = await runShell([forTest(`${walkProgram(program)} ${command.command.slice(program.length).trim()}`)]);
  expect(ran.codes[0], `${where}\n${ran.output}`).toBe(0);
  expectFiles(expectedFiles(command.command), where, ran.output);
}

function checkNpm(part: string, where: string): void {
  const words = shellWords(part);
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  if (words[1] === 'run') {
    expect(Object.keys(scripts), `${where}: no script "${words[2]}"`).toContain(words[2]);
    return;
  }
  if (words[1] === 'test') expect(Object.keys(scripts), `${where}: no test script`).toContain('test');
  expect([...NPM_BUILTINS], `${where}: not an npm command this check knows`).toContain(words[1]);
  for (const tarball of words.filter((word) => word.endsWith('.tgz'))) {
    expect(tarball.replace(/^\.\//, ''), `${where}: npm pack makes ${pkg.name}-${pkg.version}.tgz`).toBe(`${pkg.name}-${pkg.version}.tgz`);
  }
}

describe('the README\'s inline commands, checked against the CLI', () => {
  it('finds the inline commands', () => {
    expect(inline.length).toBeGreaterThan(10);
  });

  it('lists only inline commands the README has as not checked', () => {
    const commands = new Set(inline.map((command) => command.command));
    for (const command of Object.keys(INLINE_NOT_CHECKED)) expect(commands, command).toContain(command);
  });

  for (const command of inline) {
    const where = `README line ${command.line}: \`${command.command}\``;
    const reason = INLINE_NOT_CHECKED[command.command];
    if (reason !== undefined) {
      it.skip(`${where} (not checked: ${reason})`, () => {});
      continue;
    }
    it(where, async () => {
      for (const part of command.command.split(' && ')) {
        if (part.startsWith('npm ')) checkNpm(part, where);
        else await checkLlmBatch({ command: part, line: command.line }, where);
      }
    });
  }
});
