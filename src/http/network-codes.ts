/**
 * Which thrown errors are transport failures, decided by their stable `code` (undici's `UND_ERR_*` or
 * Node's errno names), never by message text. undici wraps the socket error in `cause`, and Node's
 * happy-eyeballs connect throws an `AggregateError` whose `errors` hold the real codes, so both are walked.
 */

/** undici codes that mean the connection or the server failed, not our request. */
const UNDICI_NETWORK_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_INFO',
  'UND_ERR_RES_EXCEEDED_MAX_SIZE',
]);

/** A response body that ended before its declared length: reported as truncated, not as a network error. */
export const TRUNCATED_BODY_CODE = 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH';

/**
 * Node errno names (`ECONNRESET`, `EPIPE`, `ENOTFOUND`, `EAI_AGAIN`) and TLS failures. `ERR_*` codes are
 * Node's argument/usage errors (bugs, not network trouble), except the TLS and stream ones listed.
 */
const SYSTEM_CODE = /^(E(?!RR_)[A-Z0-9_]+|ERR_TLS_[A-Z_]+|ERR_SSL_[A-Z_]+|CERT_[A-Z_]+|UNABLE_TO_[A-Z_]+|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_STREAM_PREMATURE_CLOSE)$/;

/** How deep to follow `cause` chains; undici nests at most two or three levels. */
const MAX_CAUSE_DEPTH = 6;

/** The first transport-failure code in the error, its causes or its aggregated errors. */
export function findNetworkCode(error: unknown): string | undefined {
  return codesOf(error, 0).find(isNetworkCode);
}

/** Every string `code` in the error and its causes, outermost first. */
export function codesOf(error: unknown, depth = 0): string[] {
  if (depth > MAX_CAUSE_DEPTH || typeof error !== 'object' || error === null) return [];
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  const own = typeof code === 'string' ? [code] : [];
  const nested = Array.isArray(errors) ? errors.flatMap((inner) => codesOf(inner, depth + 1)) : [];
  return [...own, ...codesOf(cause, depth + 1), ...nested];
}

function isNetworkCode(code: string): boolean {
  return UNDICI_NETWORK_CODES.has(code) || SYSTEM_CODE.test(code);
}
