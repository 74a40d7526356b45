/**
 * Request parameters as data: every name a user may give (Dotprompt `config` key, `--param` key) and what
 * it becomes on each provider's wire, or why it is refused and what to use instead. The wire names are
 * keys of the official SDK request types, so a name the provider lacks fails `npm run typecheck`.
 */
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';

export type OpenAiParam = keyof ChatCompletionCreateParamsNonStreaming;
export type AnthropicParam = keyof MessageCreateParamsNonStreaming;

/** How one parameter reaches one provider. */
export type Route<W extends string> =
  /** Sent under `send`; a number outside `range` is refused. */
  | { send: W; range?: readonly [number, number] }
  /**
   * Refused on the provider's own endpoint, with what to use instead. `gateway`: the name OpenAI-compatible
   * servers (vLLM, OpenRouter, Ollama) take it under, sent when `--base-url` points elsewhere.
   */
  | { refuse: string; gateway?: string };

export interface ParamRow {
  /** Names a user may write: the Dotprompt (camelCase) key first, then the wire names. */
  names: readonly string[];
  openai: Route<OpenAiParam>;
  anthropic: Route<AnthropicParam>;
}

const ONE_ANSWER = 'llm-batch records one answer per item; remove it (run the items again for another sample)';
const SET_BY_LLM_BATCH = 'llm-batch builds this field itself from the template, --system and --schema';

/** Parameters whose name or meaning differs between the providers. */
export const PARAM_TABLE: readonly ParamRow[] = [
  { names: ['topP', 'top_p'], openai: { send: 'top_p', range: [0, 1] }, anthropic: { send: 'top_p', range: [0, 1] } },
  {
    names: ['topK', 'top_k'],
    openai: { refuse: 'OpenAI has no top_k; use topP (top_p) or temperature instead', gateway: 'top_k' },
    anthropic: { send: 'top_k' },
  },
  {
    names: ['stopSequences', 'stop', 'stop_sequences'],
    openai: { send: 'stop' },
    anthropic: { send: 'stop_sequences' },
  },
  {
    names: ['frequencyPenalty', 'frequency_penalty'],
    openai: { send: 'frequency_penalty', range: [-2, 2] },
    anthropic: { refuse: 'Anthropic has no frequency penalty; remove it, or lower temperature for less repetition' },
  },
  {
    names: ['presencePenalty', 'presence_penalty'],
    openai: { send: 'presence_penalty', range: [-2, 2] },
    anthropic: { refuse: 'Anthropic has no presence penalty; remove it' },
  },
  { names: ['candidateCount', 'n'], openai: { refuse: ONE_ANSWER }, anthropic: { refuse: ONE_ANSWER } },
  {
    names: ['seed'],
    openai: { send: 'seed' },
    anthropic: { refuse: 'Anthropic has no seed; temperature 0 gives the most repeatable answers' },
  },
  {
    names: ['reasoningEffort', 'reasoning_effort'],
    openai: { send: 'reasoning_effort' },
    anthropic: { refuse: 'Anthropic calls it extended thinking: --param \'thinking={"type":"enabled","budget_tokens":2048}\'' },
  },
  {
    names: ['thinking'],
    openai: { refuse: 'OpenAI reasoning models take reasoning_effort (--param reasoning_effort=high)' },
    anthropic: { send: 'thinking' },
  },
  { names: ['serviceTier', 'service_tier'], openai: { send: 'service_tier' }, anthropic: { send: 'service_tier' } },
  { names: ['metadata'], openai: { send: 'metadata' }, anthropic: { send: 'metadata' } },
  {
    names: ['user'],
    openai: { send: 'user' },
    anthropic: { refuse: 'Anthropic takes the end user as metadata: --param \'metadata={"user_id":"…"}\'' },
  },
  ...['logitBias:logit_bias', 'logprobs:logprobs', 'topLogprobs:top_logprobs'].map((pair): ParamRow => {
    const [camel, wire] = pair.split(':') as [string, OpenAiParam];
    return { names: [camel, wire], openai: { send: wire }, anthropic: { refuse: `Anthropic has no ${wire}; remove it` } };
  }),
  ...(
    [
      'safety_identifier',
      'prompt_cache_key',
      'prompt_cache_retention',
      'store',
      'verbosity',
    ] as const satisfies readonly OpenAiParam[]
  ).map((wire): ParamRow => ({
    names: [wire],
    openai: { send: wire },
    anthropic: { refuse: `${wire} is an OpenAI parameter; Anthropic has no equivalent` },
  })),
  ...(['inference_geo', 'speed'] as const satisfies readonly AnthropicParam[]).map((wire): ParamRow => ({
    names: [wire],
    openai: { refuse: `${wire} is an Anthropic parameter; OpenAI has no equivalent` },
    anthropic: { send: wire },
  })),
  ...[
    'model',
    'messages',
    'system',
    'stream',
    'stream_options',
    'tools',
    'tool_choice',
    'functions',
    'function_call',
    'response_format',
    'cache_control',
  ].map((wire): ParamRow => ({ names: [wire], openai: { refuse: SET_BY_LLM_BATCH }, anthropic: { refuse: SET_BY_LLM_BATCH } })),
];

/** Names that set the sampling temperature (a first-class request field, checked by model family). */
export const TEMPERATURE_NAMES: ReadonlySet<string> = new Set(['temperature']);
/** Names that set the output-token limit (first-class; the wire field depends on the model family). */
export const MAX_TOKENS_NAMES: ReadonlySet<string> = new Set(['maxOutputTokens', 'maxTokens', 'max_tokens', 'max_completion_tokens']);

/** Valid sampling temperatures per provider: Anthropic stops at 1, OpenAI at 2. */
export const TEMPERATURE_RANGE: Readonly<Record<'openai' | 'anthropic', readonly [number, number]>> = {
  openai: [0, 2],
  anthropic: [0, 1],
};

/** Human names for messages. */
export const PROVIDER_LABEL: Readonly<Record<'openai' | 'anthropic', string>> = {
  openai: 'OpenAI Chat Completions',
  anthropic: 'Anthropic Messages',
};

const ROW_BY_NAME: ReadonlyMap<string, ParamRow> = new Map(PARAM_TABLE.flatMap((row) => row.names.map((name) => [name, row] as const)));

/** The row for a user-given name: exact, or its snake_case form (`logitBias` → `logit_bias`). */
export function findParamRow(name: string): ParamRow | undefined {
  return ROW_BY_NAME.get(name) ?? ROW_BY_NAME.get(toSnakeCase(name));
}

export function toSnakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
