import { describe, expect, it } from 'vitest';
import { createReporter } from '../../src/ui/create-reporter.js';
import { createFakeClock, createFakePipe, createFakeTty, makeFullRun, makeTotals, runStarted } from './fixtures.js';

async function setUp(stream = createFakePipe()) {
  const clock = createFakeClock();
  const reporter = await createReporter({ stream, env: {}, mode: 'json', progressIntervalMs: 10_000, now: clock.now });
  return { stream, clock, reporter };
}

function parseLines(text: string): Array<Record<string, unknown>> {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('json reporter', () => {
  it('writes every event as one JSON object per line with type and ts', async () => {
    const { stream, reporter } = await setUp();
    const events = makeFullRun();
    for (const event of events) reporter.handle(event);
    const lines = parseLines(stream.text());
    // Progress events inside one interval are dropped; every other event is kept.
    expect(lines.map((line) => line.type)).toEqual(events.filter((e) => e.type !== 'progress').map((e) => e.type));
    for (const line of lines) {
      expect(typeof line.type).toBe('string');
      expect(line.ts).toBe('2025-01-31T12:00:00.000Z');
    }
    expect(stream.chunks.every((chunk) => chunk.endsWith('\n') && chunk.indexOf('\n') === chunk.length - 1)).toBe(true);
  });

  it('keeps the event fields as they are', async () => {
    const { stream, reporter } = await setUp();
    reporter.handle({ type: 'rate-limited', pauseMs: 12_000, status: 429, reason: 'pausing all requests for 12 s' });
    expect(stream.text()).toBe(
      '{"ts":"2025-01-31T12:00:00.000Z","type":"rate-limited","pauseMs":12000,"status":429,"reason":"pausing all requests for 12 s"}\n',
    );
  });

  it('throttles progress events to the interval', async () => {
    const { stream, clock, reporter } = await setUp();
    reporter.handle(runStarted);
    for (let i = 0; i < 120; i += 1) {
      clock.advance(250);
      reporter.handle({ type: 'progress', totals: makeTotals() });
    }
    const progress = parseLines(stream.text()).filter((line) => line.type === 'progress');
    expect(progress).toHaveLength(3);
    expect(progress[0].ts).toBe('2025-01-31T12:00:10.000Z');
    expect((progress[0].totals as { succeeded: number }).succeeded).toBe(1232);
  });

  it('stays JSON on a TTY too', async () => {
    const { stream, reporter } = await setUp(createFakeTty());
    for (const event of makeFullRun()) reporter.handle(event);
    reporter.close();
    expect(stream.text()).not.toContain('\u001B');
    expect(() => parseLines(stream.text())).not.toThrow();
  });
});
