import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { UsageError } from '../errors.js';

/**
 * `--env-file <path>` (else `LLM_BATCH_ENV_FILE`): read keys and settings from a dotenv file, once, at the
 * boundary, before any command resolves its environment. Variables already set win, as with every dotenv
 * tool, so `OPENAI_API_KEY=… llm-batch …` still overrides the file. Values are never printed: errors name the
 * file only.
 */
export function applyEnvFile(argv: readonly string[], env: NodeJS.ProcessEnv): void {
  const path = envFilePath(argv) ?? nonEmpty(env.LLM_BATCH_ENV_FILE);
  if (path === undefined) return;
  for (const [name, value] of Object.entries(readEnvFile(path))) {
    if (env[name] === undefined) env[name] = value;
  }
}

/** The variables of a dotenv file; a UsageError naming the file (never its content) when it cannot be read. */
export function readEnvFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : code ?? 'unreadable';
    throw new UsageError(`cannot read --env-file ${path}: ${reason}`);
  }
  return parseEnv(text) as Record<string, string>;
}

function envFilePath(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--') return undefined;
    if (arg === '--env-file') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('-')) throw new UsageError('--env-file needs a path: --env-file .env');
      return value;
    }
    if (arg.startsWith('--env-file=')) return arg.slice('--env-file='.length);
  }
  return undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
