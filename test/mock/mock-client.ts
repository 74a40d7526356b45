/** Shared helpers for the mock server tests: a raw undici client and request builders. */
import { Agent, request } from 'undici';
import type { MockServer } from '../../src/mock/server.js';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: any;
}

export const OPENAI_HEADERS = { authorization: 'Bearer test-key', 'content-type': 'application/json' };
export const ANTHROPIC_HEADERS = { 'x-api-key': 'test-key', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' };

/** POST a JSON body (or a raw string) and read the whole response. */
export async function post(url: string, body: unknown, headers: Record<string, string>, dispatcher?: Agent): Promise<RawResponse> {
  const res = await request(url, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    dispatcher,
  });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) flat[k] = Array.isArray(v) ? v.join(', ') : String(v);
  return { status: res.statusCode, headers: flat, text, json };
}

export function openaiBody(prompt: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }], max_tokens: 256, ...extra };
}

export function anthropicBody(prompt: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: 'claude-haiku-4-5', max_tokens: 256, messages: [{ role: 'user', content: prompt }], ...extra };
}

export function chatOpenai(server: MockServer, prompt: string, extra: Record<string, unknown> = {}): Promise<RawResponse> {
  return post(`${server.url}/v1/chat/completions`, openaiBody(prompt, extra), OPENAI_HEADERS);
}

export function chatAnthropic(server: MockServer, prompt: string, extra: Record<string, unknown> = {}): Promise<RawResponse> {
  return post(`${server.url}/v1/messages`, anthropicBody(prompt, extra), ANTHROPIC_HEADERS);
}
