/**
 * Turn the request parameters a user gave (template `config`, `--param`, `--temperature`, `--max-tokens`)
 * into one provider's wire names, using `param-table.ts` and `model-rules.ts`. Runs once, before any item is
 * read: a parameter the provider or model does not take is a `UsageError` (exit 2) that names it, the
 * provider and what to use instead. One exception, documented in the README: a template's own sampling
 * settings (`config.temperature`) are dropped with a warning for a model family that rejects them, because
 * `-m` chooses the model and the template was written for another.
 */
import { UsageError } from '../errors.js';
import { openAiModelFamily } from './model-rules.js';
import {
  findParamRow,
  MAX_TOKENS_NAMES,
  PARAM_TABLE,
  PROVIDER_LABEL,
  TEMPERATURE_NAMES,
  TEMPERATURE_RANGE,
  type Route,
} from './param-table.js';
import type { ProviderId } from './types.js';

/** One parameter as the user gave it. */
export interface GivenParam {
  name: string;
  value: unknown;
  /** Where it came from, for messages: `config.topK in classify.prompt`, `--param top_k`, `--temperature`. */
  label: string;
  /** From the template's front matter (softer rule for model-family conflicts), else the command line. */
  fromTemplate: boolean;
}

export interface MapParamsInput {
  /** The wire's provider: Azure maps as `openai`. */
  provider: Exclude<ProviderId, 'azure'>;
  model: string;
  /** False when `--base-url` (or the base URL variable) points at another server: gateway names are allowed. */
  officialEndpoint: boolean;
  /** In precedence order: later entries override earlier ones (template first, then the command line). */
  params: readonly GivenParam[];
}

export interface MappedParams {
  temperature?: number;
  maxTokens?: number;
  /** Wire name → value, for this provider. */
  extra: Record<string, unknown>;
  /** Template settings that were dropped, one line each. */
  warnings: string[];
}

/** Map every given parameter for `input.provider`; throws `UsageError` on the first one it must refuse. */
export function mapRequestParams(input: MapParamsInput): MappedParams {
  const result: MappedParams = { extra: {}, warnings: [] };
  const latest = new Map<string, GivenParam>();
  for (const param of input.params) latest.set(canonicalName(param.name), param);
  for (const param of latest.values()) mapOne(param, input, result);
  return result;
}

/** Aliases (`topK`, `top_k`) collapse to one key, so a flag overrides the template's value under another name. */
function canonicalName(name: string): string {
  if (TEMPERATURE_NAMES.has(name)) return 'temperature';
  if (MAX_TOKENS_NAMES.has(name)) return 'max_tokens';
  return findParamRow(name)?.names[0] ?? name;
}

function mapOne(param: GivenParam, input: MapParamsInput, result: MappedParams): void {
  if (MAX_TOKENS_NAMES.has(param.name)) {
    if (!Number.isSafeInteger(param.value) || (param.value as number) < 1) refuse(param, `expected an integer ≥ 1, got ${JSON.stringify(param.value)}`);
    result.maxTokens = param.value as number;
    return;
  }
  if (input.provider === 'mock') {
    if (TEMPERATURE_NAMES.has(param.name) && typeof param.value === 'number') result.temperature = param.value;
    else result.extra[param.name] = param.value;
    return;
  }
  // Every provider but Anthropic speaks OpenAI's parameters (Azure OpenAI and compatible servers too).
  const provider = input.provider === 'anthropic' ? 'anthropic' : 'openai';
  if (TEMPERATURE_NAMES.has(param.name)) {
    if (typeof param.value !== 'number' || !inRange(param.value, TEMPERATURE_RANGE[provider])) {
      const [min, max] = TEMPERATURE_RANGE[provider];
      refuse(param, `${PROVIDER_LABEL[provider]} takes a temperature from ${min} to ${max}, got ${JSON.stringify(param.value)}`);
    }
    if (allowedByFamily(param, 'temperature', input, result)) result.temperature = param.value;
    return;
  }
  const route: Route<string> | undefined = findParamRow(param.name)?.[provider];
  if (route === undefined) {
    // Gateways and local servers take parameters of their own (OpenRouter `provider`, vLLM `repetition_penalty`).
    if (!input.officialEndpoint) {
      result.extra[param.name] = param.value;
      return;
    }
    refuse(param, `${PROVIDER_LABEL[provider]} has no parameter "${param.name}"`, [
      `Parameters it takes under other names: ${knownNames(provider)}.`,
      'A server behind --base-url receives unknown parameters unchanged.',
    ]);
  }
  if ('refuse' in route) {
    if (route.gateway !== undefined && !input.officialEndpoint) {
      result.extra[route.gateway] = param.value;
      return;
    }
    refuse(param, `${PROVIDER_LABEL[provider]} does not take it: ${route.refuse}`);
  }
  if (route.range !== undefined && (typeof param.value !== 'number' || !inRange(param.value, route.range))) {
    refuse(param, `${PROVIDER_LABEL[provider]} takes ${route.send} from ${route.range[0]} to ${route.range[1]}, got ${JSON.stringify(param.value)}`);
  }
  if (allowedByFamily(param, route.send, input, result)) result.extra[route.send] = param.value;
}

/** Model-family rules: refused from the command line, dropped with a warning from a template. */
function allowedByFamily(param: GivenParam, wireName: string, input: MapParamsInput, result: MappedParams): boolean {
  if (input.provider === 'anthropic' || input.provider === 'mock') return true;
  const family = openAiModelFamily(input.model);
  const instead = family.rejects[wireName as keyof typeof family.rejects];
  if (instead === undefined) return true;
  const why = `${input.model} is ${family.description} and takes no ${wireName}`;
  if (param.fromTemplate) {
    result.warnings.push(`${param.label} is not sent: ${why} (${instead})`);
    return false;
  }
  refuse(param, `${why} (${PROVIDER_LABEL.openai})`, [`Instead: ${instead}.`]);
}

function refuse(param: GivenParam, reason: string, details: string[] = []): never {
  throw new UsageError(`${param.label}: ${reason}`, details);
}

function inRange(value: number, [min, max]: readonly [number, number]): boolean {
  return Number.isFinite(value) && value >= min && value <= max;
}

function knownNames(provider: 'openai' | 'anthropic'): string {
  const names = PARAM_TABLE.flatMap((row) => {
    const route = row[provider];
    return 'send' in route ? [route.send] : [];
  });
  return ['temperature', ...new Set(names)].join(', ');
}
