import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { parseMultipart } from '../../../src/mock/batch-multipart.js';
import { jsonArrayBody, multipartBody } from '../../../src/providers/batch/body-source.js';
import { splitLines } from '../../../src/http/split-lines.js';

describe('body sources', () => {
  it('builds a JSON array body with an exact length, re-readable for retries', async () => {
    const body = jsonArrayBody('requests', ['{"a":1}', '{"b":"ü"}']);
    const first = await text(body.open());
    expect(JSON.parse(first)).toEqual({ requests: [{ a: 1 }, { b: 'ü' }] });
    expect(Buffer.byteLength(first)).toBe(body.length);
    expect(await text(body.open())).toBe(first);
  });

  it('builds a multipart upload the mock server can read back', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ custom_id: `c${i}`, text: 'ünïcødé' }));
    const body = multipartBody({ purpose: 'batch' }, { field: 'file', filename: 'x.jsonl', contentType: 'application/jsonl', lines });
    const raw = await text(body.open());
    expect(Buffer.byteLength(raw)).toBe(body.length);
    const parts = parseMultipart(body.contentType, raw);
    expect(parts).toEqual([
      { name: 'purpose', value: 'batch' },
      { name: 'file', filename: 'x.jsonl', value: lines.join('\n') + '\n' },
    ]);
  });

  it('splits a byte stream into lines across chunk and UTF-8 boundaries', async () => {
    const bytes = Buffer.from('{"a":"ü"}\n\n{"b":2}\n{"c":3}');
    async function* chunks() {
      for (let i = 0; i < bytes.length; i += 3) yield bytes.subarray(i, i + 3);
    }
    const lines: string[] = [];
    for await (const line of splitLines(chunks())) lines.push(line);
    expect(lines).toEqual(['{"a":"ü"}', '{"b":2}', '{"c":3}']);
  });
});
