import { readFile } from 'node:fs/promises';
import { defaultCacheDir } from '../cache/default-cache-dir.js';
import { estimateWorstCaseOutputTokens } from '../cost/output-limits.js';
import { DEFAULT_BREAKER_LIMITS } from '../run/circuit-breaker.js';
import { UsageError } from '../errors.js';
import { detectFormat, STDIN_PATH } from '../input/detect-format.js';
import { parseShard } from '../input/shard.js';
import { defaultOutputPath } from '../journal/output-paths.js';
import { refuseUnsupportedAnthropicImages } from '../providers/image-types.js';
import { mapRequestParams, type GivenParam } from '../providers/map-params.js';
import { toOutputSchema } from '../providers/output-schema.js';
import { toStrictSchema } from '../providers/strict-schema.js';
import { PROVIDERS } from '../providers/registry.js';
import { resolveProviderSettings, type ProviderSettings } from '../providers/resolve-provider.js';
import { requestedTier, type ServiceTier } from '../cost/service-tiers.js';
import { checkResponsesParams } from '../providers/responses-params.js';
import type { OutputSchema, RequestParams } from '../providers/types.js';
import { compileOutputSchema } from '../providers/validate-output.js';
import { describeRedisUrl } from '../scheduler/redis-url.js';
import type { RunConfig } from '../run/run-config.js';
import { loadTemplate } from '../template/load-template.js';
import type { PromptTemplate, TemplateDefaults } from '../template/types.js';
import { resumeHint } from './resume-hint.js';
import type { RunFlags } from './run-options.js';

export interface ResolvedRun {
  config: RunConfig;
  template: PromptTemplate;
  provider: ProviderSettings;
  /** Things the user should know before the run starts (a template setting the model does not take). */
  warnings: string[];
}

export interface Environment {
  env: Record<string, string | undefined>;
  homedir: string;
  /** The user's arguments after `llm-batch` (for the resume command). */
  args: readonly string[];
  /** False for commands that send nothing (`preview`): a missing key is then no error. @default true */
  requireKey?: boolean;
}

/** Invalid-answer retries per item for structured output (on top of nothing: they share --max-retries). */
const MAX_INVALID_OUTPUT_RETRIES = 2;

/**
 * Resolve a run once, at the boundary: defaults, then the environment, then the template's front
 * matter, then flags. Every problem is a UsageError raised here, before anything is read or sent.
 */
