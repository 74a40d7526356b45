import { Command, Option } from 'commander';
import { collectParam, integerFrom, nonNegativeNumber, oneOf, positiveNumber, temperature } from './parse-values.js';

/** The flags of `run` (and `estimate`, which takes the same ones), as commander hands them over. */
export interface RunFlags {
  format?: 'jsonl' | 'csv' | 'tsv' | 'json';
  idField?: string;
  output?: string;
  resume?: boolean;
  overwrite?: boolean;
  force?: boolean;
  skipFailed?: boolean;
  limit?: number;
  sample?: number;
  seed?: string;
  shard?: string;
  onBadItem: 'fail' | 'skip';
  template?: string;
  prompt?: string;
  system?: string;
  schema?: string;
  imageField?: string;
  model?: string;
  provider?: 'openai' | 'anthropic' | 'azure' | 'mock';
  deployment?: string;
  apiVersion?: string;
  modelFamily?: string;
  baseUrl?: string;
  apiKeyEnv?: string;
  api?: 'chat' | 'responses';
  maxTokens?: number;
  temperature?: number;
  param?: Record<string, unknown>;
  pack?: number;
  concurrency: number;
  rpm?: number;
  tpm?: number;
  maxRetries: number;
  breakerFirst?: number;
  breakerStreak?: number;
  /** Undefined when not given: the default depends on the service tier. */
  timeout?: number;
  serviceTier?: 'default' | 'flex' | 'priority';
  flexFallback?: number;
  maxWait: number;
  redis?: string;
  mode: 'realtime' | 'batch';
  budget?: number;
  budgetKey?: string;
  priceInput?: number;
  priceOutput?: number;
  priceCachedInput?: number;
  priceFile?: string;
  cache: boolean;
  cacheDir?: string;
  quiet?: boolean;
  logJson?: boolean;
  progressInterval: number;
  dryRun?: boolean;
  /** Read by `applyEnvFile` before commander runs; listed so commander accepts it. */
  envFile?: string;
}

interface OptionSpec {
  group: string;
  option: Option;
}

function opt(flags: string, description: string): Option {
  return new Option(flags, description);
}

