import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../src/input/line-splitter.js';

/** What node:readline makes of the same bytes: the behaviour the splitter replaces. */
async function viaReadline(chunks: Buffer[]): Promise<string[]> {
  const lines: string[] = [];
  const reader = createInterface({ input: Readable.from(chunks), crlfDelay: Infinity });
  reader.on('line', (line: string) => lines.push(line));
  await new Promise((resolve) => reader.on('close', resolve));
  return lines;
}

function viaSplitter(chunks: Buffer[]): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((data, start, end) => lines.push(data.toString('utf8', start, end)));
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end(() => undefined);
  return lines;
}

const CASES = ['', '\n', 'a', 'a\n', 'a\n\n', '\n\na', 'a\r\nb\r\n', 'a\rb\r\n', 'a\r\rb\n', 'abc\r', 'a\r\n\r\nb', '\uFEFFx\ny', 'é日本🦖\nz', 'a\n\r', '\r', '\r\n', 'x\r\r\n', 'a\r\r'];

describe('LineSplitter', () => {
  it('breaks lines exactly where readline does, wherever the chunks are cut (also inside a character)', async () => {
    for (const text of CASES) {
      const bytes = Buffer.from(text);
      for (let cut = 0; cut <= bytes.length; cut += 1) {
        const chunks = [bytes.subarray(0, cut), bytes.subarray(cut)].filter((chunk) => chunk.length > 0);
        expect(viaSplitter(chunks), `${JSON.stringify(text)} cut at ${cut}`).toEqual(await viaReadline(chunks));
      }
    }
  });

  it('keeps a line that spans many chunks whole', () => {
    const line = 'x'.repeat(10_000);
    const chunks = Array.from({ length: 100 }, (_, i) => Buffer.from(line.slice(i * 100, (i + 1) * 100)));
    expect(viaSplitter([...chunks, Buffer.from('\nend')])).toEqual([line, 'end']);
  });

  it('pauses between two lines of a chunk, goes on where it stopped, and ends only once drained', () => {
    const lines: string[] = [];
    let ended = false;
    const splitter = new LineSplitter((data, start, end) => {
      lines.push(data.toString('utf8', start, end));
      if (lines.length === 2) splitter.pause();
    });
    splitter.push(Buffer.from('a\nb\nc\nd'));
    expect(lines).toEqual(['a', 'b']);
    expect(splitter.isPaused).toBe(true);
    splitter.end(() => {
      ended = true;
    });
    expect(ended).toBe(false);
    splitter.resume();
    expect(lines).toEqual(['a', 'b', 'c', 'd']);
    expect(ended).toBe(true);
  });
});
