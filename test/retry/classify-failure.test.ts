import { describe, expect, it } from 'vitest';
import {
  ApiError,
  createAbortError,
  createApiError,
  MalformedResponseError,
  NetworkError,
  TimeoutError,
} from '../../src/http/errors.js';
import type { FailureClass } from '../../src/journal/records.js';
import { InvalidOutputError, RefusalError } from '../../src/providers/invalid-output-error.js';
import { classifyFailure, formatDuration } from '../../src/retry/classify-failure.js';
import type { Disposition } from '../../src/retry/types.js';
import { loadFixtureText } from '../providers/load-fixture.js';

const MAX_WAIT_MS = 600_000;
const NOW = Date.parse('2025-06-01T12:00:00Z');

function classify(error: unknown) {
  return classifyFailure(error, { maxWaitMs: MAX_WAIT_MS, nowMs: NOW });
}

function apiError(status: number, body: unknown = {}, headers: Record<string, string> = {}): ApiError {
  return createApiError(status, headers, typeof body === 'string' ? body : JSON.stringify(body));
}

const completion = {
  text: '{"label":',
  finishReason: 'length',
  truncated: true,
  usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
  model: 'gpt-4o-mini',
};

describe('classifyFailure: a model the key cannot use', () => {
  it('stops the run with the words the caller gives for the model', () => {
    const error = apiError(404, { error: { message: 'The model `gpt-9` does not exist', type: 'invalid_request_error', code: 'model_not_found' } });
    const outcome = classifyFailure(error, { maxWaitMs: MAX_WAIT_MS, describeMissingModel: (message) => `gpt-9 is unknown (${message})` });
    expect(outcome).toMatchObject({ disposition: 'fatal', info: { code: 'model_not_found', message: expect.stringMatching(/^gpt-9 is unknown \(HTTP 404/) } });
  });
});

describe('classifyFailure: refusals', () => {
  it('dead-letters a refusal at once, with its text', () => {
    const refused = new RefusalError({ ...completion, text: '', refusal: 'No.' });
    expect(classify(refused)).toMatchObject({ disposition: 'dead-letter', info: { class: 'refusal', message: 'the model refused to answer: No.' } });
  });
});

describe('classifyFailure: HTTP statuses', () => {
  it.each<[string, ApiError, Disposition, FailureClass, boolean]>([
    ['401', apiError(401, loadFixtureText('provider-openai-error-invalid-key.json')), 'fatal', 'auth', false],
    ['403', apiError(403, { type: 'error', error: { type: 'permission_error', message: 'no access' } }), 'fatal', 'auth', false],
    ['402 (gateway out of credit)', apiError(402, { error: { message: 'Insufficient credits', code: 402 } }), 'fatal', 'quota', false],
    ['OpenAI 429 insufficient_quota', apiError(429, loadFixtureText('provider-openai-error-insufficient-quota.json')), 'fatal', 'quota', false],
    ['OpenAI 429 type-only insufficient_quota', apiError(429, { error: { message: 'quota', type: 'insufficient_quota', code: null } }), 'fatal', 'quota', false],
    ['Anthropic 400 credit balance too low', apiError(400, loadFixtureText('provider-anthropic-error-credit-balance.json')), 'fatal', 'quota', false],
    ['429 rate limit', apiError(429, loadFixtureText('provider-openai-error-rate-limit.json')), 'retry', 'rate_limit', true],
    ['529 overloaded', apiError(529, loadFixtureText('provider-anthropic-error-overloaded.json')), 'retry', 'overloaded', true],
    ['408', apiError(408), 'retry', 'timeout', false],
    ['409', apiError(409), 'retry', 'server', false],
    ['500', apiError(500), 'retry', 'server', false],
    ['502', apiError(502, '<html>Bad Gateway</html>'), 'retry', 'server', false],
    ['503', apiError(503), 'retry', 'server', false],
    ['504', apiError(504), 'retry', 'server', false],
    ['520 (other 5xx)', apiError(520), 'retry', 'server', false],
    ['400', apiError(400, loadFixtureText('provider-anthropic-error-invalid-request.json')), 'dead-letter', 'bad_request', false],
    ['OpenAI 404 model_not_found', apiError(404, { error: { message: 'The model `gpt-9` does not exist', type: 'invalid_request_error', code: 'model_not_found' } }), 'fatal', 'bad_request', false],
    ['Anthropic 404 not_found_error', apiError(404, { type: 'error', error: { type: 'not_found_error', message: 'model: claude-9' } }), 'fatal', 'bad_request', false],
    ['404 for anything else', apiError(404, '<html>Not Found</html>'), 'dead-letter', 'bad_request', false],
    ['400 with x-should-retry: true', apiError(400, {}, { 'x-should-retry': 'true' }), 'retry', 'server', false],
    ['500 with x-should-retry: false', apiError(500, {}, { 'x-should-retry': 'false' }), 'dead-letter', 'server', false],
    ['429 with x-should-retry: false', apiError(429, {}, { 'x-should-retry': 'false' }), 'dead-letter', 'rate_limit', false],
    ['413', apiError(413, { type: 'error', error: { type: 'request_too_large', message: 'Request exceeds the maximum size' } }), 'dead-letter', 'bad_request', false],
    ['422', apiError(422), 'dead-letter', 'bad_request', false],
    ['418 (other 4xx)', apiError(418), 'dead-letter', 'bad_request', false],
  ])('%s', (_name, error, disposition, failureClass, pausesDispatch) => {
    const outcome = classify(error);
    expect(outcome.disposition).toBe(disposition);
    expect(outcome.info.class).toBe(failureClass);
    expect(outcome.info.status).toBe(error.status);
    expect(outcome.pausesDispatch).toBe(pausesDispatch);
  });

  it('keeps the provider code and message', () => {
    const outcome = classify(apiError(429, loadFixtureText('provider-openai-error-insufficient-quota.json')));
    expect(outcome.info.code).toBe('insufficient_quota');
    expect(outcome.info.message).toMatch(/exceeded your current quota/);
  });

  it('passes the retry-after advice on', () => {
    const outcome = classify(apiError(429, {}, { 'retry-after': '7' }));
    expect(outcome).toMatchObject({ disposition: 'retry', retryAfterMs: 7000, pausesDispatch: true });
    expect(outcome.info.retry_after_ms).toBe(7000);
  });

  it('reads retry-after-ms on a 503 too, without pausing dispatch', () => {
    expect(classify(apiError(503, {}, { 'retry-after-ms': '1500' }))).toMatchObject({ retryAfterMs: 1500, pausesDispatch: false });
  });

  it('makes a retry-after beyond --max-wait fatal, saying the wait and the flag', () => {
    const outcome = classify(apiError(429, {}, { 'retry-after': '3600' }));
    expect(outcome.disposition).toBe('fatal');
    expect(outcome.info.class).toBe('rate_limit');
    expect(outcome.info.retry_after_ms).toBe(3_600_000);
    expect(outcome.info.message).toContain('60 min');
    expect(outcome.info.message).toContain('--max-wait (10 min)');
    expect(outcome.info.message).toContain('--resume');
  });

  it('accepts a retry-after exactly at --max-wait', () => {
    expect(classify(apiError(429, {}, { 'retry-after': '600' })).disposition).toBe('retry');
  });

  it('reads an HTTP-date retry-after against the injected clock', () => {
    expect(classify(apiError(429, {}, { 'retry-after': 'Sun, 01 Jun 2025 12:00:05 GMT' })).retryAfterMs).toBe(5000);
  });
});

describe('classifyFailure: transport and answer failures', () => {
  it.each(['ECONNRESET', 'ECONNREFUSED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT'])(
    'NetworkError %s → retry network',
    (code) => {
      const outcome = classify(new NetworkError(code, `${code} talking to https://api.openai.com`));
      expect(outcome).toMatchObject({ disposition: 'retry', pausesDispatch: false, info: { class: 'network', code } });
    },
  );

  it('TimeoutError → retry timeout', () => {
    expect(classify(new TimeoutError(120_000))).toMatchObject({ disposition: 'retry', info: { class: 'timeout' } });
  });

  it('MalformedResponseError → retry server, code malformed_response', () => {
    expect(classify(new MalformedResponseError('HTTP 200 body is not complete JSON', 200))).toMatchObject({
      disposition: 'retry',
      info: { class: 'server', code: 'malformed_response', status: 200 },
    });
  });

  it('InvalidOutputError → retry invalid_output with the reason as code', () => {
    const outcome = classify(new InvalidOutputError('the answer was cut off', 'truncated', completion));
    expect(outcome).toMatchObject({ disposition: 'retry', info: { class: 'invalid_output', code: 'truncated' } });
  });

  it('throws an AbortError back: stopping is not a failure of the item', () => {
    const abort = createAbortError();
    expect(() => classify(abort)).toThrow(abort);
  });

  it('throws unknown errors back: they are bugs, not item failures', () => {
    const bug = new TypeError('cannot read properties of undefined');
    expect(() => classify(bug)).toThrow(bug);
    expect(() => classify('a string')).toThrow();
  });

  it('writes no undefined fields into the failure info', () => {
    const info = classify(new TimeoutError(1000)).info;
    expect(Object.values(info)).not.toContain(undefined);
  });
});

describe('formatDuration', () => {
  it.each([
    [45_000, '45 s'],
    [119_000, '119 s'],
    [600_000, '10 min'],
    [7_200_000, '2 h'],
    [7_500_000, '2 h 5 min'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
