/**
 * `llm-batch mock-server` flags → `MockServerOptions`. Commander hands us strings (or numbers from
 * defaults); we parse them strictly and validate once, so a typo fails before the server starts.
 */
import { UsageError } from '../errors.js';
import { FAULT_KINDS, resolveBehaviour, type FaultKind, type LatencySpec, type MockServerOptions } from './options.js';

export interface MockServerCliInput {
  port?: string | number;
  /** Milliseconds (`250`) or a range (`100-500`, `100..500`). */
  latency?: string | number;
  failRate?: string | number;
  rpm?: string | number;
  tpm?: string | number;
  inputTpm?: string | number;
  outputTpm?: string | number;
  /** Share per fault kind, e.g. `429:0.05,500:0.05,503:0.03,reset:0.02,garbage:0.02` (sets the fail rate too). */
  faultMix?: string;
  /** Retry-After of injected 429s, in ms. */
  faultRetryAfter?: string | number;
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
  if (input.inputTpm !== undefined) options.inputTpm = parseNumber('--input-tpm', input.inputTpm, { min: 1 });
  if (input.outputTpm !== undefined) options.outputTpm = parseNumber('--output-tpm', input.outputTpm, { min: 1 });
  if (input.faultMix !== undefined) {
    if (input.failRate !== undefined && Number(input.failRate) !== 0) {
      throw new UsageError('Expected either `--fail-rate` or `--fault-mix`, not both: the mix sets the share of each fault');
    }
    const mix = parseFaultMix(input.faultMix);
    options.faultMix = mix;
    // Rounded: 0.05 + 0.05 + 0.03 + … is not exactly 0.17 in floating point.
    options.failRate = Number(Object.values(mix).reduce((sum, share) => sum + share, 0).toFixed(6));
  }
  if (input.faultRetryAfter !== undefined) {
    options.faultRetryAfterMs = parseNumber('--fault-retry-after', input.faultRetryAfter, { min: 0 });
  }
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

/**
 * `429:0.05,500:0.05,reset:0.02`: each fault kind with the share of all requests it hits. The shares add up
 * to the fail rate (at most 1).
 */
export function parseFaultMix(text: string): Partial<Record<FaultKind, number>> {
  const mix: Partial<Record<FaultKind, number>> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const match = /^([a-z0-9]+)\s*:\s*(\d*\.?\d+)$/i.exec(part);
    const kind = match?.[1].toLowerCase();
    if (match === null || kind === undefined || !(FAULT_KINDS as readonly string[]).includes(kind)) {
      throw new UsageError(`Expected \`--fault-mix\` entries like \`429:0.05\` with kinds from ${FAULT_KINDS.join(', ')}, got \`${part}\``);
    }
    mix[kind as FaultKind] = (mix[kind as FaultKind] ?? 0) + Number(match[2]);
  }
  const total = Object.values(mix).reduce((sum, share) => sum + share, 0);
  if (total <= 0 || total > 1) throw new UsageError(`Expected \`--fault-mix\` shares to add up to more than 0 and at most 1, got ${total}`);
  return mix;
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
