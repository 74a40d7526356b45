import { describe, expect, it } from 'vitest';
import { defaultCacheDir } from '../../src/cache/default-cache-dir.js';

describe('defaultCacheDir', () => {
  it.each([
    [{ XDG_CACHE_HOME: '/var/cache/me' }, '/home/me', '/var/cache/me/llm-batch'],
    [{}, '/home/me', '/home/me/.cache/llm-batch'],
    [{ XDG_CACHE_HOME: '' }, '/home/me', '/home/me/.cache/llm-batch'],
    [{ XDG_CACHE_HOME: 'relative/cache' }, '/home/me', '/home/me/.cache/llm-batch'],
  ])('%j, home %s → %s', (env, home, expected) => {
    expect(defaultCacheDir(env, home)).toBe(expected);
  });
});
