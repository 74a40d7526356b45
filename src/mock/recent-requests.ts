/**
 * The last few chat request bodies the mock received, so tests can check what really went over the wire
 * (content parts, response_format, tools). A fixed ring: benchmarks send millions of requests, and keeping
 * a reference to the last hundred costs nothing; bodies are parsed only when asked for.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface RecordedRequest {
  /** URL path without the query string. */
  path: string;
  /** Request headers, credentials left out. */
  headers: Record<string, string>;
  /** The parsed JSON body. */
  body: unknown;
}

/** How many requests are kept. */
export const RECENT_REQUESTS = 100;

/** Headers that carry the key: never echoed back, even by a mock. */
const SECRET_HEADERS = new Set(['authorization', 'x-api-key', 'api-key']);

interface Raw {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export class RecentRequests {
  readonly #ring: Array<Raw | undefined>;
  #next = 0;

  constructor(capacity = RECENT_REQUESTS) {
    this.#ring = new Array<Raw | undefined>(capacity);
  }

  add(path: string, headers: IncomingHttpHeaders, body: string): void {
    this.#ring[this.#next] = { path, headers, body };
    this.#next = (this.#next + 1) % this.#ring.length;
  }

  /** Oldest first. */
  list(): RecordedRequest[] {
    const ordered = [...this.#ring.slice(this.#next), ...this.#ring.slice(0, this.#next)];
    return ordered.filter((raw): raw is Raw => raw !== undefined).map(parse);
  }

  clear(): void {
    this.#ring.fill(undefined);
    this.#next = 0;
  }
}

function parse(raw: Raw): RecordedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw.headers)) {
    if (value === undefined || SECRET_HEADERS.has(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.body);
  } catch {
    body = raw.body;
  }
  return { path: raw.path, headers, body };
}
