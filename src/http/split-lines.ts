import { StringDecoder } from 'node:string_decoder';

/** Yield the non-blank lines of a byte stream, decoding UTF-8 across chunk boundaries. */
export async function* splitLines(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of chunks) {
    rest += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let start = 0;
    for (let newline = rest.indexOf('\n'); newline !== -1; newline = rest.indexOf('\n', start)) {
      const line = rest.slice(start, newline);
      start = newline + 1;
      if (line.trim() !== '') yield line;
    }
    rest = rest.slice(start);
  }
  rest += decoder.end();
  if (rest.trim() !== '') yield rest;
}
