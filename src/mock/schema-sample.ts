/**
 * Generate a value that satisfies a JSON Schema: the mock's structured output. Covers what LLM
 * structured-output schemas use (types, enum/const, formats, bounds, arrays, nested objects, $ref,
 * anyOf/oneOf/allOf); `pattern` is not interpreted.
 */
import { pick, randomInt, type Random } from './hash.js';

export interface SampleContext {
  random: Random;
  /** Categories offered by the prompt: used for string fields that look like a label. */
  categories: string[];
  /** A word from the prompt, so free-text fields differ between items. */
  topic: string;
  /** The root schema, for resolving local `$ref`s. */
  root: unknown;
}

type Schema = Record<string, unknown>;

/** Past this depth (recursive $refs) only required properties and minItems are generated. */
const SHALLOW_DEPTH = 6;
/** Give up on pathological recursion instead of overflowing the stack. */
const MAX_DEPTH = 24;

const LABEL_NAME = /categor|label|class|topic|genre|department|^tags?$|^type$|^kind$/i;
const SENTIMENT_NAME = /sentiment|polarity|tone/i;
const UNIT_INTERVAL_NAME = /confidence|probability|score|certainty/i;
const PHRASES = ['short summary of {w}', 'details about {w}', '{w}', 'notes on {w}', 'an overview of {w}'];

/** A value valid against `schema`; `name` is the property it fills (it steers plausible content). */
export function sampleFromSchema(schema: unknown, ctx: SampleContext, depth = 0, name = ''): unknown {
  if (depth > MAX_DEPTH) return null;
  if (schema === true || schema === undefined || schema === null || typeof schema !== 'object') {
    return sampleString({}, ctx, name);
  }
  const s = schema as Schema;
  if (typeof s.$ref === 'string') return sampleFromSchema(resolveRef(ctx.root, s.$ref), ctx, depth + 1, name);
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return pick(s.enum, ctx.random);
  const branches = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (Array.isArray(branches) && branches.length > 0) {
    const branch = branches.find((b) => !isNullSchema(b)) ?? branches[0];
    return sampleFromSchema(branch, ctx, depth + 1, name);
  }
  if (Array.isArray(s.allOf)) return sampleFromSchema(mergeAllOf(s, ctx.root), ctx, depth + 1, name);

  switch (primaryType(s)) {
    case 'object':
      return sampleObject(s, ctx, depth);
    case 'array':
      return sampleArray(s, ctx, depth, name);
    case 'integer':
      return sampleNumber(s, ctx, name, true);
    case 'number':
      return sampleNumber(s, ctx, name, false);
    case 'boolean':
      return ctx.random() < 0.5;
    case 'null':
      return null;
    default:
      return sampleString(s, ctx, name);
  }
}

function primaryType(s: Schema): string {
  const declared = Array.isArray(s.type) ? (s.type.find((t) => t !== 'null') ?? 'null') : s.type;
  if (typeof declared === 'string') return declared;
  if (s.properties !== undefined || s.required !== undefined) return 'object';
  if (s.items !== undefined || s.prefixItems !== undefined) return 'array';
  return 'string';
}

function isNullSchema(schema: unknown): boolean {
  return typeof schema === 'object' && schema !== null && (schema as Schema).type === 'null';
}

function resolveRef(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return {};
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').filter((p) => p !== '')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = typeof node === 'object' && node !== null ? (node as Schema)[key] : undefined;
  }
  return node ?? {};
}

function mergeAllOf(s: Schema, root: unknown): Schema {
  const { allOf, ...merged } = s;
  const properties: Schema = { ...((merged.properties as Schema | undefined) ?? {}) };
  const required = new Set<string>((merged.required as string[] | undefined) ?? []);
  let isObject = merged.properties !== undefined;
  for (const raw of allOf as unknown[]) {
    const part = (typeof raw === 'object' && raw !== null && typeof (raw as Schema).$ref === 'string'
      ? resolveRef(root, (raw as Schema).$ref as string)
      : raw) as Schema | null;
    if (typeof part !== 'object' || part === null) continue;
    for (const [key, value] of Object.entries(part)) {
      if (key !== 'properties' && key !== 'required' && !(key in merged)) merged[key] = value;
    }
    if (part.properties !== undefined) isObject = true;
    Object.assign(properties, part.properties ?? {});
    for (const r of (part.required as string[] | undefined) ?? []) required.add(r);
  }
  return isObject ? { ...merged, properties, required: [...required] } : merged;
}

