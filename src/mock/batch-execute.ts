/**
 * One request inside a mock batch, answered as the realtime endpoint would answer it: the dialect's own
 * parsing and validation, `mockAnswer`, and the `[[fault:NNN]]` markers as that request's HTTP error.
 * Transport faults (reset, hang, truncated) have no meaning inside a batch and are ignored.
 */
import type { IncomingMessage } from 'node:http';
import { capToMaxTokens, mockAnswer } from './answer.js';
import { isErrorSpec, type ApiErrorSpec, type Dialect, type ErrorKind } from './dialect.js';
import type { MockState } from './state.js';
import type { MockTokenTotals } from './stats.js';

/** What the request would have got: its status and JSON body, and what a success bills. */
export interface ExecutedRequest {
  status: number;
  body: unknown;
  /** The last user message text, the stats key (empty when the request did not parse). */
  prompt: string;
  /** Present on success. */
  tokens?: MockTokenTotals;
}

const STATUS_MARKER = /\[\[fault:(\d{3})\]\]/i;

/** Marker status → the error a real provider sends with it (502 is a CDN page, so it becomes a 500 here). */
const MARKER_KINDS: Readonly<Record<string, ErrorKind>> = {
  '400': 'invalid_request',
  '401': 'authentication',
  '404': 'not_found',
  '429': 'rate_limit',
  '500': 'server',
  '502': 'server',
  '503': 'unavailable',
  '529': 'overloaded',
};

/** Answer one batch request. `req` is the create call (Anthropic's parser reads its headers). */
export function executeBatchRequest(dialect: Dialect, state: MockState, body: unknown, req: IncomingMessage): ExecutedRequest {
  const requestId = state.ids.next('req_');
  const fail = (spec: ApiErrorSpec, prompt: string): ExecutedRequest => {
    const error = dialect.error(spec, requestId);
    return { status: error.status, body: JSON.parse(error.body) as unknown, prompt };
  };
  const parsed = dialect.parse(body, req);
  if (isErrorSpec(parsed)) return fail(parsed, '');

  const marker = parsed.prompt.includes('[[') ? STATUS_MARKER.exec(parsed.prompt) : null;
  const kind = marker ? MARKER_KINDS[marker[1]] : undefined;
  if (kind !== undefined) {
    state.stats.countFault(marker?.[1] ?? kind);
    return fail({ kind, message: kind === 'invalid_request' ? 'Injected fault: this request is invalid.' : undefined }, parsed.prompt);
  }

  const raw = mockAnswer(parsed.chat);
  const answer = parsed.toolName !== undefined ? { ...raw, truncated: false } : capToMaxTokens(raw, parsed.chat.params.maxTokens);
  const text = dialect.successBody({
    parsed,
    answer,
    cache: { read: 0, write: 0 },
    id: state.ids.next(dialect.idPrefix),
    now: Date.now(),
  });
  const tokens = { input: answer.usage.inputTokens, output: answer.usage.outputTokens, cacheRead: 0, cacheWrite: 0 };
  return { status: 200, body: JSON.parse(text) as unknown, prompt: parsed.prompt, tokens };
}
