import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { MockAgent, type Dispatcher } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, MalformedResponseError, NetworkError, TimeoutError } from '../../src/http/errors.js';
import { createHttpClient, type HttpClient } from '../../src/http/http-client.js';

const SECRET = 'sk-test-SECRET0123456789';

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;
let handler: Handler = (_req, res) => res.end('{}');
let server: Server;
let base: string;
const clients: HttpClient[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => handler(request, response, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function client(options: Parameters<typeof createHttpClient>[0] = {}): HttpClient {
  const created = createHttpClient({ connections: 4, timeoutMs: 5_000, secrets: [SECRET], ...options });
  clients.push(created);
  return created;
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('createHttpClient against a local server', () => {
  it('posts JSON with our headers and parses a 2xx body', async () => {
    let seen: { headers: IncomingMessage['headers']; body: string; url?: string } | undefined;
    handler = (req, res, body) => {
      seen = { headers: req.headers, body, url: req.url };
      json(res, 200, { ok: true }, { 'x-ratelimit-remaining-requests': '99' });
    };
    const response = await client().postJson(`${base}/v1/chat/completions?x=1`, { authorization: 'Bearer t0ken' }, { a: 1 });
    expect(response).toMatchObject({ status: 200, body: { ok: true } });
    expect(response.headers['x-ratelimit-remaining-requests']).toBe('99');
    expect(seen?.url).toBe('/v1/chat/completions?x=1');
    expect(seen?.headers['content-type']).toBe('application/json');
    expect(seen?.headers.authorization).toBe('Bearer t0ken');
    expect(JSON.parse(seen?.body ?? '')).toEqual({ a: 1 });
  });

  it('rejects a non-2xx with an ApiError carrying status, headers and request id', async () => {
    handler = (_req, res) => json(res, 429, { error: { message: 'slow down', type: 'requests', code: 'rate_limit_exceeded' } }, { 'retry-after': '2', 'x-request-id': 'req_9' });
    const error = await rejection(client().postJson(`${base}/x`, {}, {}));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 429, requestId: 'req_9', errorCode: 'rate_limit_exceeded' });
    expect((error as ApiError).headers['retry-after']).toBe('2');
  });

  it('times out on time when the body hangs after the headers', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"choices":[');
    };
    const started = performance.now();
    const error = await rejection(client().postJson(`${base}/x`, {}, {}, { timeoutMs: 300 }));
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(300);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    // Well before undici's own 60 s backstop: our deadline fired (the phase says which).
    expect(elapsed).toBeLessThan(5000);
    expect((error as TimeoutError).phase).toBe('body');
  });

  it('times out on time when the headers never come', async () => {
    handler = () => undefined;
    const started = performance.now();
    const error = await rejection(client().postJson(`${base}/x`, {}, {}, { timeoutMs: 250 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(performance.now() - started).toBeLessThan(250 + 200);
  });

  it('says which phase timed out: no response, or an answer that stalled', async () => {
    handler = () => undefined;
    const silent = await rejection(client().postJson(`${base}/x`, {}, {}, { timeoutMs: 200 }));
    expect(silent).toMatchObject({ name: 'TimeoutError', phase: 'headers' });
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"a":');
    };
    const stalled = await rejection(client().postJson(`${base}/x`, {}, {}, { timeoutMs: 200 }));
    expect(stalled).toMatchObject({ name: 'TimeoutError', phase: 'body' });
    expect(stalled.message).toMatch(/stalled/);
  });

  it('does not cut off a long answer that keeps streaming past the timeout', async () => {
    // Six chunks 100 ms apart: 600 ms in all, against a 300 ms timeout that only a stall may exceed.
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const parts = ['{"text":"', 'a', 'b', 'c', 'd', '"}'];
      let i = 0;
      const next = (): void => {
        const part = parts[i];
        i += 1;
        if (i === parts.length) res.end(part);
        else {
          res.write(part);
          setTimeout(next, 100);
        }
      };
      next();
    };
    const response = await client().postJson(`${base}/x`, {}, {}, { timeoutMs: 300 });
    expect(response.body).toEqual({ text: 'abcd' });
  });

  it("rejects with an AbortError when the caller's signal aborts", async () => {
    handler = () => undefined;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await rejection(client().postJson(`${base}/x`, {}, {}, { signal: controller.signal, timeoutMs: 5_000 }));
    expect(error.name).toBe('AbortError');
  });

  it('rejects at once with an AbortError for an already-aborted signal', async () => {
    const error = await rejection(client().postJson(`${base}/x`, {}, {}, { signal: AbortSignal.abort() }));
    expect(error.name).toBe('AbortError');
  });

  it('turns a connection reset into a NetworkError with the code', async () => {
    handler = (req) => req.socket.destroy();
    const error = await rejection(client().postJson(`${base}/x`, {}, {}));
    expect(error).toBeInstanceOf(NetworkError);
    expect(['UND_ERR_SOCKET', 'ECONNRESET']).toContain((error as NetworkError).code);
  });

  it('turns a refused connection into a NetworkError ECONNREFUSED', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await rejection(client().postJson(`http://127.0.0.1:${port}/x`, {}, {}));
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).code).toBe('ECONNREFUSED');
  });

  it('rejects a non-JSON 200 as MalformedResponseError', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>maintenance</html>');
    };
    const error = await rejection(client().postJson(`${base}/x`, {}, {}));
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as MalformedResponseError).status).toBe(200);
  });

  it('rejects an empty 200 as MalformedResponseError', async () => {
    handler = (_req, res) => res.writeHead(200).end();
    expect(await rejection(client().postJson(`${base}/x`, {}, {}))).toBeInstanceOf(MalformedResponseError);
  });

  it('rejects a body cut off before its content-length as malformed', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"choices":[{"message"');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const error = await rejection(client().postJson(`${base}/x`, {}, {}));
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error.message).toMatch(/^HTTP 200 body from .* was cut off/);
  });

  it('never puts the key in an error message or body, even when the server echoes it', async () => {
    handler = (req, res) =>
      json(res, 401, { error: { message: `Incorrect API key provided: ${String(req.headers.authorization)}`, type: 'invalid_request_error', code: 'invalid_api_key' } });
    const error = await rejection(client().postJson(`${base}/x`, { authorization: `Bearer ${SECRET}` }, {}));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).not.toContain(SECRET);
    expect(JSON.stringify((error as ApiError).body)).not.toContain(SECRET);
    expect(String(error.stack)).not.toContain(SECRET);
  });

  it('never puts the key in a malformed-body error', async () => {
    handler = (_req, res) => res.writeHead(200).end(`oops ${SECRET}`);
    const error = await rejection(client().postJson(`${base}/x`, {}, {}));
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error.message).not.toContain(SECRET);
  });

  it('keeps connections alive across requests', async () => {
    const ports = new Set<number>();
    handler = (req, res) => {
      ports.add(req.socket.remotePort ?? 0);
      json(res, 200, {});
    };
    const http = client({ connections: 1 });
    for (let i = 0; i < 5; i += 1) await http.postJson(`${base}/x`, {}, {});
    expect(ports.size).toBe(1);
  });

  it('validates connections', () => {
    expect(() => createHttpClient({ connections: 0 })).toThrow('Expected `connections` to be an integer from 1 and up, got `0`');
  });
});

