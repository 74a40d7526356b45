import { describe, expect, it } from 'vitest';
import { DEFAULT_BEHAVIOUR, resolveBehaviour } from '../../src/mock/options.js';

describe('resolveBehaviour', () => {
  it('fills defaults', () => {
    const b = resolveBehaviour({});
    expect(b).toMatchObject({ latencyMs: 0, failRate: 0, seed: 42, trackPrompts: true, priceInputPerMTok: 0.15, priceOutputPerMTok: 0.6 });
    expect(Object.keys(b.faultMix)).toHaveLength(9);
  });

  it('normalises a list fault mix to equal weights', () => {
    expect(resolveBehaviour({ faultMix: ['500', 'reset', '500'] }).faultMix).toEqual({ '500': 2, reset: 1 });
  });

  it('null unsets optional options and restores defaults for the rest', () => {
    const base = resolveBehaviour({ rpm: 10, failRate: 0.5, apiKey: 'k' });
    const next = resolveBehaviour({ rpm: null, failRate: null, apiKey: null }, base);
    expect(next.rpm).toBeUndefined();
    expect(next.apiKey).toBeUndefined();
    expect(next.failRate).toBe(DEFAULT_BEHAVIOUR.failRate);
  });

  it.each([
    [{ failRate: 2 }, 'Expected `failRate` to be a number from 0 to 1, got `2`'],
    [{ rpm: 0 }, 'Expected `rpm` to be a number above 0, got `0`'],
    [{ latencyMs: { min: 10, max: 5 } }, 'Expected `latencyMs.max` to be a number from 10 and up, got `5`'],
    [{ faultMix: ['boom'] }, 'Expected `faultMix` kinds from 429, 500, 502, 503, 529, reset, garbage, truncated, hang, got `boom`'],
    [{ failRate: 0.5, faultMix: { '500': 0 } }, 'Expected `faultMix` to give at least one kind a weight above 0 when `failRate` is set'],
    [{ rmp: 5 }, 'Unknown mock option `rmp`'],
    [{ trackPrompts: 'no' }, 'Expected `trackPrompts` to be a boolean, got `no`'],
    [{ failFirstAttempts: 1.5 }, 'Expected `failFirstAttempts` to be an integer from 0 to 9007199254740991, got `1.5`'],
  ])('rejects %j', (patch, message) => {
    expect(() => resolveBehaviour(patch as never)).toThrow(message);
  });
});
