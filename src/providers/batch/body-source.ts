/**
 * Request bodies built from many pieces (up to 50,000 JSONL lines, 200 MB) without joining them into one
 * giant string: the length is computed up front (a real Content-Length) and the pieces stream out again for
 * every attempt, so an upload can be retried.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { StreamBody } from '../../http/http-client.js';

/** Pieces are grouped into buffers of about this size: one write per piece would be slow for small lines. */
const BUFFER_BYTES = 64 * 1024;

/** A body made of `pieces()` in order; `pieces` is called once to measure and once per `open()`. */
export function concatBody(contentType: string, pieces: () => Iterable<string>): StreamBody {
  let length = 0;
  for (const piece of pieces()) length += Buffer.byteLength(piece);
  return { contentType, length, open: () => Readable.from(groupIntoBuffers(pieces())) };
}

function* groupIntoBuffers(pieces: Iterable<string>): Generator<Buffer> {
  let group: string[] = [];
  let size = 0;
  for (const piece of pieces) {
    group.push(piece);
    size += piece.length;
    if (size >= BUFFER_BYTES) {
      yield Buffer.from(group.join(''));
      group = [];
      size = 0;
    }
  }
  if (group.length > 0) yield Buffer.from(group.join(''));
}

export interface MultipartFile {
  /** The form field (`file`). */
  field: string;
  filename: string;
  contentType: string;
  /** The file's lines; each is written followed by `\n`. */
  lines: readonly string[];
}

/** `multipart/form-data` with plain text fields and one JSONL file (OpenAI `POST /files`). */
export function multipartBody(fields: Readonly<Record<string, string>>, file: MultipartFile): StreamBody {
  const boundary = `llm-batch-${randomBytes(12).toString('hex')}`;
  function* pieces(): Generator<string> {
    for (const [name, value] of Object.entries(fields)) {
      yield `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    }
    yield `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\n`;
    yield `Content-Type: ${file.contentType}\r\n\r\n`;
    for (const line of file.lines) {
      yield line;
      yield '\n';
    }
    yield `\r\n--${boundary}--\r\n`;
  }
  return concatBody(`multipart/form-data; boundary=${boundary}`, pieces);
}

/** `{"requests":[…]}` from already-encoded elements (Anthropic `POST /v1/messages/batches`). */
export function jsonArrayBody(key: string, elements: readonly string[]): StreamBody {
  function* pieces(): Generator<string> {
    yield `{${JSON.stringify(key)}:[`;
    for (let i = 0; i < elements.length; i += 1) {
      if (i > 0) yield ',';
      yield elements[i];
    }
    yield ']}';
  }
  return concatBody('application/json', pieces);
}