describe('createHttpClient with an injected MockAgent', () => {
  it('reports a body destroyed before its end without an error as cut off, not a hang', async () => {
    const body = new Readable({ read() {} });
    const dispatcher = { request: async () => ({ statusCode: 200, headers: {}, body }) } as unknown as Dispatcher;
    const http = createHttpClient({ dispatcher, timeoutMs: 5_000 });
    const pending = rejection(http.postJson('https://api.example.test/v1/messages', {}, {}));
    body.push('{"content":');
    setImmediate(() => body.destroy());
    const error = await pending;
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as Error).message).toMatch(/^HTTP 200 body from .* was cut off \(ERR_STREAM_PREMATURE_CLOSE\)/);
  });

  it('sends through the injected dispatcher and classifies its errors by code', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const pool = agent.get('https://api.example.test');
    pool.intercept({ path: '/v1/messages', method: 'POST' }).reply(200, { content: [] });
    pool.intercept({ path: '/v1/messages', method: 'POST' }).replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const http = createHttpClient({ dispatcher: agent });
    await expect(http.postJson('https://api.example.test/v1/messages', {}, {})).resolves.toMatchObject({ status: 200 });
    const error = await rejection(http.postJson('https://api.example.test/v1/messages', {}, {}));
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).code).toBe('ECONNRESET');
    await http.close();
    await agent.close();
  });
});

describe('createHttpClient for Batch API control calls', () => {
  const ORIGIN = 'https://api.example.test';
  const KEY = 'sk-test-secret-key-123456';

  function mocked() {
    const agent = new MockAgent();
    agent.disableNetConnect();
    return { agent, pool: agent.get(ORIGIN), http: createHttpClient({ dispatcher: agent, secrets: [KEY] }) };
  }

  it('sends a GET without a body and parses the JSON answer', async () => {
    const { agent, pool, http } = mocked();
    pool.intercept({ path: '/v1/batches/b1', method: 'GET' }).reply(200, { id: 'b1' }, { headers: { 'X-Request-Id': 'req_1' } });
    await expect(http.send('GET', `${ORIGIN}/v1/batches/b1`, {})).resolves.toEqual({ status: 200, headers: { 'x-request-id': 'req_1' }, body: { id: 'b1' } });
    await agent.close();
  });

  it('streams the non-blank lines of a download and turns a refused one into a redacted ApiError', async () => {
    const { agent, pool, http } = mocked();
    pool.intercept({ path: '/results', method: 'GET' }).reply(200, '{"a":1}\n\n{"b":2}\n');
    pool.intercept({ path: '/results', method: 'GET' }).reply(401, { error: { message: `bad key ${KEY}`, type: 'authentication_error' } });
    const lines: string[] = [];
    for await (const line of http.lines(`${ORIGIN}/results`, {})) lines.push(line);
    expect(lines).toEqual(['{"a":1}', '{"b":2}']);
    const error = await rejection((async () => {
      for await (const _line of http.lines(`${ORIGIN}/results`, {})) void _line;
    })());
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect(JSON.stringify((error as ApiError).body) + (error as Error).message + String((error as Error).stack)).not.toContain(KEY);
    await agent.close();
  });

  it('redacts the key from the message and stack of an error that is not a transport failure', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent.get(ORIGIN).intercept({ path: '/v1/batches', method: 'GET' }).replyWithError(new Error(`odd failure for ${KEY}`));
    const http = createHttpClient({ dispatcher: agent, secrets: [KEY] });
    const error = (await rejection(http.send('GET', `${ORIGIN}/v1/batches`, {}))) as Error;
    expect(error.message).toContain('odd failure');
    expect(`${error.message}${String(error.stack)}`).not.toContain(KEY);
    await agent.close();
  });
});
