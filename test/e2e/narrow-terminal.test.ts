import { execFile, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { baseEnv, BIN } from '../helpers/cli.js';
import { openaiEnv, useMockServer, writeItems } from '../helpers/e2e.js';

const exec = promisify(execFile);

/**
 * The live display in a real terminal emulator: tmux, 60 columns wide. `capture-pane -J` joins the lines
 * the terminal itself had to fold, so a captured line wider than the pane is one the display did not wrap.
 */
const COLUMNS = 60;
const tmux = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
const onCi = process.env.CI === 'true' || process.env.CI === '1';
// Like the Redis tests: reported as skipped without tmux, except under CI=true (CI installs it), where it fails.
const noTmux = !onCi && (tmux.error !== undefined || tmux.status !== 0) ? 'tmux is not on PATH (install it, e.g. `apt-get install -y tmux`, to run this test)' : '';
if (noTmux !== '') process.stderr.write(`SKIPPED narrow-terminal test: ${noTmux}\n`);

const e2e = useMockServer();

const shellQuote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;

describe.skipIf(noTmux !== '')(`a ${COLUMNS}-column terminal${noTmux === '' ? '' : ` [SKIPPED: ${noTmux}]`}`, () => {
  it('wraps notices, warnings, pauses, failures and the summary at spaces, never mid-word', async () => {
    const dir = e2e.dir();
    const input = join(dir, 'items.jsonl');
    writeItems(input, 8, (i) => (i === 3 ? ' [[fault:400]]' : i === 5 ? ' [[fault:529]]' : ''));
    const socket = `llm-batch-narrow-${process.pid}`;
    const env = { ...baseEnv(openaiEnv(e2e.server)), XDG_CACHE_HOME: join(dir, 'cache') };
    const args = ['run', input, '-p', 'Describe {{name}}: {{description}}', '-m', 'my-fine-tuned-model', '--provider', 'openai', '-o', join(dir, 'out.jsonl'), '--max-retries', '1', '-c', '2'];
    const exports = Object.entries(env).map(([key, value]) => `export ${key}=${shellQuote(value)}`);
    writeFileSync(
      join(dir, 'run.sh'),
      [...exports, `${shellQuote(process.execPath)} ${shellQuote(BIN)} ${args.map(shellQuote).join(' ')}`, 'echo "exit $?"', `tmux -L ${socket} wait-for -S done`, 'cat', ''].join('\n'),
    );
    const tmuxEnv = { ...baseEnv(), TERM: 'xterm-256color' };
    try {
      await exec('tmux', ['-L', socket, '-f', '/dev/null', 'new-session', '-d', '-x', String(COLUMNS), '-y', '50', `sh ${shellQuote(join(dir, 'run.sh'))}`], { env: tmuxEnv });
      await exec('tmux', ['-L', socket, 'wait-for', 'done'], { env: tmuxEnv, timeout: 90_000 });
      const { stdout } = await exec('tmux', ['-L', socket, 'capture-pane', '-p', '-J', '-S', '-', '-E', '-'], { env: tmuxEnv });
      const lines = stdout.split('\n').map((line) => line.trimEnd());
      expect(lines.filter((line) => line.length > COLUMNS), stdout).toEqual([]);
      const joined = lines.map((line) => line.trim()).join(' ');
      expect(joined, stdout).toContain('exit 1');
      expect(joined, stdout).toContain('no price known for model "my-fine-tuned-model"');
      expect(joined, stdout).toMatch(/item item-3 failed \(bad_request, 400\)/);
      expect(joined, stdout).toMatch(/overloaded \(529\)/);
      expect(joined, stdout).toMatch(/items +6 ok · 2 failed/);
      // The resume command is broken shell-style: it still pastes as one command.
      const resume = stdout.slice(stdout.indexOf('to resume:'));
      expect(resume.replace(/ \\\n\s*/g, ' '), stdout).toContain('--max-retries 1 -c 2 --resume');
    } finally {
      await exec('tmux', ['-L', socket, 'kill-server'], { env: tmuxEnv }).catch(() => undefined);
    }
  });
});
