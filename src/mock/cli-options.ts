/**
 * `llm-batch mock-server` flags → `MockServerOptions`. Commander hands us strings (or numbers from
 * defaults); we parse them strictly and validate once, so a typo fails before the server starts.
 */
import { UsageError } from '../errors.js';
import { resolveBehaviour, type LatencySpec, type MockServerOptions } from './options.js';

export interface MockServerCliInput {
  port?: string | number;
  /** Milliseconds (`250`) or a range (`100-500`, `100..500`). */
  latency?: string | number;
  failRate?: string | number;
  rpm?: string | number;
  tpm?: string | number;
  seed?: string | number;
  apiKey?: string;
}

const MAX_PORT = 65_535;

/** Parse and validate the mock-server flags. Throws `UsageError` naming the bad flag. */
export function mockServerOptionsFromCli(input: MockServerCliInput): MockServerOptions {
  const options: MockServerOptions = {};
  if (input.port !== undefined) options.port = parseNumber('--port', input.port, { integer: true, min: 0, max: MAX_PORT });
  if (input.latency !== undefined) options.latencyMs = parseLatency(input.latency);
  if (input.failRate !== undefined) options.failRate = parseNumber('--fail-rate', input.failRate, { min: 0, max: 1 });
  if (input.rpm !== undefined) options.rpm = parseNumber('--rpm', input.rpm, { min: 1 });
  if (input.tpm !== undefined) options.tpm = parseNumber('--tpm', input.tpm, { min: 1 });
  if (input.seed !== undefined) options.seed = parseNumber('--seed', input.seed, { integer: true });
  if (input.apiKey !== undefined) {
    if (input.apiKey === '') throw new UsageError('Expected `--api-key` to be a non-empty string');
    options.apiKey = input.apiKey;
  }
  const { port: _port, host: _host, ...behaviour } = options;
  try {
    resolveBehaviour(behaviour);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return options;
}

function parseLatency(value: string | number): LatencySpec {
  if (typeof value === 'number') return parseNumber('--latency', value, { min: 0 });
  const range = /^\s*(\d+(?:\.\d+)?)\s*(?:-|\.\.)\s*(\d+(?:\.\d+)?)\s*$/.exec(value);
  if (!range) return parseNumber('--latency', value, { min: 0 });
  const min = Number(range[1]);
  const max = Number(range[2]);
  if (max < min) throw new UsageError(`Expected \`--latency\` range to go from low to high, got \`${value}\``);
  return { min, max };
}

function parseNumber(flag: string, value: string | number, rules: { integer?: boolean; min?: number; max?: number }): number {
  const n = typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value);
  const { integer = false, min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY } = rules;
  if (Number.isFinite(n) && n >= min && n <= max && (!integer || Number.isInteger(n))) return n;
  const kind = integer ? 'an integer' : 'a number';
  const range =
    min === Number.NEGATIVE_INFINITY ? '' : max === Number.POSITIVE_INFINITY ? ` from ${min} and up` : ` from ${min} to ${max}`;
  throw new UsageError(`Expected \`${flag}\` to be ${kind}${range}, got \`${String(value)}\``);
}
