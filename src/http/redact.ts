/**
 * Scrubbing secrets out of text that may reach an error message, a log line or a failure record
 * (SPEC §14). Providers echo keys back (OpenAI's 401 says "Incorrect API key provided: sk-…"), so every
 * provider-controlled string is redacted before it is stored on an error.
 */

export const REDACTED = '[REDACTED]';

/** Shapes of API keys and bearer tokens, scrubbed even when the exact secret is not known. */
const KEY_PATTERNS: readonly RegExp[] = [
  // OpenAI (sk-, sk-proj-), Anthropic (sk-ant-…), OpenRouter (sk-or-…): long runs after an `sk-` prefix.
  /\bsk-[A-Za-z0-9_*.-]{8,}/g,
  /\bBearer\s+[A-Za-z0-9_*.~+/=-]{8,}/gi,
  /\b(x-api-key|api[_-]?key|key)=([^&\s"']{8,})/gi,
];

/** Secrets shorter than this are not replaced verbatim: they would match ordinary words. */
const MIN_SECRET_LENGTH = 6;

/** Replace known secrets and anything shaped like an API key with `[REDACTED]`. */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_LENGTH) result = result.split(secret).join(REDACTED);
  }
  for (const pattern of KEY_PATTERNS) {
    // Only the `name=value` pattern has a capture group; keep the name so the message stays readable.
    result = result.replace(pattern, (_match, name: unknown) =>
      typeof name === 'string' ? `${name}=${REDACTED}` : REDACTED,
    );
  }
  return result;
}