export async function resolveRunConfig(input: string, flags: RunFlags, environment: Environment): Promise<ResolvedRun> {
  if (flags.template === undefined && flags.prompt === undefined) {
    throw new UsageError('no prompt: give a template file with -t <file>, or an inline template with -p <text>');
  }
  if (flags.template !== undefined && flags.prompt !== undefined) {
    throw new UsageError('give either -t/--template or -p/--prompt, not both');
  }
  if (flags.mode === 'batch' && flags.output === '-') {
    throw new UsageError('--mode batch needs an output file: batch ids are recorded beside it so results can be collected later');
  }
  if (flags.resume && flags.overwrite) throw new UsageError('give either --resume or --overwrite, not both');
  if (flags.mode === 'batch' && flags.pack !== undefined && flags.pack > 1) {
    throw new UsageError('--pack works in realtime mode only: drop --pack, or use --mode realtime');
  }
  if (input === STDIN_PATH && flags.output === undefined) {
    throw new UsageError('reading items from stdin needs -o <file> (or -o - to stream results to stdout)');
  }

  const loaded = await loadTemplate({
    file: flags.template,
    inline: flags.prompt,
    system: flags.system,
    imageField: flags.imageField,
  });
  const defaults = loaded.defaults;
  // An Azure run may name only its deployment (--deployment or AZURE_OPENAI_DEPLOYMENT).
  const model = flags.model ?? defaults.model ?? (flags.provider === 'azure' ? (flags.deployment ?? environment.env.AZURE_OPENAI_DEPLOYMENT) : undefined);
  if (model === undefined) {
    throw new UsageError('no model: pass -m <model> (e.g. gpt-4o-mini, claude-haiku-4-5, or mock to try it offline)');
  }
  const provider = resolveProviderSettings(
    {
      model,
      provider: flags.provider,
      baseUrl: flags.baseUrl,
      apiKeyEnv: flags.apiKeyEnv,
      api: flags.api,
      deployment: flags.deployment,
      apiVersion: flags.apiVersion,
      modelFamily: flags.modelFamily,
    },
    environment.env,
    // estimate / --dry-run send nothing: a missing key is fine there, as in `preview`.
    { requireKey: flags.dryRun === true ? false : environment.requireKey },
  );
  const template = provider.provider === 'anthropic' ? refuseUnsupportedAnthropicImages(loaded) : loaded;
  const schema = flags.schema !== undefined ? await readSchemaFile(flags.schema) : defaults.schema;
  if (schema) compileOutputSchema(schema);
  const outputSchema: OutputSchema | undefined = schema && toOutputSchema(schema);

  // Azure speaks OpenAI's wire, and its model rules are those of the model a deployment runs.
  const azure = provider.provider === 'azure';
  const mapped = mapRequestParams({
    provider: provider.provider === 'azure' ? 'openai' : provider.provider,
    model: azure ? (provider.priceModel ?? provider.model) : provider.model,
    officialEndpoint: azure || provider.baseUrl === PROVIDERS[provider.provider].defaultBaseUrl,
    params: givenParams(flags, defaults),
  });
  if (provider.api === 'responses') checkResponsesParams(mapped.extra);
  const params: RequestParams = withoutUndefined({
    model: provider.model,
    maxTokens: flags.maxTokens ?? mapped.maxTokens ?? defaults.maxTokens,
    temperature: mapped.temperature,
    extra: withServiceTier(mapped.extra, flags.serviceTier),
    schema: outputSchema,
    jsonOutput: outputSchema === undefined && defaults.jsonOutput === true ? true : undefined,
  });

  const serviceTier = requestedTier(params.extra);
  checkServiceTier(flags, provider, serviceTier);

  const config: RunConfig = {
    input: { path: input, format: detectFormat(input, flags.format), idField: flags.idField },
    output: flags.output ?? defaultOutputPath(input),
    resume: flags.resume === true,
    overwrite: flags.overwrite === true,
    force: flags.force === true,
    skipFailed: flags.skipFailed === true,
    limit: flags.limit,
    shard: flags.shard === undefined ? undefined : parseShard(flags.shard),
    sample: resolveSample(flags, input),
    onBadItem: input === STDIN_PATH ? 'skip' : flags.onBadItem,
    template: { file: flags.template, inline: flags.prompt, system: flags.system, imageField: flags.imageField },
    provider: provider.provider,
    baseUrl: provider.baseUrl,
    apiKey: provider.apiKey,
    api: provider.api,
    ...(provider.azure && { azure: provider.azure }),
    ...(provider.priceModel !== undefined && { priceModel: provider.priceModel }),
    params,
    mode: flags.mode ?? 'realtime',
    concurrency: flags.concurrency,
    rpm: flags.rpm,
    tpm: flags.tpm,
    maxRetries: flags.maxRetries,
    breaker: { first: flags.breakerFirst ?? DEFAULT_BREAKER_LIMITS.first, streak: flags.breakerStreak ?? DEFAULT_BREAKER_LIMITS.streak },
    timeoutMs: Math.round((flags.timeout ?? defaultTimeoutSeconds(serviceTier)) * 1000),
    maxWaitMs: Math.round(flags.maxWait * 1000),
    budgetUsd: flags.budget,
    budgetMaxTokens: params.maxTokens === undefined ? budgetCap(flags, provider) : undefined,
    budgetKey: flags.budgetKey,
    redisUrl: resolveRedisUrl(flags, environment.env),
    prices: { input: flags.priceInput, output: flags.priceOutput, cachedInput: flags.priceCachedInput, file: flags.priceFile },
    cacheDir: flags.cache === false ? undefined : (flags.cacheDir ?? defaultCacheDir(environment.env, environment.homedir)),
    maxInvalidOutputRetries: MAX_INVALID_OUTPUT_RETRIES,
    ...(flags.flexFallback !== undefined && { flexFallback: flags.flexFallback }),
    pack: flags.pack !== undefined && flags.pack > 1 ? flags.pack : undefined,
    resumeCommand: resumeHint(environment.args),
  };
  return { config, template, provider, warnings: [...mapped.warnings, ...schemaWarnings(provider, outputSchema)] };
}

/** OpenAI strict mode only for schemas its rules accept; one warning says why a schema is sent without it. */
function schemaWarnings(provider: ProviderSettings, schema: OutputSchema | undefined): string[] {
  if (provider.provider === 'anthropic' || provider.provider === 'mock' || schema === undefined) return [];
  const strict = toStrictSchema(schema.schema);
  if (strict.ok) return [];
  return [
    `the schema is sent with strict: false because OpenAI's strict mode cannot express it (${strict.reason}); ` +
      'answers are still checked against it, and a mismatch is retried as invalid_output',
  ];
}

