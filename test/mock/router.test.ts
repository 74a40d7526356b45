import { describe, expect, it } from 'vitest';
import { Router, type Route } from '../../src/mock/router.js';

const noop = (): void => undefined;
const routes: Route[] = [
  { method: 'POST', path: '/v1/files', handler: noop },
  { method: 'GET', path: /^\/v1\/batches\/([^/]+)$/, handler: noop },
  { method: 'POST', path: /^\/v1\/batches\/([^/]+)\/cancel$/, handler: noop },
];

describe('Router', () => {
  const router = new Router(routes);

  it('finds exact paths by method', () => {
    expect(router.find('POST', '/v1/files')).toEqual({ route: routes[0], params: [] });
    expect(router.find('GET', '/v1/files')).toBeUndefined();
  });

  it('finds RegExp paths and passes their groups', () => {
    expect(router.find('GET', '/v1/batches/batch_123')).toEqual({ route: routes[1], params: ['batch_123'] });
    expect(router.find('POST', '/v1/batches/batch_123/cancel')).toEqual({ route: routes[2], params: ['batch_123'] });
    expect(router.find('DELETE', '/v1/batches/batch_123')).toBeUndefined();
  });
});
