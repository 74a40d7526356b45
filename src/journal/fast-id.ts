/**
 * Reads a record's id without parsing the record. Our writer serialises `id` first, so a results line
 * starts with `{"id":"…"`; resume only needs that, and JSON.parse of a million full records is the
 * slow part of start-up (SPEC §12: 5 s for 1M lines).
 */

/** `{"id":"` */
const ID_PREFIX = [0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22];
/** Where a fast-form id starts, from the start of its line. */
export const FAST_ID_OFFSET = ID_PREFIX.length;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const CLOSE_BRACE = 0x7d;
const CARRIAGE_RETURN = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

/**
 * The id of the line `buffer[start, end)`, or undefined when the fast form does not apply (another key
 * first, an escaped id, a line that does not end with `}`) and the caller must parse the line.
 */
export function extractIdFast(buffer: Buffer, start: number, end: number): string | undefined {
  const idEnd = findIdFast(buffer, start, end);
  return idEnd < 0 ? undefined : buffer.toString('utf8', start + ID_PREFIX.length, idEnd);
}

/**
 * Where the fast-form id of the line `buffer[start, end)` ends: its bytes are
 * `buffer[start + FAST_ID_OFFSET, returned)`, exactly the id's UTF-8 since it has no escapes. -1 when the
 * fast form does not apply (see {@link extractIdFast}).
 */
export function findIdFast(buffer: Buffer, start: number, end: number): number {
  let last = end - 1;
  while (last > start && isTrailingSpace(buffer[last])) last -= 1;
  // A complete object ends with `}`; anything else is torn or foreign and deserves a real parse.
  if (buffer[last] !== CLOSE_BRACE) return -1;
  const idStart = start + ID_PREFIX.length;
  if (idStart >= last) return -1;
  for (let i = 0; i < ID_PREFIX.length; i += 1) {
    if (buffer[start + i] !== ID_PREFIX[i]) return -1;
  }
  for (let i = idStart; i < last; i += 1) {
    const byte = buffer[i];
    if (byte === QUOTE) return i;
    if (byte === BACKSLASH) return -1;
  }
  return -1;
}

/** The id of a parsed record, as a string; undefined when it has none we can use. */
export function idOfRecord(record: unknown): string | undefined {
  if (record === null || typeof record !== 'object') return undefined;
  const id = (record as { id?: unknown }).id;
  if (typeof id === 'string') return id;
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  return undefined;
}

function isTrailingSpace(byte: number | undefined): boolean {
  return byte === CARRIAGE_RETURN || byte === SPACE || byte === TAB;
}

/** `,"request_hash":"`, right after the id's closing quote in a record our writer made. */
const REQUEST_HASH_PREFIX = Buffer.from(',"request_hash":"');

/**
 * Where the request hash's hex digits start, for a fast-form line whose id ends (closing quote) at
 * `idEnd`; -1 when the record has no hash in second place (written before hashes existed, or foreign).
 */
export function findRequestHashFast(buffer: Buffer, idEnd: number, end: number): number {
  const start = idEnd + 1;
  if (start + REQUEST_HASH_PREFIX.length >= end) return -1;
  for (let i = 0; i < REQUEST_HASH_PREFIX.length; i += 1) {
    if (buffer[start + i] !== REQUEST_HASH_PREFIX[i]) return -1;
  }
  return start + REQUEST_HASH_PREFIX.length;
}

/** The request hash of a parsed record; undefined when it has none. */
export function requestHashOfRecord(record: unknown): string | undefined {
  if (record === null || typeof record !== 'object') return undefined;
  const hash = (record as { request_hash?: unknown }).request_hash;
  return typeof hash === 'string' && hash.length > 0 ? hash : undefined;
}
