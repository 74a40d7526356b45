/**
 * One request/response pair as route handlers see it: the raw body already read, and the few ways a
 * mock can end an exchange (answer, reset, truncate, hang). Each way reports its outcome exactly once,
 * which keeps `inFlight` and `byStatus` honest even when the client leaves first.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** How an exchange ended: the status sent, or no response at all. */
export type Outcome = number | 'reset' | 'hang' | 'aborted';

export type ResponseHeaders = Record<string, string | number>;

export class Exchange {
  private ended = false;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    /** URL path without the query string. */
    readonly path: string,
    /** The request body as text ('' when there is none). */
    readonly body: string,
    private readonly onEnd?: (outcome: Outcome) => void,
  ) {}

  /** Send a complete response with an exact content-length (so keep-alive connections are reused). */
  send(status: number, headers: ResponseHeaders, body: string, contentType = 'application/json'): void {
    if (this.res.destroyed) return this.finish('aborted');
    headers['content-type'] = contentType;
    headers['content-length'] = Buffer.byteLength(body);
    this.res.writeHead(status, headers);
    this.res.end(body);
    this.finish(status);
  }

  sendJson(status: number, value: unknown, headers: ResponseHeaders = {}): void {
    this.send(status, headers, JSON.stringify(value));
  }

  /** True, ending the exchange as `aborted`, when the client has already closed the connection. */
  clientLeft(): boolean {
    if (!this.res.destroyed) return false;
    this.finish('aborted');
    return true;
  }

  /** Drop the connection without a response (TCP RST where the platform allows it). */
  reset(): void {
    const socket = this.req.socket;
    if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
    else socket.destroy();
    this.finish('reset');
  }

  /** Announce the full body length, send only the first half, then close: a connection cut mid-body. */
  truncate(status: number, headers: ResponseHeaders, body: string): void {
    if (this.res.destroyed) return this.finish('aborted');
    const bytes = Buffer.from(body);
    headers['content-type'] = 'application/json';
    headers['content-length'] = bytes.length;
    this.res.writeHead(status, headers);
    // Destroy only once the half is flushed, or the kernel may never see it.
    this.res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => this.req.socket.destroy());
    this.finish(status);
  }

  /** Never answer; the exchange ends when the client gives up and closes the connection. */
  hang(): void {
    if (this.res.destroyed) return this.finish('hang');
    this.res.once('close', () => this.finish('hang'));
  }

  private finish(outcome: Outcome): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd?.(outcome);
  }
}
