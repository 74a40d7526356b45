import { LEARNED_LIMIT_SHARE } from '../../src/scheduler/learned-limits.js';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { createScheduler, SchedulerStoppedError, type Scheduler } from '../../src/scheduler/scheduler.js';
import type { DispatchTicket } from '../../src/scheduler/scheduler-types.js';
import { deferred, sleep, startRecording } from './scheduler-helpers.js';

// Real timers and short intervals throughout: bottleneck does not run under fake timers. Bounds are wide
// because this machine is shared; they still fail if a limit were ignored.

const open: Scheduler[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((scheduler) => scheduler.close()));
});
function track<T extends { scheduler: Scheduler }>(recording: T): T {
  open.push(recording.scheduler);
  return recording;
}

/** A 429's headers showing the request window used up: the evidence that pauses everyone. */
const USED_UP = { 'x-ratelimit-limit-requests': '600', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '100ms' };
const limitReached = (retryAfterMs?: number) => ({ status: 429, retryAfterMs, headers: USED_UP });

const openAiHeaders = (rpm: number, tpm?: number): Record<string, string> => ({
  'x-ratelimit-limit-requests': String(rpm),
  'x-ratelimit-remaining-requests': String(rpm - 1),
  'x-ratelimit-reset-requests': '120ms',
  ...(tpm === undefined
    ? {}
    : { 'x-ratelimit-limit-tokens': String(tpm), 'x-ratelimit-remaining-tokens': String(tpm - 100), 'x-ratelimit-reset-tokens': '1s' }),
});

