/**
 * Request parameters under the Responses API, as data. Flags, `--param` and Dotprompt `config` keys arrive
 * under their Chat Completions names (the parameter tables speak that dialect); this table says what each
 * becomes in a `POST /responses` body, or why the Responses API cannot take it. The targets are keys of
 * the official SDK request type, so a name the API lacks fails `npm run typecheck`.
 */
import type { ResponseCreateParamsNonStreaming } from 'openai/resources/responses/responses';
import { UsageError } from '../errors.js';

type ResponsesKey = keyof ResponseCreateParamsNonStreaming;

/** A Chat Completions name → its Responses place: a top-level key, a nested one, or a refusal. */
type Translation = { key: ResponsesKey } | { nested: 'reasoning.effort' | 'text.verbosity' } | { refuse: string };

const RESPONSES_PARAMS: Readonly<Record<string, Translation>> = {
  reasoning_effort: { nested: 'reasoning.effort' },
  verbosity: { nested: 'text.verbosity' },
  max_tokens: { key: 'max_output_tokens' },
  max_completion_tokens: { key: 'max_output_tokens' },
  max_output_tokens: { key: 'max_output_tokens' },
  top_p: { key: 'top_p' },
  top_logprobs: { key: 'top_logprobs' },
  metadata: { key: 'metadata' },
  user: { key: 'user' },
  safety_identifier: { key: 'safety_identifier' },
  service_tier: { key: 'service_tier' },
  store: { key: 'store' },
  prompt_cache_key: { key: 'prompt_cache_key' },
  prompt_cache_retention: { key: 'prompt_cache_retention' },
  truncation: { key: 'truncation' },
  parallel_tool_calls: { key: 'parallel_tool_calls' },
  background: { refuse: 'llm-batch waits for each answer; background responses are not supported' },
  stop: { refuse: 'the Responses API has no stop sequences; use --api chat' },
  seed: { refuse: 'the Responses API has no seed; use --api chat' },
  frequency_penalty: { refuse: 'the Responses API has no frequency_penalty; use --api chat' },
  presence_penalty: { refuse: 'the Responses API has no presence_penalty; use --api chat' },
  logit_bias: { refuse: 'the Responses API has no logit_bias; use --api chat' },
  logprobs: { refuse: 'the Responses API returns logprobs through top_logprobs; use --param top_logprobs=N' },
  n: { refuse: 'llm-batch records one answer per item' },
  response_format: { refuse: 'give the schema with --schema; the Responses API takes it under text.format' },
};

/**
 * Refuse, before any request, a parameter the Responses API cannot take (exit 2). Unknown names pass
 * through unchanged: the Responses API grows faster than our table.
 */
export function checkResponsesParams(extra: Readonly<Record<string, unknown>>): void {
  for (const name of Object.keys(extra)) {
    const translation = RESPONSES_PARAMS[name];
    if (translation !== undefined && 'refuse' in translation) {
      throw new UsageError(`The Responses API does not take the parameter "${name}": ${translation.refuse}`);
    }
  }
}

/** Place `extra` into a Responses body (which is mutated): renamed, nested, or as given. */
export function applyResponsesParams(body: Record<string, unknown>, extra: Readonly<Record<string, unknown>>): void {
  for (const [name, value] of Object.entries(extra)) {
    const translation = RESPONSES_PARAMS[name];
    if (translation === undefined) body[name] = value;
    else if ('key' in translation) body[translation.key] = value;
    else if ('nested' in translation) {
      const [parent, child] = translation.nested.split('.') as [string, string];
      const current = body[parent];
      body[parent] = { ...(typeof current === 'object' && current !== null ? current : {}), [child]: value };
    } else throw new UsageError(`The Responses API does not take the parameter "${name}": ${translation.refuse}`);
  }
}
