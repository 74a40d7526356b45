/**
 * OpenAI's two request APIs, and which models only the newer one serves, as data. `--api` picks one;
 * without it a model listed here goes to the Responses API and every other model to Chat Completions.
 */

/** `chat`: `POST {base}/chat/completions`; `responses`: `POST {base}/responses`. */
export type OpenAiApi = 'chat' | 'responses';

export const OPENAI_APIS: readonly OpenAiApi[] = ['chat', 'responses'];

/**
 * Models OpenAI serves through the Responses API only (their model pages list no Chat Completions
 * endpoint): the `-pro` reasoning models, deep research, Codex and computer use. Matched on the last path
 * segment, so gateway names like `openai/o3-pro` match too.
 */
export const RESPONSES_ONLY_MODELS: readonly RegExp[] = [
  /^o1-pro/,
  /^o3-pro/,
  /^o3-deep-research/,
  /^o4-mini-deep-research/,
  /^gpt-5(\.\d+)?-pro/,
  /^gpt-5(\.\d+)?-codex/,
  /^codex-mini/,
  /^computer-use-preview/,
];

/** True when `model` is served by the Responses API only. */
export function isResponsesOnlyModel(model: string): boolean {
  const name = model.slice(model.lastIndexOf('/') + 1);
  return RESPONSES_ONLY_MODELS.some((pattern) => pattern.test(name));
}
