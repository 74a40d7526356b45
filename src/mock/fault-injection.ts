/** Carry out an injected fault: an HTTP error in the provider's shape, or a broken transport/body. */
import type { ApiErrorSpec, Dialect } from './dialect.js';
import type { Exchange, ResponseHeaders } from './exchange.js';
import type { InjectedFault } from './faults.js';
import { setRetryAfter } from './rate-limit-headers.js';

export interface FaultContext {
  dialect: Dialect;
  ex: Exchange;
  headers: ResponseHeaders;
  /** The body a success would have had (a truncated response sends half of it). */
  successBody(): string;
  sendError(spec: ApiErrorSpec): void;
  /** Retry-After an injected 429 advises (`faultRetryAfterMs`). */
  retryAfterMs: number;
}

/** What a server says in a 200 it should never have sent: an HTML error page from a proxy. */
export const GARBAGE_BODY = '<!DOCTYPE html><html><body><h1>Service Temporarily Unavailable</h1></body></html>';


const HTTP_FAULTS: Partial<Record<InjectedFault, ApiErrorSpec>> = {
  '400': { kind: 'invalid_request', message: 'Injected fault: this request is invalid.' },
  '401': { kind: 'authentication' },
  '429': { kind: 'rate_limit', type: 'requests', message: 'Rate limit reached. Please try again in 1s.' },
  '500': { kind: 'server' },
  '502': { kind: 'bad_gateway' },
  '503': { kind: 'unavailable' },
  '529': { kind: 'overloaded' },
};

export function injectFault(fault: InjectedFault, ctx: FaultContext): void {
  const { ex, headers } = ctx;
  switch (fault) {
    case 'reset':
      return ex.reset();
    case 'hang':
      return ex.hang();
    case 'garbage':
      return ex.send(200, headers, GARBAGE_BODY, 'application/json');
    case 'truncated':
      return ex.truncate(200, headers, ctx.successBody());
    default: {
      if (fault === '429') setRetryAfter(headers, ctx.retryAfterMs, ctx.dialect.sendsRetryAfterMs);
      const spec = HTTP_FAULTS[fault];
      return ctx.sendError(spec ?? { kind: 'server' });
    }
  }
}
