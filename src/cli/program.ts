import { createRequire } from 'node:module';
import { Command } from 'commander';
import type { ExitCode } from '../errors.js';
import type { ExportFlags } from './export-command.js';
import { integerFrom } from './parse-values.js';
import { addRunOptions, type RunFlags } from './run-options.js';
import type { StatusFlags } from './status-command.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

const RUN_EXAMPLES = `
Examples:
  # laptop: classify products, $5 cap, live progress
  $ llm-batch run items.jsonl -t classify.prompt -m gpt-4o-mini --budget 5

  # cron: the same line every hour; it resumes, and does nothing once finished
  $ llm-batch run /data/tickets.csv -t triage.prompt -m claude-haiku-4-5 -o /data/triage.jsonl --resume

  # CI data-prep: plain log lines, a hard budget, fail the job on failed items
  $ llm-batch run data.jsonl -p 'Summarize: {{text}}' -m gpt-4o-mini -o out.jsonl --budget 20 --progress-interval 30

Exit codes: 0 all ok · 1 some items failed · 2 usage/input error (nothing sent) · 3 budget reached
            4 fatal API error (auth, quota) · 130 interrupted (resumable)`;

/** The commander program. Each action lazy-imports its command so `--help` stays instant. */
export function buildProgram(setExitCode: (code: ExitCode) => void): Command {
  const program = new Command('llm-batch')
    .description('Push thousands to millions of items through an LLM: rate-limited, retried, resumable, budget-capped.')
    .version(version)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: false });

  addRunOptions(
    program
      .command('run')
      .description('process every item of <input> through the prompt template')
      .argument('<input>', '.jsonl/.ndjson/.csv/.tsv file, or - for stdin'),
  )
    .addHelpText('after', RUN_EXAMPLES)
    .action(async (input: string, flags: RunFlags) => {
      const { runCommand } = await import('./run-command.js');
      setExitCode(await runCommand(input, flags, { dryRun: flags.dryRun === true }));
    });

  addRunOptions(
    program
      .command('estimate')
      .description('count tokens and cost for a run, without any API call (takes the options of run)')
      .argument('<input>', '.jsonl/.ndjson/.csv/.tsv file'),
  )
    .addHelpText('after', `
Examples:
  # laptop: what will classifying these cost, realtime vs batch?
  $ llm-batch estimate items.jsonl -t classify.prompt -m gpt-4o-mini

  # cron: check tomorrow's shard before it runs
  $ llm-batch estimate /data/tickets.csv -t triage.prompt -m claude-haiku-4-5 --shard 1/4

  # CI: the worst case a --budget would reserve, with a capped answer length
  $ llm-batch estimate data.jsonl -p 'Summarize: {{text}}' -m gpt-4o-mini --max-tokens 200`)
    .action(async (input: string, flags: RunFlags) => {
      const { runCommand } = await import('./run-command.js');
      setExitCode(await runCommand(input, flags, { dryRun: true }));
    });

  addRunOptions(
    program
      .command('preview')
      .description('the exact request bodies of the first items, as run would send them (key redacted); sends nothing')
      .argument('<input>', '.jsonl/.ndjson/.csv/.tsv file'),
  )
    .option('--show <n>', 'how many items to show', integerFrom(0), 3)
    .addHelpText('after', `
Examples:
  # laptop: see what the first three items will cost you, before paying
  $ llm-batch preview items.jsonl -t classify.prompt -m gpt-4o-mini

  # cron: check the Anthropic body (system prompt, max_tokens) of one item of tonight's shard
  $ llm-batch preview /data/tickets.csv -t triage.prompt -m claude-haiku-4-5 --shard 2/4 --show 1

  # CI: the body as JSON for a snapshot diff
  $ llm-batch preview data.jsonl -p 'Summarize: {{text}}' -m gpt-4o-mini --show 1 | sed -n '/^{/,/^}/p'`)
    .action(async (input: string, flags: import('./preview-command.js').PreviewFlags) => {
      const { previewCommand } = await import('./preview-command.js');
      setExitCode(await previewCommand(input, flags));
    });

  program
    .command('status')
    .description('what outputs hold: done, failed, pending, provider batches, tokens, cost, fingerprint (reads files only)')
    .argument('<outputs...>', 'results files (out.jsonl); a glob like out-*.jsonl merges shard outputs')
    .option('--json', 'print a stable JSON document instead of the summary')
    .option('--input <file>', 'count pending items against this input (default: the input recorded in the state file)')
    .option('--input-format <format>', 'jsonl, csv, tsv or json (default: by the input extension)')
    .option('--id-field <name>', 'the --id-field the run used (default: id if present, else the row number)')
    .addHelpText('after', `
Examples:
  # laptop: how far did it get, and what did it cost?
  $ llm-batch status items.results.jsonl

  # cron: four shard outputs at once, merged (quote the glob, or let the shell expand it)
  $ llm-batch status '/data/triage-*.jsonl'

  # CI: fail the job when any item failed (the JSON document is stable)
  $ llm-batch status out.jsonl --json | jq -e '.merged.failed.total == 0'`)
    .action(async (outputs: string[], flags: StatusFlags) => {
      const { statusCommand } = await import('./status-command.js');
      setExitCode(await statusCommand(outputs, flags));
    });

  program
    .command('export')
    .description('results joined back to their input rows, in input order (CSV, JSONL or JSON)')
    .argument('<outputs...>', 'results files (out.jsonl); a glob like out-*.jsonl merges shard outputs')
    .option('--input <file>', 'the input to join (default: the one recorded in the state file; without any, results in file order with an id column)')
    .option('--input-format <format>', 'jsonl, csv, tsv or json (default: by the input extension)')
    .option('--id-field <name>', 'the --id-field the run used (default: id if present, else the row number)')
    .option('-f, --format <format>', 'csv, jsonl or json (default: by the -o extension, else csv)')
    .option('-o, --output <file>', 'write to this file instead of stdout (replaced only once complete)')
    .option('--include-failed', 'also write failed items (with an error column) and unprocessed ones: every input row appears')
    .option('--bom', 'CSV: start with a UTF-8 byte-order mark, so Excel shows accents right (default: when the input had one)')
    .option('--no-bom', 'CSV: never write a byte-order mark')
    .addHelpText('after', `
Examples:
  # laptop: the answers next to the original rows, as a spreadsheet
  $ llm-batch export items.results.jsonl -o items.answers.csv

  # cron: merge shard outputs into one JSONL, failed rows included for review
  $ llm-batch export '/data/triage-*.jsonl' --include-failed -o /data/triage.export.jsonl

  # CI: a JSON array on stdout for the next step
  $ llm-batch export out.jsonl --input data.csv --format json > answers.json

Columns: the input's, then output, parsed.* (nested keys dotted, arrays as JSON), cost_usd, model,
and error ("class: message") with --include-failed.`)
    .action(async (outputs: string[], flags: ExportFlags) => {
      const { exportCommand } = await import('./export-command.js');
      setExitCode(await exportCommand(outputs, flags));
    });

  program
    .command('mock-server')
    .description('a local OpenAI- and Anthropic-compatible fake API, for trying llm-batch and for tests')
    .option('--port <n>', 'port to listen on (0 = any free port)', '8787')
    .option('--latency <ms>', 'latency per response in ms, or a range like 100-400', '0')
    .option('--fail-rate <p>', 'share of requests that fail with a random fault (0-1)', '0')
    .option('--rpm <n>', 'enforce a requests-per-minute limit (429 with retry-after)')
    .option('--tpm <n>', 'enforce a tokens-per-minute limit')
    .option('--input-tpm <n>', "enforce an input-tokens-per-minute limit (Anthropic's ITPM)")
    .option('--output-tpm <n>', "enforce an output-tokens-per-minute limit (Anthropic's OTPM)")
    .option('--fault-mix <list>', 'share of requests per fault, e.g. 429:0.05,500:0.05,503:0.03,reset:0.02,garbage:0.02')
    .option('--fault-retry-after <ms>', 'Retry-After of injected 429s in ms (default 300)')
    .option('--seed <n>', 'seed for the fault generator')
    .option('--api-key <key>', 'accept only this key (default: any non-empty key)')
    .addHelpText('after', `
Examples:
  # laptop: try llm-batch against a realistic fake API (latency, faults, a rate limit)
  $ llm-batch mock-server --port 8787 --latency 100-400 --fail-rate 0.05 --rpm 600
  $ OPENAI_API_KEY=x llm-batch run items.jsonl -t t.prompt -m gpt-4o-mini --base-url http://127.0.0.1:8787/v1

  # cron: rehearse a nightly job's retries and resume without spending anything
  $ llm-batch mock-server --port 8787 --fail-rate 0.2 --seed 7

  # CI: an Anthropic-compatible endpoint for integration tests
  $ ANTHROPIC_API_KEY=x ANTHROPIC_BASE_URL=http://127.0.0.1:8787 llm-batch run data.jsonl -p '{{text}}' -m claude-haiku-4-5`)
    .action(async (flags: Record<string, string | undefined>) => {
      const { mockServerCommand } = await import('./mock-server-command.js');
      setExitCode(await mockServerCommand(flags));
    });

  const batches = program.command('batches').description('provider batches recorded by a --mode batch output');
  batches
    .command('cancel')
    .description('cancel every pending provider batch recorded in <output> (a later --resume collects what finished)')
    .addHelpText('after', `
Examples:
  $ llm-batch batches cancel items.results.jsonl          # laptop: changed my mind
  $ llm-batch batches cancel /data/triage.jsonl           # cron: stop tonight's batches
  $ llm-batch batches cancel out.jsonl --api-key-env CI_OPENAI_KEY   # CI: another key variable`)
    .argument('<output>', 'results file of a --mode batch run')
    .option('--api-key-env <NAME>', 'environment variable holding the key (default: OPENAI_API_KEY / ANTHROPIC_API_KEY)')
    .option('--env-file <path>', 'read keys from a dotenv file; set variables win (default: $LLM_BATCH_ENV_FILE)')
    .action(async (output: string, flags: { apiKeyEnv?: string }) => {
      const { batchesCancelCommand } = await import('./batches-command.js');
      setExitCode(await batchesCancelCommand(output, { apiKeyEnv: flags.apiKeyEnv }));
    });

  const cache = program.command('cache').description('the response cache: what it holds, and clearing it');
  cache
    .command('stats')
    .description('entries and size of the response cache')
    .addHelpText('after', `
Examples:
  $ llm-batch cache stats                       # laptop: how big has the cache grown?
  $ llm-batch cache stats --cache-dir /var/cache/llm-batch --json   # cron/CI: machine-readable`)
    .option('--cache-dir <dir>', 'cache directory (default: $XDG_CACHE_HOME/llm-batch or ~/.cache/llm-batch)')
    .option('--json', 'print JSON')
    .action(async (flags: import('./cache-command.js').CacheFlags) => {
      const { cacheStatsCommand } = await import('./cache-command.js');
      setExitCode(await cacheStatsCommand(flags));
    });
  cache
    .command('clear')
    .description('remove every cached answer (needs --yes)')
    .addHelpText('after', `
Examples:
  $ llm-batch cache clear --yes                 # laptop: start fresh
  $ llm-batch cache clear --cache-dir "$CI_CACHE/llm-batch" --yes   # CI: drop a shared cache`)
    .option('--cache-dir <dir>', 'cache directory (default: $XDG_CACHE_HOME/llm-batch or ~/.cache/llm-batch)')
    .option('--yes', 'confirm: the next runs will pay for these answers again')
    .action(async (flags: import('./cache-command.js').CacheFlags) => {
      const { cacheClearCommand } = await import('./cache-command.js');
      setExitCode(await cacheClearCommand(flags));
    });

  program
    .command('models')
    .description('known models with their prices (USD per 1M tokens)')
    .option('--json', 'print JSON')
    .addHelpText('after', `
Examples:
  $ llm-batch models                                   # laptop: compare prices
  $ llm-batch models | grep claude                     # cron: check a model's price
  $ llm-batch models --json | jq '.[] | select(.model=="gpt-4o-mini")'   # CI: machine-readable`)
    .action(async (flags: { json?: boolean }) => {
      const { modelsCommand } = await import('./models-command.js');
      setExitCode(await modelsCommand(flags));
    });

  return program;
}