function sampleObject(s: Schema, ctx: SampleContext, depth: number): Record<string, unknown> {
  const properties = (s.properties as Schema | undefined) ?? {};
  const required = (s.required as string[] | undefined) ?? [];
  const out: Record<string, unknown> = {};
  // All listed properties, not only the required ones: OpenAI strict mode makes every property
  // required, and generating the same set either way keeps answers identical across providers.
  const keys = depth >= SHALLOW_DEPTH ? required.filter((k) => k in properties) : Object.keys(properties);
  for (const key of keys) out[key] = sampleFromSchema(properties[key], ctx, depth + 1, key);
  for (const key of required) if (!(key in out)) out[key] = sampleFromSchema(properties[key], ctx, depth + 1, key);
  return out;
}

function sampleArray(s: Schema, ctx: SampleContext, depth: number, name: string): unknown[] {
  const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : [];
  const min = Math.max(typeof s.minItems === 'number' ? s.minItems : 0, prefix.length);
  const max = typeof s.maxItems === 'number' ? s.maxItems : Number.POSITIVE_INFINITY;
  const wanted = depth >= SHALLOW_DEPTH ? min : randomInt(1, 3, ctx.random);
  const count = Math.min(Math.max(wanted, min), max);
  const out: unknown[] = [];
  const seen = new Set<string>();
  const attempts = count * 5;
  for (let i = 0; out.length < count && i < attempts; i++) {
    const index = out.length;
    const itemSchema = index < prefix.length ? prefix[index] : s.items;
    const value = sampleFromSchema(itemSchema, ctx, depth + 1, name);
    if (s.uniqueItems === true) {
      const key = JSON.stringify(value);
      if (seen.has(key)) continue;
      seen.add(key);
    }
    out.push(value);
  }
  return out;
}

function sampleNumber(s: Schema, ctx: SampleContext, name: string, integer: boolean): number {
  const unit = !integer && UNIT_INTERVAL_NAME.test(name);
  let min = typeof s.minimum === 'number' ? s.minimum : unit ? 0 : integer ? 1 : 0;
  let max = typeof s.maximum === 'number' ? s.maximum : unit ? 1 : min + 100;
  if (typeof s.exclusiveMinimum === 'number') min = Math.max(min, s.exclusiveMinimum + (integer ? 1 : 0.01));
  if (typeof s.exclusiveMaximum === 'number') max = Math.min(max, s.exclusiveMaximum - (integer ? 1 : 0.01));
  if (max < min) max = min;
  const step = typeof s.multipleOf === 'number' && s.multipleOf > 0 ? s.multipleOf : integer ? 1 : 0;
  if (step > 0) {
    const lo = Math.ceil(min / step);
    const hi = Math.max(lo, Math.floor(max / step));
    return randomInt(lo, hi, ctx.random) * step;
  }
  const value = min + ctx.random() * (max - min);
  return Math.min(max, Math.max(min, Math.round(value * 100) / 100));
}

function sampleString(s: Schema, ctx: SampleContext, name: string): string {
  let text = formatted(s.format, ctx) ?? plainString(ctx, name);
  const min = typeof s.minLength === 'number' ? s.minLength : 0;
  const max = typeof s.maxLength === 'number' ? s.maxLength : Number.POSITIVE_INFINITY;
  while (text.length < min) text += ` ${ctx.topic}`;
  return text.slice(0, max);
}

function plainString(ctx: SampleContext, name: string): string {
  if (SENTIMENT_NAME.test(name)) return pick(['positive', 'negative', 'neutral'], ctx.random);
  if (ctx.categories.length > 0 && LABEL_NAME.test(name)) return pick(ctx.categories, ctx.random);
  return pick(PHRASES, ctx.random).replace('{w}', ctx.topic);
}

function formatted(format: unknown, ctx: SampleContext): string | undefined {
  const r = ctx.random;
  const two = (n: number) => String(n).padStart(2, '0');
  const date = () => `20${randomInt(20, 25, r)}-${two(randomInt(1, 12, r))}-${two(randomInt(1, 28, r))}`;
  const time = () => `${two(randomInt(0, 23, r))}:${two(randomInt(0, 59, r))}:${two(randomInt(0, 59, r))}`;
  const hex = (n: number) => Array.from({ length: n }, () => randomInt(0, 15, r).toString(16)).join('');
  switch (format) {
    case 'date':
      return date();
    case 'time':
      return `${time()}Z`;
    case 'date-time':
      return `${date()}T${time()}Z`;
    case 'email':
      return `user${randomInt(1, 9999, r)}@example.com`;
    case 'uri':
    case 'url':
      return `https://example.com/${ctx.topic.replace(/[^a-z0-9-]/gi, '') || 'item'}`;
    case 'uuid':
      return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
    case 'ipv4':
      return `192.0.2.${randomInt(1, 254, r)}`;
    default:
      return undefined;
  }
}
