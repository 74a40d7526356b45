import { describe, expect, it } from 'vitest';
import { ApiError, createApiError, isAbortError, createAbortError } from '../../src/http/errors.js';
import { redactSecrets } from '../../src/http/redact.js';
import { loadFixtureText } from '../providers/load-fixture.js';

describe('createApiError', () => {
  it('reads OpenAI error bodies: message, type, code, x-request-id', () => {
    const error = createApiError(429, { 'x-request-id': 'req_abc' }, loadFixtureText('provider-openai-error-insufficient-quota.json'));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 429, requestId: 'req_abc', errorType: 'insufficient_quota', errorCode: 'insufficient_quota' });
    expect(error.message).toMatch(/^HTTP 429 insufficient_quota: You exceeded your current quota/);
  });

  it('reads Anthropic error bodies: type, message, request-id header', () => {
    const error = createApiError(529, { 'request-id': 'req_011' }, loadFixtureText('provider-anthropic-error-overloaded.json'));
    expect(error).toMatchObject({ status: 529, requestId: 'req_011', errorType: 'overloaded_error', errorCode: undefined });
    expect(error.message).toBe('HTTP 529 overloaded_error: Overloaded');
  });

  it('falls back to the request_id in an Anthropic body', () => {
    const error = createApiError(400, {}, loadFixtureText('provider-anthropic-error-credit-balance.json'));
    expect(error.requestId).toBe('req_011CbrFTcXhtiMzr3s6EocF7');
  });

  it('keeps a short snippet of a non-JSON body (a proxy error page)', () => {
    const error = createApiError(502, {}, '<html><body><h1>502 Bad Gateway</h1>\n<p>nginx</p></body></html>');
    expect(error.message).toBe('HTTP 502: 502 Bad Gateway nginx');
    expect(typeof error.body).toBe('string');
  });

  it('handles an empty body and top-level messages from compatible servers', () => {
    expect(createApiError(503, {}, '').message).toBe('HTTP 503: no error message');
    expect(createApiError(400, {}, '{"message":"model not found"}').message).toBe('HTTP 400: model not found');
  });

  it('redacts keys the provider echoes back, in the message and the body', () => {
    const body = JSON.stringify({ error: { message: 'Incorrect API key provided: sk-proj-abcdefghijklmnop1234.', type: 'invalid_request_error', code: 'invalid_api_key' } });
    const error = createApiError(401, {}, body);
    expect(error.message).not.toContain('abcdefghijklmnop1234');
    expect(JSON.stringify(error.body)).not.toContain('abcdefghijklmnop1234');
    expect(error.message).toContain('[REDACTED]');
  });

  it('caps very long messages', () => {
    const error = createApiError(400, {}, JSON.stringify({ error: { message: 'x'.repeat(5000) } }));
    expect(error.message.length).toBeLessThanOrEqual(500);
  });
});

describe('redactSecrets', () => {
  it.each([
    ['a known secret verbatim', 'key is s3cr3t-value here', ['s3cr3t-value'], 'key is [REDACTED] here'],
    ['an OpenAI-shaped key', 'got sk-proj-AbCdEf123456 back', [], 'got [REDACTED] back'],
    ['an Anthropic-shaped key', 'sk-ant-api03-abcDEF_123-xyz', [], '[REDACTED]'],
    ['a bearer token', 'Authorization: Bearer abc.def.ghi123', [], 'Authorization: [REDACTED]'],
    ['a key query parameter', 'https://x.test/v1?key=AIzaSyA1234567', [], 'https://x.test/v1?key=[REDACTED]'],
    ['ordinary text', 'the task-runner is fine', [], 'the task-runner is fine'],
  ])('%s', (_name, text, secrets, expected) => {
    expect(redactSecrets(text, secrets)).toBe(expected);
  });
});

describe('isAbortError', () => {
  it('recognises AbortErrors from any source', () => {
    expect(isAbortError(createAbortError())).toBe(true);
    expect(isAbortError(new DOMException('aborted', 'AbortError'))).toBe(true);
    expect(isAbortError(new Error('nope'))).toBe(false);
  });
});
