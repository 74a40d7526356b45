import { describe, expect, it } from 'vitest';
import { findNetworkCode } from '../../src/http/network-codes.js';

function withCode(code: string, cause?: unknown): Error {
  return Object.assign(new Error('x', { cause }), { code });
}

describe('findNetworkCode', () => {
  it.each([
    'ECONNRESET',
    'ECONNREFUSED',
    'EPIPE',
    'ETIMEDOUT',
    'ENOTFOUND',
    'EAI_AGAIN',
    'UND_ERR_SOCKET',
    'UND_ERR_CLOSED',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
    'CERT_HAS_EXPIRED',
  ])('%s is a network failure', (code) => {
    expect(findNetworkCode(withCode(code))).toBe(code);
  });

  it.each(['UND_ERR_INVALID_ARG', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_URL'])('%s is not (it is a bug)', (code) => {
    expect(findNetworkCode(withCode(code))).toBeUndefined();
  });

  it('walks err.cause (undici wraps the socket error)', () => {
    expect(findNetworkCode(new TypeError('fetch failed', { cause: withCode('ECONNRESET') }))).toBe('ECONNRESET');
  });

  it("walks an AggregateError's errors (happy-eyeballs connect)", () => {
    const aggregate = new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], 'connect failed');
    expect(findNetworkCode(aggregate)).toBe('ECONNREFUSED');
  });

  it('never looks at message text', () => {
    expect(findNetworkCode(new Error('read ECONNRESET'))).toBeUndefined();
  });
});
