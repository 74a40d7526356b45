/**
 * Small readers shared by the wire formats: provider JSON is `unknown` until checked, and a missing
 * number in a usage block means zero, not a crash.
 */

/**
 * A provider's response type as it may really arrive: every field optional and possibly null (compatible
 * servers omit fields). Reading a field the official type lacks still fails the typecheck.
 */
export type Loose<T> = T extends readonly (infer U)[]
  ? readonly Loose<U>[]
  : T extends object
    ? { readonly [K in keyof T]?: Loose<T[K]> | null }
    : T;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A finite, non-negative number, else 0 (gateways sometimes send null or omit fields). */
export function readCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

/** A non-empty string, else `fallback`. */
export function readString(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

/** Split a `data:<media type>;base64,<data>` URL; undefined for any other URL. */
export function parseDataUrl(url: string): { mediaType: string; base64: string } | undefined {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  return match ? { mediaType: match[1], base64: match[2] } : undefined;
}
