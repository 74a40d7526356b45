/**
 * The mock server's route table.
 *
 * Adding endpoints (e.g. the Batch APIs): write a module beside this one that exports
 * `function fooRoutes(state: MockState): Route[]`, and spread it into the list in `routes.ts`.
 * Each route is `{ method, path, handler }`; `path` is an exact string (`/v1/files`) or a RegExp whose
 * groups the handler receives (`/^\/v1\/batches\/([^/]+)$/`). The handler gets an `Exchange` with the
 * body already read, and must end it exactly once (`send`, `sendJson`, `reset`, `truncate`, `hang`),
 * synchronously or later. A thrown error or rejected promise becomes a 500. Routes are API traffic
 * (counted in stats) unless `counted: false`. Exact paths are looked up in a map, so the hot chat
 * routes cost one hash lookup however many routes exist.
 */
import type { Exchange } from './exchange.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Route {
  method: HttpMethod;
  path: string | RegExp;
  /** Count this route's requests in `stats()`. @default true (false for `/__mock/*` admin routes) */
  counted?: boolean;
  handler(ex: Exchange, params: readonly string[]): void | Promise<void>;
}

export interface RouteMatch {
  route: Route;
  /** The RegExp groups (empty for exact paths). */
  params: readonly string[];
}

export class Router {
  private readonly exact = new Map<string, Route>();
  private readonly patterns: Route[] = [];

  constructor(routes: readonly Route[]) {
    for (const route of routes) {
      if (typeof route.path === 'string') this.exact.set(`${route.method} ${route.path}`, route);
      else this.patterns.push(route);
    }
  }

  find(method: string, path: string): RouteMatch | undefined {
    const route = this.exact.get(`${method} ${path}`);
    if (route) return { route, params: [] };
    for (const candidate of this.patterns) {
      if (candidate.method !== method) continue;
      const match = (candidate.path as RegExp).exec(path);
      if (match) return { route: candidate, params: match.slice(1) };
    }
    return undefined;
  }
}