describe('createScheduler', () => {
  it.each([
    [{ concurrency: 0 }, 'Expected `concurrency` to be an integer from 1 and up, got `0`'],
    [{ concurrency: 1.5 }, 'got `1.5`'],
    [{ concurrency: 4, rpm: 0 }, 'Expected `rpm` to be a number above 0, got `0`'],
    [{ concurrency: 4, tpm: Number.NaN }, 'Expected `tpm` to be a number above 0, got `NaN`'],
  ])('rejects %j', (options, message) => {
    expect(() => createScheduler({ provider: 'openai', ...options })).toThrow(UsageError);
    expect(() => createScheduler({ provider: 'openai', ...options })).toThrow(message);
  });

  it('never has more tasks in flight than the concurrency (1000 jobs of 1–5 ms, concurrency 8)', async () => {
    const { scheduler } = track(startRecording({ concurrency: 8 }));
    let running = 0;
    let highest = 0;
    let highestReported = 0;
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        scheduler.schedule(1, async () => {
          running += 1;
          highest = Math.max(highest, running);
          highestReported = Math.max(highestReported, scheduler.inFlight);
          await sleep(1 + Math.floor(Math.random() * 5));
          running -= 1;
          return i;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(highest).toBeLessThanOrEqual(8);
    expect(highest).toBeGreaterThanOrEqual(2);
    expect(highestReported).toBeLessThanOrEqual(8);
    expect(scheduler.inFlight).toBe(0);
    expect(scheduler.queued).toBe(0);
  });

  it('keeps the concurrency bound when a rate is learned while jobs are in flight', async () => {
    // Without a rate, jobs skip bottleneck; once headers bring one, new jobs go through it. Both paths
    // share the same slots, so the switch must not let a second batch of `concurrency` jobs start.
    const { scheduler } = track(startRecording({ concurrency: 4 }));
    let running = 0;
    let highest = 0;
    const task = async (): Promise<void> => {
      running += 1;
      highest = Math.max(highest, running);
      await sleep(20);
      running -= 1;
    };
    const first = Array.from({ length: 8 }, () => scheduler.schedule(1, task));
    await sleep(5);
    scheduler.observeHeaders({ 'x-ratelimit-limit-requests': '600000', 'x-ratelimit-remaining-requests': '599999', 'x-ratelimit-reset-requests': '1ms' });
    const second = Array.from({ length: 8 }, () => scheduler.schedule(1, task));
    await Promise.all([...first, ...second]);
    expect(scheduler.limits.rpm).toBeGreaterThan(0);
    expect(highest).toBeLessThanOrEqual(4);
    expect(highest).toBeGreaterThanOrEqual(2);
  });

  it('passes task errors through without retrying', async () => {
    const { scheduler } = track(startRecording({ concurrency: 2 }));
    let calls = 0;
    const failing = scheduler.schedule(1, async () => {
      calls += 1;
      throw new Error('boom');
    });
    await expect(failing).rejects.toThrow('boom');
    await sleep(50);
    expect(calls).toBe(1);
    await expect(scheduler.schedule(1, async () => 'next')).resolves.toBe('next');
  });

  it('spaces requests evenly for --rpm (600 rpm → about 20 starts in 2 s)', async () => {
    const { job, starts } = track(startRecording({ concurrency: 16, rpm: 600 }));
    for (let i = 0; i < 60; i += 1) job(1).catch(() => undefined);
    await sleep(2000);
    const inTwoSeconds = starts.filter((at) => at < 2000).length;
    expect(inTwoSeconds).toBeGreaterThanOrEqual(12);
    expect(inTwoSeconds).toBeLessThanOrEqual(22);
    // Single gaps shrink when one timer fires late and the next on time; the average cannot.
    expect((starts[10] - starts[0]) / 10).toBeGreaterThanOrEqual(90);
  });

  it('paces by --tpm with token weights: a 10 s burst, then the refill rate', async () => {
    // 600,000 tpm = 10,000 tokens/s; the bucket holds 100,000. Jobs of 10,000 tokens: 10 at once, then 1/s.
    const { job, starts } = track(startRecording({ concurrency: 64, tpm: 600_000 }));
    for (let i = 0; i < 20; i += 1) job(10_000).catch(() => undefined);
    await sleep(400);
    expect(starts.length).toBeGreaterThanOrEqual(9);
    expect(starts.length).toBeLessThanOrEqual(11);
    await sleep(2100);
    expect(starts.length).toBeGreaterThanOrEqual(11);
    expect(starts.length).toBeLessThanOrEqual(13);
  });

  it('clamps a job heavier than the bucket and charges the rest as debt', async () => {
    const { job } = track(startRecording({ concurrency: 4, tpm: 600_000 }));
    // 120,000 tokens > the 100,000 bucket: it must run at once, and the next job wait out ~2 s of debt.
    const heavy = await job(120_000);
    const next = await job(1000);
    expect(heavy).toBeLessThan(500);
    expect(next - heavy).toBeGreaterThanOrEqual(1200);
    expect(next - heavy).toBeLessThan(5000);
  });

  it('refunds tokens the request did not use', async () => {
    const { scheduler, job, starts } = track(startRecording({ concurrency: 64, tpm: 600_000 }));
    const all = Array.from({ length: 40 }, () => job(10_000, 0, () => scheduler.reportUsage({ input: 10_000, output: 0 }, { input: 1000, cachedInput: 0, output: 0 })));
    await Promise.race([Promise.all(all), sleep(1500)]);
    // Without refunds only ~11 of these 10,000-token jobs would have started by now.
    expect(starts.length).toBe(40);
  });

  it('pauses every dispatch until the advised time after a 429, then resumes slower', async () => {
    const { scheduler, job, starts, elapsed, events } = track(startRecording({ concurrency: 4 }));
    const finished: number[] = [];
    const all = Array.from({ length: 24 }, () => job(1, 30).then(() => finished.push(elapsed())));
    await sleep(100);
    const reportedAt = elapsed();
    scheduler.reportRefused(limitReached(600));
    await Promise.all(all);
    const duringPause = starts.filter((at) => at > reportedAt + 20 && at < reportedAt + 560);
    expect(duringPause).toEqual([]);
    expect(starts.filter((at) => at >= reportedAt + 560).length).toBeGreaterThan(0);
    expect(events.filter((event) => event.type === 'rate-limited')).toEqual([
      { type: 'rate-limited', pauseMs: 600, status: 429, reason: expect.stringMatching(/pausing all requests for 0\.6 s/) },
    ]);
  });

  it('announces one pause per window, not one per 429, when many arrive together', async () => {
    const { scheduler, events } = track(startRecording({ concurrency: 64, rpm: 6000 }));
    for (let i = 0; i < 64; i += 1) scheduler.reportRefused(limitReached(i % 2 === 0 ? 200 : undefined));
    expect(events.filter((event) => event.type === 'rate-limited')).toHaveLength(1);
    await sleep(1100);
    scheduler.reportRefused({ status: 529, retryAfterMs: 100 });
    const limited = events.filter((event) => event.type === 'rate-limited');
    expect(limited).toHaveLength(2);
    expect(limited[1]).toMatchObject({ status: 529, pauseMs: 100 });
    // The display must not call the provider's overload a rate limit.
    expect(scheduler.pauseReason).toBe('overloaded');
    // One decrease of 0.7 from the flag (6000 → 4200 requests/min); the 529 pauses without another cut.
    expect(scheduler.limits.rpm).toBeCloseTo(4200);
    scheduler.reportRefused(limitReached(100));
    await sleep(1100);
    scheduler.reportRefused(limitReached(100));
    const last = events.filter((event) => event.type === 'rate-limited').at(-1);
    expect(last?.type === 'rate-limited' && last.reason).toMatch(/then 2940 requests\/min/);
  });

  it('adopts limits learned from headers, announces each change once, and spends the headroom they report', async () => {
    const { scheduler, job, starts, events } = track(startRecording({ concurrency: 8 }));
    await Promise.all(Array.from({ length: 50 }, () => job(1)));
    expect(starts.length).toBe(50);

    // 600 rpm with 20 left: a bucket of 600 seeded at 20, refilled at 98% of 10/s.
    const twentyLeft = { ...openAiHeaders(600, 90_000), 'x-ratelimit-remaining-requests': '20' };
    scheduler.observeHeaders(twentyLeft);
    scheduler.observeHeaders(twentyLeft);
    expect(events.filter((event) => event.type === 'rate-limits-learned')).toEqual([
      { type: 'rate-limits-learned', rpm: 600, tpm: 90_000, source: 'openai rate-limit headers' },
    ]);
    await sleep(20);
    const before = starts.length;
    for (let i = 0; i < 60; i += 1) job(1).catch(() => undefined);
    await sleep(300);
    // The 20 left go at once (concurrency 8 and 0 ms tasks do not hold them back)...
    expect(starts.length - before).toBeGreaterThanOrEqual(18);
    expect(starts.length - before).toBeLessThanOrEqual(26);
    await sleep(1000);
    // ...then the refill rate: about 10 more per second, never the whole 60.
    expect(starts.length - before).toBeGreaterThanOrEqual(22);
    expect(starts.length - before).toBeLessThanOrEqual(36);

    scheduler.observeHeaders(openAiHeaders(1200, 90_000));
    expect(events.filter((event) => event.type === 'rate-limits-learned')).toHaveLength(2);
  });

  it('raises a learned level from a later answer only past what was still unanswered when that request left', async () => {
    // Answers can overtake each other: a `remaining` may not yet count requests that left before its own.
    const { scheduler, starts } = track(startRecording({ concurrency: 64 }));
    scheduler.observeHeaders({ ...openAiHeaders(600), 'x-ratelimit-remaining-requests': '10' });
    const tickets: DispatchTicket[] = [];
    const hold = deferred();
    const held = Array.from({ length: 10 }, () =>
      scheduler.schedule(1, async (ticket) => {
        tickets.push(ticket);
        await hold.promise;
      }),
    );
    await sleep(50);
    expect(tickets).toHaveLength(10);
    const last = tickets[9]!;
    expect(last.unansweredBefore.rpm).toBe(9);
    // The tenth answer says 30 left: 9 requests that left before it may still reach the provider after it.
    scheduler.observeHeaders({ ...openAiHeaders(600), 'x-ratelimit-remaining-requests': '30' }, last);
    await sleep(20);
    const before = starts.length;
    for (let i = 0; i < 60; i += 1) scheduler.schedule(1, async () => void starts.push(0)).catch(() => undefined);
    await sleep(150);
    // 21 (30 less the 9), plus a refill tick or two; not 30.
    expect(starts.length - before).toBeGreaterThanOrEqual(20);
    expect(starts.length - before).toBeLessThanOrEqual(25);
    hold.resolve();
    await Promise.all(held);
  });

  it('keeps flag limits over learned ones', async () => {
    const { scheduler, events } = track(startRecording({ concurrency: 8, rpm: 100, tpm: 1000 }));
    scheduler.observeHeaders(openAiHeaders(600, 90_000));
    expect(events.filter((event) => event.type === 'rate-limits-learned')).toEqual([]);
  });

  it('stop() rejects queued jobs, lets running ones finish, and refuses new ones', async () => {
    const { scheduler } = track(startRecording({ concurrency: 1 }));
    const release = deferred<string>();
    const running = scheduler.schedule(1, () => release.promise);
    const queued = Array.from({ length: 5 }, () => scheduler.schedule(1, async () => 'never'));
    await sleep(30);
    expect(scheduler.inFlight).toBe(1);
    expect(scheduler.queued).toBe(5);
    scheduler.stop();
    const outcomes = await Promise.allSettled(queued);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(SchedulerStoppedError);
    }
    expect(scheduler.queued).toBe(0);
    await expect(scheduler.schedule(1, async () => 'late')).rejects.toBeInstanceOf(SchedulerStoppedError);
    release.resolve('finished');
    await expect(running).resolves.toBe('finished');
    expect(scheduler.inFlight).toBe(0);
  });

  it('stop() also frees jobs held by a pause or waiting for tokens', async () => {
    const { scheduler, job } = track(startRecording({ concurrency: 4, tpm: 60_000 }));
    const waiting = Array.from({ length: 20 }, () => job(5000));
    scheduler.reportRefused(limitReached(10_000));
    await sleep(50);
    scheduler.stop();
    const outcomes = await Promise.allSettled(waiting);
    const rejected = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(rejected.length).toBeGreaterThanOrEqual(18);
  });
});

describe('adaptive limits through the scheduler', () => {
  it('cuts flag rates on a 429, reports the pause, and climbs back with successes', async () => {
    const { scheduler } = track(startRecording({ concurrency: 8, rpm: 1000, tpm: 100_000 }));
    expect(scheduler.limits).toEqual({ rpm: 1000, tpm: 100_000 });
    expect(scheduler.pauseReason).toBeNull();
    scheduler.reportRefused(limitReached(150));
    expect(scheduler.paused).toBe(true);
    expect(scheduler.pauseReason).toBe('rate_limit');
    expect(scheduler.limits.rpm).toBeCloseTo(700);
    expect(scheduler.limits.tpm).toBeCloseTo(70_000);
    for (let i = 0; i < 10; i += 1) scheduler.reportSuccess();
    expect(scheduler.limits.rpm).toBeCloseTo(700);
    await sleep(1100);
    expect(scheduler.paused).toBe(false);
    expect(scheduler.pauseReason).toBeNull();
    for (let i = 0; i < 10; i += 1) scheduler.reportSuccess();
    expect(scheduler.limits.rpm).toBeGreaterThan(780);
    for (let i = 0; i < 30; i += 1) scheduler.reportSuccess();
    expect(scheduler.limits).toEqual({ rpm: 1000, tpm: 100_000 });
  });

  it('guesses a reference from the observed pace when a 429 comes with no limit known', async () => {
    const { scheduler, job } = track(startRecording({ concurrency: 8 }));
    await Promise.all(Array.from({ length: 30 }, () => job(1)));
    expect(scheduler.limits).toEqual({});
    scheduler.reportRefused(limitReached(0));
    // 30 dispatches within the first second: 1800/min observed, 70% of it (1260) applied.
    expect(scheduler.limits.rpm).toBeGreaterThan(600);
    expect(scheduler.limits.rpm).toBeLessThanOrEqual(1261);
    expect(scheduler.limits.tpm).toBeUndefined();
  });

  it('learns Anthropic limits, keeping the input and output token limits apart', () => {
    const { scheduler, events } = track(startRecording({ concurrency: 8, provider: 'anthropic' }));
    scheduler.observeHeaders({
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '49',
      'anthropic-ratelimit-requests-reset': new Date(Date.now() + 1200).toISOString(),
      'anthropic-ratelimit-tokens-limit': '8000',
      'anthropic-ratelimit-tokens-remaining': '8000',
      'anthropic-ratelimit-input-tokens-limit': '40000',
      'anthropic-ratelimit-input-tokens-remaining': '39000',
      'anthropic-ratelimit-output-tokens-limit': '8000',
      'anthropic-ratelimit-output-tokens-remaining': '8000',
    });
    expect(events).toEqual([
      { type: 'rate-limits-learned', rpm: 50, inputTpm: 40_000, outputTpm: 8000, source: 'anthropic rate-limit headers' },
    ]);
    expect(scheduler.limits.rpm).toBeCloseTo(50 * LEARNED_LIMIT_SHARE);
    expect(scheduler.limits.inputTpm).toBeCloseTo(40_000 * LEARNED_LIMIT_SHARE);
    expect(scheduler.limits.outputTpm).toBeCloseTo(8000 * LEARNED_LIMIT_SHARE);
    expect(scheduler.limits.tpm).toBeUndefined();
  });

  it('charges Anthropic input and output apart, and refunds cache reads to the input bucket', async () => {
    const { scheduler, job, starts } = track(startRecording({ concurrency: 64, provider: 'anthropic' }));
    // An input bucket of 60,000 seeded full, an output bucket of 600,000 (never the constraint here).
    scheduler.observeHeaders({
      'anthropic-ratelimit-input-tokens-limit': '60000',
      'anthropic-ratelimit-input-tokens-remaining': '60000',
      'anthropic-ratelimit-output-tokens-limit': '600000',
      'anthropic-ratelimit-output-tokens-remaining': '600000',
    });
    await sleep(20);
    // Each job: 10,000 input tokens estimated, all of them read from the cache in the end.
    const refund = () => scheduler.reportUsage({ input: 10_000, output: 100 }, { input: 10_000, cachedInput: 10_000, output: 100 });
    const all = Array.from({ length: 30 }, () =>
      scheduler.schedule({ input: 10_000, output: 100 }, async () => {
        starts.push(0);
        refund();
      }),
    );
    await Promise.race([Promise.all(all), sleep(1500)]);
    // Charged without the refund, the bucket would let 6 start and then ~1 a second.
    expect(starts.length).toBe(30);
    void job;
  });

  it('a 429 whose headers show the limit used up pauses everyone; an isolated one does not', async () => {
    const { scheduler } = track(startRecording({ concurrency: 8 }));
    for (let i = 0; i < 20; i += 1) scheduler.reportSuccess();
    scheduler.reportRefused({ status: 429, retryAfterMs: 1000, requestId: 'a' });
    expect(scheduler.paused).toBe(false);
    scheduler.reportRefused(limitReached(300));
    expect(scheduler.paused).toBe(true);
  });
});
