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
  // Built by concatenation, not arrays of parts and `join`: every request is written once for its key.
  if (Array.isArray(value)) {
    // As in JSON.stringify, a hole or undefined inside an array is `null`, keeping positions meaningful.
    let text = '[';
    for (let i = 0; i < value.length; i += 1) text += (i === 0 ? '' : ',') + (write(value[i]) ?? 'null');
    return `${text}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = sortKeys(Object.keys(record));
  let text = '{';
  for (const key of keys) {
    const written = write(record[key]);
    if (written === undefined) continue;
    text += `${text === '{' ? '' : ','}${JSON.stringify(key)}:${written}`;
  }
  return `${text}}`;
}

/** Keys in `Array.prototype.sort`'s order (UTF-16 code units); small objects, the usual ones, in place. */
function sortKeys(keys: string[]): string[] {
  if (keys.length > 16) return keys.sort();
  // Insertion sort: V8's sort allocates a work array per call, and a request has a dozen small objects.
  for (let i = 1; i < keys.length; i += 1) {
    const key = keys[i] as string;
    let j = i - 1;
    while (j >= 0 && (keys[j] as string) > key) {
      keys[j + 1] = keys[j] as string;
      j -= 1;
    }
    keys[j + 1] = key;
  }
  return keys;
}
