import { homedir } from 'node:os';
import { readEnvFile } from '../cli/env-file.js';
import { resolveRunConfig, type ResolvedRun } from '../cli/resolve-run-config.js';
import type { RunFlags } from '../cli/run-options.js';
import { runOptionSpecs } from '../cli/run-options.js';
import type { RunEvent } from '../run/events.js';

/** The CLI's reporting flags: a library caller gets events instead. */
type ReportingFlag = 'quiet' | 'logJson' | 'progressInterval' | 'dryRun';

/**
 * Options of `run` and `estimate`, named like the flags of `llm-batch run` (`--max-tokens` is `maxTokens`,
 * `--no-cache` is `cache: false`), with the same defaults.
 */
export interface RunOptions extends Partial<Omit<RunFlags, ReportingFlag>> {
  /** The input file (`.jsonl`, `.ndjson`, `.csv`, `.tsv`, `.json`). */
  input: string;
  /** The API key itself, instead of reading it from `apiKeyEnv` / `OPENAI_API_KEY` / `ANTHROPIC_API_KEY`. */
  apiKey?: string;
  /** Where keys and base URLs are read from. @default process.env */
  env?: Record<string, string | undefined>;
  /** Aborting stops dispatching; requests in flight finish and are written; the summary says `interrupted`. */
  signal?: AbortSignal;
  /** Called with every event, in order (the same events `--log-json` prints). */
  onEvent?: (event: RunEvent) => void;
}

/** A variable no user sets, carrying `apiKey` into the same resolution the CLI uses. */
const KEY_VARIABLE = 'LLM_BATCH_LIBRARY_API_KEY';

/** Resolve library options exactly as the CLI resolves its flags (defaults from the same option table). */
export async function resolveLibraryRun(options: RunOptions): Promise<ResolvedRun> {
  const { input, apiKey, env: givenEnv = process.env, signal: _signal, onEvent: _onEvent, ...given } = options;
  const flags = { ...defaultFlags(), ...withoutUndefined(given) } as RunFlags;
  // `envFile` fills in what `env` lacks, in a copy: a library never changes its host's process.env.
  const env = flags.envFile === undefined ? givenEnv : { ...readEnvFile(flags.envFile), ...withoutUndefined(givenEnv) };
  const resolvedEnv = apiKey === undefined ? env : { ...env, [KEY_VARIABLE]: apiKey };
  if (apiKey !== undefined) flags.apiKeyEnv = KEY_VARIABLE;
  return resolveRunConfig(input, flags, { env: resolvedEnv, homedir: homedir(), args: equivalentArgs(input, given) });
}

/** The CLI's defaults, read from its option table so the two can never drift apart. */
function defaultFlags(): Partial<RunFlags> {
  const defaults: Record<string, unknown> = { cache: true };
  for (const { option } of runOptionSpecs()) {
    if (option.defaultValue !== undefined) defaults[option.attributeName()] = option.defaultValue;
  }
  return defaults as Partial<RunFlags>;
}

/** The `llm-batch run …` arguments these options stand for: the summary's resume command is a real command. */
function equivalentArgs(input: string, given: Partial<RunFlags>): string[] {
  const args = ['run', input];
  for (const [name, value] of Object.entries(given)) {
    const flag = `--${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
    if (value === true) args.push(flag);
    else if (value === false) args.push(`--no-${flag.slice(2)}`);
    else if (name === 'param' && typeof value === 'object' && value !== null) {
      for (const [key, v] of Object.entries(value)) args.push('--param', `${key}=${JSON.stringify(v)}`);
    } else if (value !== undefined) args.push(flag, String(value));
  }
  return args;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
