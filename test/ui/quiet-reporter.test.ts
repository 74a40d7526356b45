import { describe, expect, it } from 'vitest';
import { formatSummary } from '../../src/ui/format-summary.js';
import { createReporter } from '../../src/ui/create-reporter.js';
import { createFakePipe, createFakeTty, makeFullRun, makeSummary } from './fixtures.js';

describe('quiet reporter', () => {
  it('prints only the summary', async () => {
    const stream = createFakePipe();
    const reporter = await createReporter({ stream, env: {}, mode: 'quiet', progressIntervalMs: 0 });
    for (const event of makeFullRun()) reporter.handle(event);
    reporter.close();
    expect(stream.text()).toBe(`${formatSummary(makeSummary(), { color: null })}\n`);
  });

  it('prints a fatal error when it happens', async () => {
    const stream = createFakePipe();
    const reporter = await createReporter({ stream, env: {}, mode: 'quiet', progressIntervalMs: 0 });
    reporter.handle({ type: 'rate-limited', pauseMs: 1000, reason: 'pausing all requests for 12 s' });
    reporter.handle({ type: 'fatal-error', errorClass: 'auth', status: 401, message: 'invalid key' });
    expect(stream.text()).toBe('fatal: invalid key (auth, 401)\n');
  });

  it('draws nothing live on a TTY and honours NO_COLOR', async () => {
    const stream = createFakeTty();
    const reporter = await createReporter({ stream, env: { NO_COLOR: '1' }, mode: 'quiet', progressIntervalMs: 0 });
    for (const event of makeFullRun()) reporter.handle(event);
    reporter.close();
    expect(stream.text()).toBe(`${formatSummary(makeSummary(), { color: null })}\n`);
  });
});
