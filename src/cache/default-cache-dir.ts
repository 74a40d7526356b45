/** Where the response cache lives unless `--cache-dir` says otherwise. Pure: the caller passes the world. */

import { isAbsolute, join } from 'node:path';

/** The directory name under the user cache directory. */
export const CACHE_DIR_NAME = 'llm-batch';

/**
 * `$XDG_CACHE_HOME/llm-batch`, else `<home>/.cache/llm-batch`. A relative or empty XDG_CACHE_HOME is
 * ignored, as the XDG Base Directory spec requires.
 */
export function defaultCacheDir(env: Readonly<Record<string, string | undefined>>, homedir: string): string {
  const xdgCacheHome = env.XDG_CACHE_HOME;
  if (xdgCacheHome && isAbsolute(xdgCacheHome)) return join(xdgCacheHome, CACHE_DIR_NAME);
  return join(homedir, '.cache', CACHE_DIR_NAME);
}
