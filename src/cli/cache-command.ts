import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { defaultCacheDir } from '../cache/default-cache-dir.js';
import { CACHE_FILE_NAME, openResponseCache } from '../cache/response-cache.js';
import { EXIT, UsageError, type ExitCode } from '../errors.js';
import { formatCount } from '../ui/format.js';

export interface CacheFlags {
  cacheDir?: string;
  json?: boolean;
  yes?: boolean;
}

function cacheDirOf(flags: CacheFlags): string {
  return flags.cacheDir ?? defaultCacheDir(process.env, homedir());
}

/** `llm-batch cache stats`: entries and size on disk. A missing cache reads as empty (and is not created). */
export async function cacheStatsCommand(flags: CacheFlags): Promise<ExitCode> {
  const dir = cacheDirOf(flags);
  let stats = { entries: 0, sizeBytes: 0, path: join(dir, CACHE_FILE_NAME) };
  if (existsSync(stats.path)) {
    const cache = openResponseCache(dir);
    stats = cache.stats();
    await cache.close();
  }
  const text = flags.json
    ? JSON.stringify(stats, null, 2)
    : `cache    ${stats.path}\nentries  ${formatCount(stats.entries)}\nsize     ${(stats.sizeBytes / 1_048_576).toFixed(1)} MB`;
  process.stdout.write(`${text}\n`);
  return EXIT.ok;
}

/** `llm-batch cache clear --yes`: every stored answer is removed; the next runs pay again. */
export async function cacheClearCommand(flags: CacheFlags): Promise<ExitCode> {
  const dir = cacheDirOf(flags);
  if (!flags.yes) {
    throw new UsageError(`this removes every cached answer in ${dir}; add --yes to confirm`);
  }
  if (!existsSync(join(dir, CACHE_FILE_NAME))) {
    process.stderr.write(`no cache in ${dir}: nothing to clear\n`);
    return EXIT.ok;
  }
  const cache = openResponseCache(dir);
  const before = cache.stats().entries;
  await cache.clear();
  await cache.close();
  process.stderr.write(`cleared ${formatCount(before)} cached answers from ${dir}\n`);
  return EXIT.ok;
}