/** Every request parameter the user gave, template first so the command line overrides it. */
function givenParams(flags: RunFlags, defaults: TemplateDefaults): GivenParam[] {
  const file = flags.template ?? 'the template';
  const fromTemplate = (name: string, value: unknown): GivenParam => ({ name, value, label: `config.${name} in ${file}`, fromTemplate: true });
  const given: GivenParam[] = [];
  if (defaults.temperature !== undefined) given.push(fromTemplate('temperature', defaults.temperature));
  for (const [name, value] of Object.entries(defaults.params ?? {})) given.push(fromTemplate(name, value));
  for (const [name, value] of Object.entries(flags.param ?? {})) given.push({ name, value, label: `--param ${name}`, fromTemplate: false });
  if (flags.temperature !== undefined) given.push({ name: 'temperature', value: flags.temperature, label: '--temperature', fromTemplate: false });
  return given;
}

/** `--sample n [--seed s]`; the seed defaults to 0, so the same command always takes the same sample. */
function resolveSample(flags: RunFlags, input: string): RunConfig['sample'] {
  if (flags.sample === undefined) {
    if (flags.seed !== undefined) throw new UsageError('--seed picks the items of a --sample: give --sample <n> too');
    return undefined;
  }
  if (input === STDIN_PATH) throw new UsageError('--sample needs an input file: stdin cannot be read twice');
  return { count: flags.sample, seed: flags.seed ?? '0' };
}

/** Flex requests can take up to about 15 minutes (OpenAI's flex guide); others get two. */
const DEFAULT_TIMEOUT_SECONDS = 120;
const FLEX_TIMEOUT_SECONDS = 900;

function defaultTimeoutSeconds(tier: ServiceTier): number {
  return tier === 'flex' ? FLEX_TIMEOUT_SECONDS : DEFAULT_TIMEOUT_SECONDS;
}

/** `--service-tier` goes into the request as `service_tier`, where `--param service_tier=…` would put it too. */
function withServiceTier(extra: Record<string, unknown>, tier: ServiceTier | undefined): Record<string, unknown> {
  return tier === undefined ? extra : { ...extra, service_tier: tier };
}

/** Service tiers are OpenAI's, for realtime requests; refused elsewhere before anything is sent. */
function checkServiceTier(flags: RunFlags, provider: ProviderSettings, tier: ServiceTier): void {
  if (provider.provider !== 'azure' && (flags.deployment !== undefined || flags.apiVersion !== undefined)) {
    throw new UsageError('--deployment and --api-version are Azure OpenAI\'s: add --provider azure');
  }
  if (flags.serviceTier !== undefined && provider.provider === 'anthropic') {
    throw new UsageError('--service-tier is OpenAI\'s (default, flex, priority); Anthropic takes --param service_tier=auto|standard_only');
  }
  if (tier !== 'default' && flags.mode === 'batch') {
    throw new UsageError(`--service-tier ${tier} applies to realtime requests; --mode batch is already billed at batch prices`);
  }
  if (flags.flexFallback !== undefined) {
    if (tier !== 'flex') throw new UsageError('--flex-fallback needs --service-tier flex');
    if (flags.flexFallback > flags.maxRetries) {
      throw new UsageError(`--flex-fallback ${flags.flexFallback} would never be reached: it counts retries, and --max-retries is ${flags.maxRetries}`);
    }
  }
}

/** `--redis`, else `LLM_BATCH_REDIS_URL`; checked here so a typo is exit 2 before anything happens. */
function resolveRedisUrl(flags: RunFlags, env: Environment['env']): string | undefined {
  const url = flags.redis ?? (env.LLM_BATCH_REDIS_URL === '' ? undefined : env.LLM_BATCH_REDIS_URL);
  if (url !== undefined) describeRedisUrl(url);
  if (flags.budgetKey !== undefined) {
    if (flags.budget === undefined) throw new UsageError('--budget-key names a shared --budget: give --budget <usd> too');
    if (url === undefined) throw new UsageError('--budget-key shares the budget through Redis: give --redis <url> (or set LLM_BATCH_REDIS_URL)');
  }
  return url;
}

/**
 * With --budget and no max tokens, the budget reserves the provider's default output ceiling per request;
 * sending that ceiling as max_tokens makes it a hard bound, so the budget really cannot be overshot.
 */
function budgetCap(flags: RunFlags, provider: ProviderSettings): number | undefined {
  if (flags.budget === undefined) return undefined;
  return estimateWorstCaseOutputTokens({}, provider.provider);
}

async function readSchemaFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --schema file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--schema file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new UsageError(`--schema file ${path} must hold a JSON Schema object`);
  }
  return schema as Record<string, unknown>;
}

/** Undefined keys would make two equal runs fingerprint and cache differently. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
