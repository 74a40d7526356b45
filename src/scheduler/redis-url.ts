import { UsageError } from '../errors.js';

/*
 * Kept apart from the connection code: the CLI checks `--redis` for every run, and must not load ioredis
 * (a quarter of a second of start-up) for runs that do not use it.
 */

/** The URL without credentials, for messages: `redis://user:secret@host:6379/0` → `redis://host:6379/0`. */
export function describeRedisUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError('Expected `--redis` to be a URL like redis://host:6379 or rediss://host:6380, got something that is not a URL');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new UsageError(`Expected \`--redis\` to be a redis:// or rediss:// URL, got a ${parsed.protocol} URL`);
  }
  return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
}
