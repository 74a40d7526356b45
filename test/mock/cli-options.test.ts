import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { mockServerOptionsFromCli } from '../../src/mock/cli-options.js';

describe('mockServerOptionsFromCli', () => {
  it.each([
    [{}, {}],
    [{ port: '8080', latency: '250', failRate: '0.1', rpm: '1200', tpm: 100000, seed: '7', apiKey: 'sk-test' },
      { port: 8080, latencyMs: 250, failRate: 0.1, rpm: 1200, tpm: 100000, seed: 7, apiKey: 'sk-test' }],
    [{ latency: '100-500' }, { latencyMs: { min: 100, max: 500 } }],
    [{ latency: '100..500' }, { latencyMs: { min: 100, max: 500 } }],
    [{ latency: 0 }, { latencyMs: 0 }],
    [
      { failRate: '0', faultMix: '429:0.05,500:0.05,503:0.03,reset:0.02,garbage:0.02', faultRetryAfter: '1000' },
      { failRate: 0.17, faultMix: { '429': 0.05, '500': 0.05, '503': 0.03, reset: 0.02, garbage: 0.02 }, faultRetryAfterMs: 1000 },
    ],
    [{ inputTpm: '40000', outputTpm: '8000' }, { inputTpm: 40_000, outputTpm: 8000 }],
  ])('%j → %j', (input, expected) => {
    expect(mockServerOptionsFromCli(input)).toEqual(expected);
  });

  it.each([
    [{ port: '70000' }, 'Expected `--port` to be an integer from 0 to 65535, got `70000`'],
    [{ latency: 'fast' }, 'Expected `--latency` to be a number from 0 and up, got `fast`'],
    [{ latency: '500-100' }, 'Expected `--latency` range to go from low to high, got `500-100`'],
    [{ failRate: '1.5' }, 'Expected `--fail-rate` to be a number from 0 to 1, got `1.5`'],
    [{ rpm: '' }, 'Expected `--rpm` to be a number from 1 and up, got ``'],
    [{ seed: '1.5' }, 'Expected `--seed` to be an integer, got `1.5`'],
    [{ apiKey: '' }, 'Expected `--api-key` to be a non-empty string'],
    [{ faultMix: '429:0.5,teapot:0.1' }, 'Expected `--fault-mix` entries like `429:0.05` with kinds from'],
    [{ faultMix: '429:0.7,500:0.7' }, 'Expected `--fault-mix` shares to add up to more than 0 and at most 1, got 1.4'],
    [{ failRate: '0.1', faultMix: '429:0.1' }, 'Expected either `--fail-rate` or `--fault-mix`, not both'],
  ])('rejects %j', (input, message) => {
    expect(() => mockServerOptionsFromCli(input)).toThrow(UsageError);
    expect(() => mockServerOptionsFromCli(input)).toThrow(message);
  });
});
