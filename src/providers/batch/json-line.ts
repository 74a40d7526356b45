/** A result line as JSON, or undefined when it is not: one bad line must not lose the rest of a batch. */
export function parseJsonLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}
