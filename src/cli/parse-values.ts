import { InvalidArgumentError } from 'commander';

/** Commander argument parsers: each names the flag and what it expected, e.g. "expected an integer from 1 up, got `0`". */

export function integerFrom(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) {
      throw new InvalidArgumentError(`expected an integer from ${min} up, got \`${value}\``);
    }
    return n;
  };
}

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a number above 0, got \`${value}\``);
  return n;
}

export function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected a number from 0 up, got \`${value}\``);
  return n;
}

export function oneOf<T extends string>(choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`expected one of ${choices.join(', ')}, got \`${value}\``);
    }
    return value as T;
  };
}

/** `--param k=v`, repeatable; the value is JSON when it parses as JSON, else a string. */
export function collectParam(value: string, previous: Record<string, unknown> = {}): Record<string, unknown> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected key=value, got \`${value}\``);
  const key = value.slice(0, eq).trim();
  const raw = value.slice(eq + 1);
  let parsed: unknown = raw;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // Not JSON: keep the text, so `--param stop=END` works without quoting.
  }
  return { ...previous, [key]: parsed };
}

/** `--temperature`: 0 to 2 covers every provider. */
export function temperature(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 2) throw new InvalidArgumentError(`expected a number from 0 to 2, got \`${value}\``);
  return n;
}
