import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import type { RunMode } from './records.js';
import type { ProviderId } from '../providers/types.js';

/** Identifies an input file cheaply: its size and a hash of its head. */
export interface InputFingerprint {
  /** As given on the command line; `-` for stdin (which has no size or hash). */
  path: string;
  size: number;
  /** sha256 (hex) of the first `headBytes` bytes. */
  headHash: string;
  /** Bytes hashed: min(size, 64 KiB) when first fingerprinted; kept on resume so hashes stay comparable. */
  headBytes: number;
}

/** Everything whose change makes earlier results a different run (SPEC §7). */
export interface RunFingerprint {
  input: InputFingerprint;
  templateHash: string;
  model: string;
  provider: ProviderId;
  baseUrl: string;
  /** Request parameters as sent (temperature, max tokens, `--param` values, schema hash, …). */
  params: Record<string, unknown>;
  mode: RunMode;
  /** `--shard k/n` as `"k/n"`; absent for the whole input. */
  shard?: string;
  /** `--id-field`, when given. */
  idField?: string;
  inputFormat?: string;
}

/** Enough to tell two files apart without reading a multi-gigabyte input twice. */
export const INPUT_HEAD_BYTES = 64 * 1024;

/** Options for {@link fingerprintInput}. */
export interface FingerprintInputOptions {
  /**
   * How many leading bytes to hash. On resume pass the stored fingerprint's `headBytes`, so that a small
   * input that has grown since is compared over the bytes it had then.
   * @default INPUT_HEAD_BYTES (64 KiB)
   */
  headBytes?: number;
}

/** Size and head hash of an input file; stdin (`-`) gets an empty fingerprint. */
export async function fingerprintInput(
  filePath: string,
  options: FingerprintInputOptions = {},
): Promise<InputFingerprint> {
  if (filePath === '-') return { path: '-', size: 0, headHash: '', headBytes: 0 };
  const handle = await fs.open(filePath, 'r');
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(size, options.headBytes ?? INPUT_HEAD_BYTES));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const hashed = head.subarray(0, bytesRead);
    return { path: filePath, size, headHash: sha256Hex(hashed), headBytes: hashed.length };
  } finally {
    await handle.close();
  }
}

/** sha256 in hex, for template sources and other fingerprint parts. */
export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * What changed between two fingerprints, one human line each (`model: gpt-4o-mini → gpt-4o`); empty when
 * resuming is safe. An input that only grew (same head, larger size) is unchanged: appended rows are
 * what resume is for. A moved file with the same content is unchanged too.
 */
export function diffFingerprint(previous: RunFingerprint, current: RunFingerprint): string[] {
  const changes = diffInput(previous.input, current.input);
  const scalar = (name: string, before: unknown, after: unknown): void => {
    if (before !== after) changes.push(`${name}: ${show(before)} → ${show(after)}`);
  };
  scalar('template', shortHash(previous.templateHash), shortHash(current.templateHash));
  scalar('model', previous.model, current.model);
  scalar('provider', previous.provider, current.provider);
  scalar('base URL', previous.baseUrl, current.baseUrl);
  scalar('mode', previous.mode, current.mode);
  scalar('shard', previous.shard ?? 'all', current.shard ?? 'all');
  scalar('id field', previous.idField ?? 'default', current.idField ?? 'default');
  const keys = [...new Set([...Object.keys(previous.params), ...Object.keys(current.params)])].sort();
  for (const key of keys) {
    const before = previous.params[key];
    const after = current.params[key];
    if (!isDeepStrictEqual(before, after)) changes.push(`params.${key}: ${show(before)} → ${show(after)}`);
  }
  return changes;
}

function diffInput(previous: InputFingerprint, current: InputFingerprint): string[] {
  if (previous.path === '-' || current.path === '-') {
    return previous.path === current.path ? [] : [`input: ${previous.path} → ${current.path}`];
  }
  const moved = previous.path === current.path ? '' : ` (${previous.path} → ${current.path})`;
  if (previous.headBytes !== current.headBytes && current.size >= previous.headBytes) {
    return [`input: cannot compare (hashed ${previous.headBytes} vs ${current.headBytes} bytes)${moved}`];
  }
  if (current.size < previous.size) {
    return [`input: shrank from ${previous.size} to ${current.size} bytes${moved}`];
  }
  if (previous.headHash !== current.headHash) {
    return [`input: a different file (its first ${previous.headBytes} bytes changed)${moved}`];
  }
  return [];
}

function shortHash(hash: string): string {
  return hash.slice(0, 12);
}

function show(value: unknown): string {
  if (value === undefined) return '(unset)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
