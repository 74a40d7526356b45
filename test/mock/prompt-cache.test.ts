import { describe, expect, it } from 'vitest';
import { PromptCache } from '../../src/mock/prompt-cache.js';

describe('PromptCache', () => {
  it('writes a new prefix, then reads it until the TTL passes', () => {
    const cache = new PromptCache();
    const bp = [{ key: 'k', tokens: 100 }];
    expect(cache.use(bp, 120, 0, 1000, 0)).toEqual({ read: 0, write: 100 });
    expect(cache.use(bp, 120, 500, 1000, 0)).toEqual({ read: 100, write: 0 });
    // The read at 500 refreshed the TTL to 1500.
    expect(cache.use(bp, 120, 1400, 1000, 0)).toEqual({ read: 100, write: 0 });
    expect(cache.use(bp, 120, 5000, 1000, 0)).toEqual({ read: 0, write: 100 });
  });

  it('reads the longest cached prefix and writes the rest up to the last breakpoint', () => {
    const cache = new PromptCache();
    cache.use([{ key: 'sys', tokens: 80 }], 90, 0, 1000, 0);
    expect(cache.use([{ key: 'sys', tokens: 80 }, { key: 'sys+shots', tokens: 150 }], 160, 1, 1000, 0)).toEqual({ read: 80, write: 70 });
  });

  it('ignores prefixes below the minimum and never exceeds the whole prompt', () => {
    const cache = new PromptCache();
    expect(cache.use([{ key: 'small', tokens: 10 }], 20, 0, 1000, 1024)).toEqual({ read: 0, write: 0 });
    expect(cache.use([{ key: 'big', tokens: 200 }], 150, 0, 1000, 0)).toEqual({ read: 0, write: 150 });
  });
});
