/** argv → the flags `run` and `estimate` hand to the engine: defaults, parsing, and refusals. */
import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { addRunOptions, type RunFlags } from '../../src/cli/run-options.js';

/** Parse `argv` (after `llm-batch run`) the way the program does; throws commander's error on bad input. */
function parse(argv: string[]): { input: string; flags: RunFlags } {
  let parsed: { input: string; flags: RunFlags } | undefined;
  const command = addRunOptions(new Command('run').argument('<input>'))
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined })
    .action((input: string, flags: RunFlags) => {
      parsed = { input, flags };
    });
  command.parse(argv, { from: 'user' });
  if (parsed === undefined) throw new Error('the action did not run');
  return parsed;
}

function parseError(argv: string[]): string {
  try {
    parse(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.message;
    throw error;
  }
  throw new Error(`expected ${argv.join(' ')} to be refused`);
}

const DEFAULTS = {
  onBadItem: 'fail',
  concurrency: 16,
  maxRetries: 6,
  breakerFirst: 10,
  breakerStreak: 100,
  // --timeout has no commander default: it depends on --service-tier (120 s, 900 s under flex).
  maxWait: 600,
  mode: 'realtime',
  cache: true,
  progressInterval: 10,
};

describe('run options: argv → flags', () => {
  it('has the documented defaults', () => {
    const { input, flags } = parse(['items.jsonl']);
    expect(input).toBe('items.jsonl');
    expect(flags).toEqual(DEFAULTS);
  });

  it.each<[string, string[], Partial<RunFlags>]>([
    ['short and long names', ['-t', 'p.prompt', '-m', 'gpt-4o-mini', '-o', 'out.jsonl', '-c', '8'], { template: 'p.prompt', model: 'gpt-4o-mini', output: 'out.jsonl', concurrency: 8 }],
    ['inline prompt and system', ['-p', 'Classify {{text}}', '--system', 'Be terse'], { prompt: 'Classify {{text}}', system: 'Be terse' }],
    ['numbers are parsed', ['--max-tokens', '200', '--temperature', '0.2', '--rpm', '600', '--tpm', '90000', '--limit', '5'], { maxTokens: 200, temperature: 0.2, rpm: 600, tpm: 90000, limit: 5 }],
    ['retries may be 0', ['--max-retries', '0'], { maxRetries: 0 }],
    ['seconds stay seconds', ['--timeout', '2.5', '--max-wait', '30', '--progress-interval', '1'], { timeout: 2.5, maxWait: 30, progressInterval: 1 }],
    ['budget and prices', ['--budget', '5', '--price-input', '0', '--price-output', '0.6', '--price-cached-input', '0.075'], { budget: 5, priceInput: 0, priceOutput: 0.6, priceCachedInput: 0.075 }],
    ['--param is repeatable, values are JSON', ['--param', 'top_p=0.9', '--param', 'stop=["\\n"]', '--param', 'user=abc'], { param: { top_p: 0.9, stop: ['\n'], user: 'abc' } }],
    ['--no-cache turns the cache off', ['--no-cache'], { cache: false }],
    ['choices', ['--format', 'csv', '--mode', 'batch', '--provider', 'anthropic', '--on-bad-item', 'skip'], { format: 'csv', mode: 'batch', provider: 'anthropic', onBadItem: 'skip' }],
    ['switches', ['--resume', '--force', '--skip-failed', '--quiet', '--log-json', '--dry-run'], { resume: true, force: true, skipFailed: true, quiet: true, logJson: true, dryRun: true }],
    ['strings pass through', ['--id-field', 'sku', '--shard', '2/4', '--base-url', 'http://127.0.0.1:8787/v1', '--api-key-env', 'MY_KEY', '--redis', 'redis://cache:6379', '--budget-key', 'nightly'], { idField: 'sku', shard: '2/4', baseUrl: 'http://127.0.0.1:8787/v1', apiKeyEnv: 'MY_KEY', redis: 'redis://cache:6379', budgetKey: 'nightly' }],
    ['--pack and --image-field', ['--pack', '10', '--image-field', 'photo'], { pack: 10, imageField: 'photo' }],
    ['-o - streams to stdout', ['-o', '-'], { output: '-' }],
    ['OpenAI API and tier', ['--api', 'responses', '--service-tier', 'flex', '--flex-fallback', '3'], { api: 'responses', serviceTier: 'flex', flexFallback: 3 }],
    ['Azure', ['--provider', 'azure', '--deployment', 'prod', '--api-version', '2024-10-21', '--model-family', 'gpt-4o-mini'], { provider: 'azure', deployment: 'prod', apiVersion: '2024-10-21', modelFamily: 'gpt-4o-mini' }],
  ])('%s', (_name, argv, expected) => {
    expect(parse(['items.jsonl', ...argv]).flags).toEqual({ ...DEFAULTS, ...expected });
  });
});

describe('run options: refusals name the flag and the value', () => {
  it.each<[string[], RegExp]>([
    [['-c', '0'], /-c, --concurrency <n>.*expected an integer from 1 up, got `0`/],
    [['--max-tokens', '1.5'], /--max-tokens <n>.*expected an integer from 1 up, got `1.5`/],
    [['--max-retries', '-1'], /--max-retries <n>.*expected an integer from 0 up, got `-1`/],
    [['--budget', '0'], /--budget <usd>.*expected a number above 0, got `0`/],
    [['--price-input', 'cheap'], /--price-input <usd>.*expected a number from 0 up, got `cheap`/],
    [['--mode', 'fast'], /--mode <mode>.*expected one of realtime, batch, got `fast`/],
    [['--format', 'xml'], /--format <format>.*expected one of jsonl, csv, tsv, json, got `xml`/],
    [['--temperature', 'hot'], /--temperature <t>/],
    [['--param', 'novalue'], /--param <key=value>/],
    [['--no-such-flag'], /unknown option '--no-such-flag'/],
    [['--api', 'completions'], /--api <api>.*expected one of chat, responses, got `completions`/],
    [['--service-tier', 'scale'], /--service-tier <tier>.*expected one of default, flex, priority, got `scale`/],
    [['--flex-fallback', '0'], /--flex-fallback <n>.*expected an integer from 1 up, got `0`/],
    [['--provider', 'vertex'], /--provider <name>.*expected one of openai, anthropic, azure, mock, got `vertex`/],
  ])('%j', (argv, message) => {
    expect(parseError(['items.jsonl', ...argv])).toMatch(message);
  });

  it('needs an input', () => {
    expect(parseError([])).toMatch(/missing required argument 'input'/);
  });
});
