/**
 * Model-family rules, as data: which output-token field a family takes and which parameters it rejects.
 * OpenAI's reasoning models (o1, o3, o4, gpt-5) answer 400 to `temperature`, `top_p`, the penalties and
 * `max_tokens`; a fine-tuned model (`ft:o4-mini-2025-04-16:org::id`) follows the rules of its base model.
 */
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';

type OpenAiParam = keyof ChatCompletionCreateParamsNonStreaming;

export interface ModelFamily {
  /** How messages name the family: "o4-mini is a reasoning model". */
  description: string;
  /** Tested against the base model name (see `baseModelName`). */
  match: RegExp;
  /** The field that carries `--max-tokens` / `maxOutputTokens`. */
  maxTokensField: Extract<OpenAiParam, 'max_tokens' | 'max_completion_tokens'>;
  /** Wire parameters the family rejects → what to use instead. */
  rejects: Partial<Record<OpenAiParam, string>>;
}

const REASONING_INSTEAD = 'reasoning models sample at their own fixed settings; steer them with reasoning_effort (--param reasoning_effort=low)';

/** First match wins; the last entry matches every model. */
export const OPENAI_MODEL_FAMILIES: readonly ModelFamily[] = [
  {
    description: 'a reasoning model',
    // gpt-5-chat-latest is the non-reasoning chat model behind ChatGPT and takes the usual parameters.
    match: /^(?:o\d|gpt-5(?!-chat))/,
    maxTokensField: 'max_completion_tokens',
    rejects: {
      temperature: REASONING_INSTEAD,
      top_p: REASONING_INSTEAD,
      presence_penalty: REASONING_INSTEAD,
      frequency_penalty: REASONING_INSTEAD,
      logprobs: 'reasoning models return no log probabilities',
      top_logprobs: 'reasoning models return no log probabilities',
      logit_bias: 'reasoning models take no logit_bias',
    },
  },
  {
    description: 'a chat model',
    match: /(?:)/,
    // Every OpenAI-compatible server (vLLM, Ollama, gateways) understands max_tokens; OpenAI still accepts it.
    maxTokensField: 'max_tokens',
    rejects: {},
  },
];

/**
 * The model name the family rules look at: the last path segment (`openai/o3-mini` → `o3-mini`), and for a
 * fine-tuned model its base (`ft:o4-mini-2025-04-16:acme::abc123` → `o4-mini-2025-04-16`).
 */
export function baseModelName(model: string): string {
  const name = model.slice(model.lastIndexOf('/') + 1);
  if (!name.startsWith('ft:')) return name;
  const base = name.split(':')[1];
  return base === undefined || base === '' ? name : base;
}

/** The OpenAI family `model` belongs to. */
export function openAiModelFamily(model: string): ModelFamily {
  const base = baseModelName(model);
  const family = OPENAI_MODEL_FAMILIES.find((candidate) => candidate.match.test(base));
  if (family === undefined) throw new Error('OPENAI_MODEL_FAMILIES must end with a catch-all entry');
  return family;
}