/** Every run/estimate option, grouped as `--help` shows them. */
export function runOptionSpecs(): OptionSpec[] {
  const input = 'Input and output:';
  const prompt = 'Prompt and model:';
  const rate = 'Throughput and retries:';
  const cost = 'Cost and cache:';
  const report = 'Reporting:';
  return [
    { group: input, option: opt('--format <format>', 'input format: jsonl, csv, tsv, or json (an array of objects) (default: from the extension)').argParser(oneOf(['jsonl', 'csv', 'tsv', 'json'] as const)) },
    { group: input, option: opt('--id-field <name>', 'column/key that identifies an item (default: "id" if present, else the row number)') },
    { group: input, option: opt('-o, --output <file>', 'results JSONL, or - for stdout (default: beside the input, items.jsonl → items.results.jsonl, items.csv → items.csv.results.jsonl)') },
    { group: input, option: opt('--resume', 'continue an existing output: skip finished ids, retry failed ones') },
    { group: input, option: opt('--overwrite', 'discard an existing output and start over') },
    { group: input, option: opt('--force', 'with --resume: accept a changed template, model or parameters') },
    { group: input, option: opt('--skip-failed', 'with --resume: do not retry items whose last attempt failed') },
    { group: input, option: opt('--limit <n>', 'process at most n items (a sample run)').argParser(integerFrom(1)) },
    { group: input, option: opt('--sample <n>', 'process a random sample of n items, the same one every time for a --seed').argParser(integerFrom(1)) },
    { group: input, option: opt('--seed <s>', 'with --sample: which sample (default: 0)') },
    { group: input, option: opt('--shard <k/n>', 'process only shard k of n (ids hashed; k is 1-based)') },
    { group: input, option: opt('--on-bad-item <policy>', 'fail: stop before sending anything; skip: record bad rows as failures').default('fail').argParser(oneOf(['fail', 'skip'] as const)) },
    { group: prompt, option: opt('-t, --template <file>', 'prompt template: a .prompt file (Dotprompt) or any text file (Handlebars)') },
    { group: prompt, option: opt('-p, --prompt <text>', 'inline Handlebars template instead of a file') },
    { group: prompt, option: opt('--system <text>', 'system prompt (Handlebars)') },
    { group: prompt, option: opt('--schema <file>', 'JSON Schema the answer must satisfy (structured output)') },
    { group: prompt, option: opt('--image-field <name>', 'item field holding an image URL or local path to send with the prompt') },
    { group: prompt, option: opt('-m, --model <name>', 'model, e.g. gpt-4o-mini, claude-haiku-4-5, mock (default: from the template)') },
    { group: prompt, option: opt('--provider <name>', 'wire protocol: openai, anthropic, azure or mock (default: inferred from the model)').argParser(oneOf(['openai', 'anthropic', 'azure', 'mock'] as const)) },
    { group: prompt, option: opt('--deployment <name>', 'Azure OpenAI deployment (default: $AZURE_OPENAI_DEPLOYMENT, else -m)') },
    { group: prompt, option: opt('--api-version <version>', 'Azure OpenAI api-version, e.g. 2024-10-21 (default: $OPENAI_API_VERSION / $AZURE_OPENAI_API_VERSION, else the v1 API)') },
    { group: cost, option: opt('--model-family <model>', 'price the run as this model (an Azure deployment\'s underlying model, e.g. gpt-4o-mini)') },
    { group: prompt, option: opt('--base-url <url>', 'any OpenAI- or Anthropic-compatible endpoint (default: $OPENAI_BASE_URL / $ANTHROPIC_BASE_URL, else the provider\'s)') },
    { group: prompt, option: opt('--env-file <path>', 'read keys and settings from a dotenv file; set variables win (default: $LLM_BATCH_ENV_FILE)') },
    { group: prompt, option: opt('--api <api>', 'OpenAI API: chat (Chat Completions) or responses (default: responses for Responses-only models, else chat)').argParser(oneOf(['chat', 'responses'] as const)) },
    { group: prompt, option: opt('--api-key-env <NAME>', 'environment variable holding the key (default: OPENAI_API_KEY / ANTHROPIC_API_KEY)') },
    { group: prompt, option: opt('--max-tokens <n>', 'most output tokens per answer').argParser(integerFrom(1)) },
    { group: prompt, option: opt('--temperature <t>', 'sampling temperature').argParser(temperature) },
    { group: prompt, option: opt('--param <key=value>', 'extra request parameter, JSON value (repeatable)').argParser(collectParam) },
    { group: prompt, option: opt('--pack <n>', 'send n items per request, answered as one JSON list and split back (realtime mode)').argParser(integerFrom(1)) },
    { group: rate, option: opt('-c, --concurrency <n>', 'most requests in flight').default(16).argParser(integerFrom(1)) },
    { group: rate, option: opt('--rpm <n>', 'requests per minute (default: learned from response headers)').argParser(integerFrom(1)) },
    { group: rate, option: opt('--tpm <n>', 'tokens per minute (default: learned from response headers)').argParser(integerFrom(1)) },
    { group: rate, option: opt('--max-retries <n>', 'retries per item for retryable failures').default(6).argParser(integerFrom(0)) },
    { group: rate, option: opt('--breaker-first <n>', 'stop (exit 4) when the first n items all fail with the same 4xx error and none succeeded; 0 = off').default(10).argParser(integerFrom(0)) },
    { group: rate, option: opt('--breaker-streak <n>', 'stop (exit 4) after n items in a row fail with the same 4xx error; 0 = off').default(100).argParser(integerFrom(0)) },
    { group: rate, option: opt('--timeout <seconds>', 'deadline per request (default: 120, 900 with --service-tier flex)').argParser(positiveNumber) },
    { group: cost, option: opt('--service-tier <tier>', 'OpenAI service tier: default, flex (realtime at batch prices, slower) or priority').argParser(oneOf(['default', 'flex', 'priority'] as const)) },
    { group: rate, option: opt('--flex-fallback <n>', 'with --service-tier flex: send an item on the default tier after n "resource unavailable" answers').argParser(integerFrom(1)) },
    { group: rate, option: opt('--max-wait <seconds>', 'a Retry-After longer than this stops the run (exit 4)').default(600).argParser(positiveNumber) },
    { group: rate, option: opt('--redis <url>', 'share concurrency and rate limits with every process using this Redis and API key (default: $LLM_BATCH_REDIS_URL)') },
    { group: cost, option: opt('--mode <mode>', "realtime, or batch: the provider's Batch API (about half price, results within 24 h)").default('realtime').argParser(oneOf(['realtime', 'batch'] as const)) },
    { group: cost, option: opt('--budget <usd>', 'hard cap on this run\'s spend: never exceeded (exit 3 when reached)').argParser(positiveNumber) },
    { group: cost, option: opt('--budget-key <name>', 'with --redis: one --budget shared by every process giving this name') },
    { group: cost, option: opt('--price-input <usd>', 'input price, USD per 1M tokens').argParser(nonNegativeNumber) },
    { group: cost, option: opt('--price-output <usd>', 'output price, USD per 1M tokens').argParser(nonNegativeNumber) },
    { group: cost, option: opt('--price-cached-input <usd>', 'cached-input price, USD per 1M tokens').argParser(nonNegativeNumber) },
    { group: cost, option: opt('--price-file <file>', 'JSON file of model prices: {"model": {"input": 0.15, "output": 0.6}}') },
    { group: cost, option: opt('--no-cache', 'do not read or write the response cache') },
    { group: cost, option: opt('--cache-dir <dir>', 'response cache directory (default: $XDG_CACHE_HOME/llm-batch or ~/.cache/llm-batch)') },
    { group: report, option: opt('--quiet', 'print only the final summary') },
    { group: report, option: opt('--log-json', 'every event as one JSON object per line on stderr') },
    { group: report, option: opt('--progress-interval <seconds>', 'seconds between progress lines without a TTY').default(10).argParser(positiveNumber) },
    { group: report, option: opt('--dry-run', 'estimate tokens and cost only; send nothing (same as `estimate`)') },
  ];
}

/** Add the run options to a command, grouped in its help. */
export function addRunOptions(command: Command): Command {
  for (const { group, option } of runOptionSpecs()) {
    command.addOption(option.helpGroup(group));
  }
  return command;
}
