/** `/__mock/*`: inspect and steer a running mock server (tests, benchmarks, the CLI). Not counted in stats. */
import type { MockConfigPatch } from './options.js';
import type { Route } from './router.js';
import type { MockState } from './state.js';

export function adminRoutes(state: MockState): Route[] {
  return [
    { method: 'GET', path: '/__mock/health', counted: false, handler: (ex) => ex.sendJson(200, { ok: true }) },
    { method: 'GET', path: '/__mock/stats', counted: false, handler: (ex) => ex.sendJson(200, state.stats.snapshot()) },
    { method: 'GET', path: '/__mock/requests', counted: false, handler: (ex) => ex.sendJson(200, state.recentRequests.list()) },
    {
      method: 'POST',
      path: '/__mock/reset',
      counted: false,
      handler: (ex) => {
        state.reset();
        ex.sendJson(200, { ok: true });
      },
    },
    { method: 'GET', path: '/__mock/config', counted: false, handler: (ex) => ex.sendJson(200, state.behaviour) },
    {
      method: 'POST',
      path: '/__mock/config',
      counted: false,
      handler: (ex) => {
        let patch: unknown;
        try {
          patch = JSON.parse(ex.body === '' ? '{}' : ex.body);
        } catch {
          return ex.sendJson(400, { error: { message: 'Expected a JSON object of mock options' } });
        }
        if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
          return ex.sendJson(400, { error: { message: 'Expected a JSON object of mock options' } });
        }
        try {
          ex.sendJson(200, state.configure(patch as MockConfigPatch));
        } catch (error) {
          ex.sendJson(400, { error: { message: (error as Error).message } });
        }
      },
    },
  ];
}
