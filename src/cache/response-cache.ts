/**
 * The on-disk response cache (SPEC §11) on LMDB: memory-mapped, so a hit costs microseconds, and
 * multi-process safe, so shards or parallel runs can share one cache directory.
 *
 * Writes use lmdb's asynchronous `put`: every put of one event-loop turn is committed in one transaction
 * (~60–90k puts/s here) where `putSync` commits and fsyncs each entry (~1.5–2k/s, below the 3,000 items/s
 * target). Pending writes are committed by `close()`, so a run that closes the cache loses nothing; a crash
 * loses at most the last turn's entries — those answers are already in the results file.
 */

import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { open, type RootDatabase } from 'lmdb';
import { UsageError } from '../errors.js';
import type { Completion } from '../providers/types.js';

/** The LMDB data file inside the cache directory (lmdb adds `<name>-lock` beside it). */
export const CACHE_FILE_NAME = 'responses.mdb';

/** Cache and state files are private to the user (SPEC §14). */
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/**
 * lmdb options every process opening the cache must share. Compression (LZ4 with lmdb's dictionary)
 * applies to values over 1 KB: long answers shrink, short labels are stored as-is.
 */
export const LMDB_OPTIONS = { compression: true, noSubdir: true } as const;

/** A stored answer. Only complete, successful answers are stored; the caller guarantees it. */
export interface CachedResponse {
  completion: Completion;
  /** When it was stored, ms since the epoch. */
  storedAt: number;
}

export interface CacheStats {
  entries: number;
  /** Bytes on disk (data and lock file). LMDB reuses freed pages but never shrinks its file. */
  sizeBytes: number;
  /** The data file. */
  path: string;
}

export interface ResponseCacheOptions {
  /**
   * Told about a write that failed to commit (disk full). A cache write is never fatal: the answer is in
   * the results file already. @default ignore
   */
  onWriteError?: (error: unknown) => void;
}

export interface ResponseCache {
  /** The stored answer for a key, or undefined (also for entries that do not look like one). */
  get(key: string): CachedResponse | undefined;
  /** Store an answer; committed asynchronously, visible to `get` once committed. */
  put(key: string, value: CachedResponse): void;
  stats(): CacheStats;
  /** Remove every entry. */
  clear(): Promise<void>;
  /** Commit pending writes and close. */
  close(): Promise<void>;
}

/** Open (creating if needed) the cache in `dir`. Throws UsageError when it cannot be opened. */
export function openResponseCache(dir: string, options: ResponseCacheOptions = {}): ResponseCache {
  const dataPath = join(dir, CACHE_FILE_NAME);
  let db: RootDatabase<CachedResponse, string>;
  try {
    preparePrivateFiles(dir, dataPath);
    db = open<CachedResponse, string>({ path: dataPath, ...LMDB_OPTIONS });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`Cannot open the response cache in ${dir}: ${reason}`, [
      'Use --cache-dir to put it elsewhere, or --no-cache to run without it.',
    ]);
  }
  const onWriteError = options.onWriteError ?? (() => {});
  return {
    get(key) {
      const value: unknown = db.get(key);
      return isCachedResponse(value) ? value : undefined;
    },
    put(key, value) {
      db.put(key, value).then(
        (written) => {
          if (!written) onWriteError(new Error(`Cache write for ${key} was not committed`));
        },
        onWriteError,
      );
    },
    stats() {
      // lmdb types getStats() as `{}`; entryCount is LMDB's own O(1) counter of the main tree.
      const { entryCount } = db.getStats() as { entryCount: number };
      return { entries: entryCount, sizeBytes: diskSize(dataPath), path: dataPath };
    },
    async clear() {
      await db.clearAsync();
    },
    async close() {
      await db.close();
    },
  };
}

/**
 * lmdb creates its files with the process umask (usually 0644). Creating them first with 0600 means they
 * are never readable by others, not even for the moment before a chmod; the chmod covers files left by
 * older versions. A directory the user pointed us at keeps its mode; one we create is 0700.
 */
function preparePrivateFiles(dir: string, dataPath: string): void {
  const created = mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  if (created !== undefined) chmodSync(dir, DIR_MODE);
  for (const path of [dataPath, lockPath(dataPath)]) {
    closeSync(openSync(path, 'a', FILE_MODE));
    chmodSync(path, FILE_MODE);
  }
}

function lockPath(dataPath: string): string {
  return `${dataPath}-lock`;
}

function diskSize(dataPath: string): number {
  return [dataPath, lockPath(dataPath)].reduce((sum, path) => sum + statSync(path).size, 0);
}

function isCachedResponse(value: unknown): value is CachedResponse {
  if (typeof value !== 'object' || value === null) return false;
  const completion = (value as { completion?: unknown }).completion;
  return (
    typeof completion === 'object' &&
    completion !== null &&
    typeof (completion as Completion).text === 'string' &&
    typeof (completion as Completion).usage === 'object'
  );
}
