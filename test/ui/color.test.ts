import { describe, expect, it } from 'vitest';
import { resolveColorLevel } from '../../src/ui/color.js';

describe('resolveColorLevel', () => {
  it.each([
    [{}, false, 0],
    [{ FORCE_COLOR: '3' }, false, 0],
    [{}, true, 1],
    [{ NO_COLOR: '1' }, true, 0],
    [{ NO_COLOR: '' }, true, 1],
    [{ TERM: 'dumb' }, true, 0],
    [{ FORCE_COLOR: '0' }, true, 0],
    [{ FORCE_COLOR: '2' }, true, 2],
    [{ TERM: 'xterm-256color' }, true, 2],
    [{ COLORTERM: 'truecolor' }, true, 3],
  ] as const)('%o, tty %s → %d', (env, isTTY, expected) => {
    expect(resolveColorLevel(env, isTTY)).toBe(expected);
  });
});
