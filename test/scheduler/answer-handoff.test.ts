import { afterEach, describe, expect, it } from 'vitest';
import { AnswerHandoff } from '../../src/scheduler/answer-handoff.js';
import { createScheduler, type Scheduler } from '../../src/scheduler/scheduler.js';

describe('AnswerHandoff', () => {
  it('delivers after the current turn, in order, with one batch for everything pushed meanwhile', async () => {
    const handoff = new AnswerHandoff();
    const seen: string[] = [];
    handoff.push(() => seen.push('a'));
    handoff.push(() => seen.push('b'));
    seen.push('sync');
    await Promise.resolve();
    seen.push('microtask');
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual(['sync', 'microtask', 'a', 'b']);
    handoff.push(() => seen.push('c'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen.at(-1)).toBe('c');
  });
});

describe('the scheduler with answers handed off', () => {
  let scheduler: Scheduler | undefined;
  afterEach(async () => {
    await scheduler?.close();
  });

  it('starts the next queued request before the caller of the finished one hears its answer', async () => {
    scheduler = createScheduler({ concurrency: 1, provider: 'openai' });
    const events: string[] = [];
    const first = scheduler.schedule(1, async () => {
      events.push('first sent');
      return 'first answer';
    });
    const second = scheduler.schedule(1, async () => {
      events.push('second sent');
      return 'second answer';
    });
    void first.then((answer) => events.push(`caller got ${answer}`));
    await expect(second).resolves.toBe('second answer');
    await first;
    expect(events.indexOf('second sent')).toBeLessThan(events.indexOf('caller got first answer'));
  });

  it('tells the caller of a failed request before the slot sends again (a 429 must pause it first)', async () => {
    scheduler = createScheduler({ concurrency: 1, provider: 'openai' });
    const events: string[] = [];
    const failure = new Error('HTTP 429');
    const first = scheduler.schedule(1, () => Promise.reject(failure));
    const second = scheduler.schedule(1, async () => {
      events.push('second sent');
    });
    await first.catch((error: unknown) => events.push(`caller got ${(error as Error).message}`));
    await second;
    expect(events).toEqual(['caller got HTTP 429', 'second sent']);
  });
});
