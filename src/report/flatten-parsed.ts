/** The column prefix of structured answers. */
export const PARSED_PREFIX = 'parsed';

/**
 * Flattens a structured answer into columns: nested objects become dotted keys (`parsed.category`,
 * `parsed.meta.score`); arrays and scalars are leaves kept as values (CSV writes arrays as JSON text). A
 * non-object answer (a bare string, number or array) is the single column `parsed`; an empty object, or no
 * answer, gives no column. Keys keep the answer's order.
 */
export function flattenParsed(parsed: unknown): Record<string, unknown> {
  // Every key starts with `parsed`, so a plain object is safe (no `__proto__` key) and much faster than a
  // null-prototype one, which V8 keeps in slow dictionary mode.
  const columns: Record<string, unknown> = {};
  if (parsed === undefined) return columns;
  if (!isPlainObject(parsed)) {
    columns[PARSED_PREFIX] = parsed;
    return columns;
  }
  addObject(columns, PARSED_PREFIX, parsed);
  return columns;
}

function addObject(columns: Record<string, unknown>, prefix: string, value: Record<string, unknown>): void {
  for (const key in value) {
    const child = value[key];
    const name = `${prefix}.${key}`;
    // An empty nested object has nothing to spread; keep it visible as a value rather than drop the key.
    if (isPlainObject(child) && Object.keys(child).length > 0) addObject(columns, name, child);
    else columns[name] = child;
  }
}

/** A JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
