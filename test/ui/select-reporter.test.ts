import { describe, expect, it } from 'vitest';
import { createReporter } from '../../src/ui/create-reporter.js';
import { selectReporterKind } from '../../src/ui/select-reporter.js';
import { createFakePipe, createFakeTty } from './fixtures.js';

describe('selectReporterKind', () => {
  it.each([
    ['auto', createFakeTty(100), {}, 'tty'],
    ['auto', createFakeTty(0), {}, 'plain'],
    ['auto', { ...createFakeTty(), columns: undefined }, {}, 'plain'],
    ['auto', createFakeTty(100), { TERM: 'dumb' }, 'plain'],
    ['auto', createFakeTty(100), { NO_COLOR: '1' }, 'tty'],
    ['auto', createFakePipe(), {}, 'plain'],
    ['quiet', createFakeTty(100), {}, 'quiet'],
    ['json', createFakeTty(100), {}, 'json'],
    ['json', createFakePipe(), {}, 'json'],
  ] as const)('%s on %o with %o → %s', (mode, stream, env, expected) => {
    expect(selectReporterKind(mode, stream, env)).toBe(expected);
  });
});

describe('createReporter', () => {
  it('rejects a negative progress interval', async () => {
    await expect(createReporter({ stream: createFakePipe(), env: {}, mode: 'auto', progressIntervalMs: -1 })).rejects.toThrow(
      'Expected `progressIntervalMs` to be a number from 0 and up, got `-1`',
    );
  });
});
