/**
 * The pipeline every chat endpoint shares, in the order a real provider applies it: auth → parse and
 * validate → account conditions (quota, overload) → rate limits → injected faults → latency → answer.
 * Errors before the rate limiter are immediate; faults and answers wait the configured latency.
 */
import { capToMaxTokens, mockAnswer } from './answer.js';
import { isErrorSpec, type ApiErrorSpec, type Dialect, type ParsedRequest, type SuccessInput } from './dialect.js';
import type { Exchange, ResponseHeaders } from './exchange.js';
import { injectFault } from './fault-injection.js';
import { FLEX_UNAVAILABLE } from './flex-capacity.js';
import { hashKey } from './hash.js';
import { formatGoDuration, setRetryAfter } from './rate-limit-headers.js';
import type { LimitName } from './rate-limits.js';
import type { MockState } from './state.js';
import type { MockTokenTotals } from './stats.js';

const LIMIT_LABELS: Record<LimitName, string> = {
  requests: 'requests per min (RPM)',
  tokens: 'tokens per min (TPM)',
  'input-tokens': 'input tokens per min (ITPM)',
  'output-tokens': 'output tokens per min (OTPM)',
};

/** Handle one chat request in `dialect`. */
export function handleCompletion(dialect: Dialect, state: MockState, ex: Exchange): void {
  const now = Date.now();
  const behaviour = state.behaviour;
  const requestId = state.ids.next('req_');
  const headers: ResponseHeaders = { [dialect.requestIdHeader]: requestId };
  const fail = (spec: ApiErrorSpec): void => sendError(dialect, ex, spec, requestId, headers);

  const authError = dialect.authenticate(ex.req, behaviour.apiKey);
  if (authError) return fail(authError);
  state.recentRequests.add(ex.path, ex.req.headers, ex.body);
  let json: unknown;
  try {
    json = JSON.parse(ex.body);
  } catch {
    return fail({ kind: 'invalid_request', message: dialect.malformedJsonMessage });
  }
  const parsed = dialect.parse(json, ex.req);
  if (isErrorSpec(parsed)) return fail(parsed);
  if (behaviour.trackPrompts) state.stats.countPrompt(parsed.prompt);
  if (behaviour.quotaExhausted) return fail({ kind: 'quota' });
  if (behaviour.overloaded) return fail({ kind: 'overloaded' });
  // No flex capacity: answered at once, before the rate limiter (it is not a rate limit).
  if (parsed.chat.params.extra.service_tier === 'flex' && state.flex.unavailable(behaviour, parsed.prompt, () => `${ex.path} ${hashKey(ex.body)}`)) {
    state.stats.countFault('flex-unavailable');
    return fail(FLEX_UNAVAILABLE);
  }

  const raw = mockAnswer(parsed.chat);
  // A forced tool call is never cut short: its input must stay valid JSON.
  const answer = parsed.toolName !== undefined ? { ...raw, truncated: false } : capToMaxTokens(raw, parsed.chat.params.maxTokens);
  if (state.limiter.active) {
    const decision = state.limiter.check(answer.usage.inputTokens, answer.usage.outputTokens, now);
    dialect.rateLimitHeaders(decision.limits, now, headers);
    if (!decision.allowed) {
      state.stats.rateLimited++;
      setRetryAfter(headers, decision.waitMs, dialect.sendsRetryAfterMs);
      const limit = decision.limits.find((l) => l.name === decision.limitedBy)?.limit;
      const message = `Rate limit reached for ${parsed.chat.params.model} on ${LIMIT_LABELS[decision.limitedBy]}: Limit ${limit}. Please try again in ${formatGoDuration(decision.waitMs)}.`;
      return fail({ kind: 'rate_limit', type: decision.limitedBy === 'requests' ? 'requests' : 'tokens', message });
    }
  }

  const fault = state.faults.plan(behaviour, parsed.prompt, () => `${ex.path} ${hashKey(ex.body)}`);
  const respond = (): void => {
    // The client gave up while we "thought": nothing is delivered, so nothing is counted as answered.
    if (ex.clientLeft()) return;
    if (fault !== undefined) {
      state.stats.countFault(fault);
      const successBody = (): string => buildSuccess(dialect, state, parsed, answer).body;
      return injectFault(fault, { dialect, ex, headers, successBody, sendError: fail, retryAfterMs: behaviour.faultRetryAfterMs });
    }
    const success = buildSuccess(dialect, state, parsed, answer);
    state.stats.recordSuccess(behaviour.trackPrompts ? parsed.prompt : undefined, success.tokens, behaviour);
    if (dialect.name === 'openai') headers['openai-processing-ms'] = Date.now() - now;
    ex.send(200, headers, success.body);
  };
  const delay = state.nextLatency();
  if (delay > 0) setTimeout(respond, delay);
  else respond();
}

/** The success body and what it bills; reading or writing the prompt cache happens here. */
function buildSuccess(dialect: Dialect, state: MockState, parsed: ParsedRequest, answer: SuccessInput['answer']): { body: string; tokens: MockTokenTotals } {
  const now = Date.now();
  const { cacheTtlMs, cacheMinTokens } = state.behaviour;
  const { inputTokens, outputTokens } = answer.usage;
  const cache =
    parsed.cacheBreakpoints.length === 0
      ? { read: 0, write: 0 }
      : state.promptCache.use(parsed.cacheBreakpoints, inputTokens, now, cacheTtlMs, cacheMinTokens);
  const body = dialect.successBody({ parsed, answer, cache, id: state.ids.next(dialect.idPrefix), now });
  return { body, tokens: { input: inputTokens, output: outputTokens, cacheRead: cache.read, cacheWrite: cache.write } };
}

function sendError(dialect: Dialect, ex: Exchange, spec: ApiErrorSpec, requestId: string, headers: ResponseHeaders): void {
  const error = dialect.error(spec, requestId);
  ex.send(error.status, headers, error.body, error.contentType);
}
