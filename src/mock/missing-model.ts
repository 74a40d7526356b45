/**
 * Model names the mock server answers with the provider's 404 for a model the key cannot use (OpenAI
 * `model_not_found`, Anthropic `not_found_error`), so tests can see a run stop on the first such answer.
 */
export const MISSING_MODEL = /(?:^|[/-])(?:nonexistent|does-not-exist)(?:$|-)/;
