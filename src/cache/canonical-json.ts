/**
 * JSON with one spelling per value: object keys sorted at every depth and `undefined` properties dropped,
 * so two requests that mean the same thing hash the same regardless of how they were built.
 */

/** Serialise `value` canonically. Follows JSON.stringify for everything but key order. */
export function stringifyCanonical(value: unknown): string {
  return write(value) ?? 'null';
}

function write(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return JSON.stringify(value);
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'bigint':
      throw new TypeError('Cannot canonicalise a BigInt');
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return write((value as { toJSON: () => unknown }).toJSON());
  }
  if (Array.isArray(value)) {
    // As in JSON.stringify, a hole or undefined inside an array is `null`, keeping positions meaningful.
    return `[${value.map((element) => write(element) ?? 'null').join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const written = write(record[key]);
    if (written !== undefined) members.push(`${JSON.stringify(key)}:${written}`);
  }
  return `{${members.join(',')}}`;
}
