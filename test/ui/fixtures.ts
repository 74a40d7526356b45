/** Fake streams, a fake clock and event builders shared by the UI tests. */
import { stripVTControlCharacters } from 'node:util';
import type { RunEvent, RunSummary, RunTotals } from '../../src/run/events.js';

export interface FakeStream {
  isTTY: boolean;
  columns?: number;
  chunks: string[];
  write(chunk: string): boolean;
  on(event: 'resize', listener: () => void): FakeStream;
  removeListener(event: 'resize', listener: () => void): FakeStream;
  /** Everything written so far. */
  text(): string;
  /** Everything written, with escape codes removed. */
  plain(): string;
  resize(columns: number): void;
  listenerCount(): number;
}

function createFakeStream(isTTY: boolean, columns: number | undefined): FakeStream {
  const listeners = new Set<() => void>();
  const stream: FakeStream = {
    isTTY,
    columns,
    chunks: [],
    write(chunk) {
      stream.chunks.push(chunk);
      return true;
    },
    on(_event, listener) {
      listeners.add(listener);
      return stream;
    },
    removeListener(_event, listener) {
      listeners.delete(listener);
      return stream;
    },
    text: () => stream.chunks.join(''),
    plain: () => stripVTControlCharacters(stream.chunks.join('')),
    resize(next) {
      stream.columns = next;
      for (const listener of listeners) listener();
    },
    listenerCount: () => listeners.size,
  };
  return stream;
}

/** A terminal: isTTY, 100 columns unless told. */
export function createFakeTty(columns = 100): FakeStream {
  return createFakeStream(true, columns);
}

/** A pipe or file: no TTY, no width. */
export function createFakePipe(): FakeStream {
  return createFakeStream(false, undefined);
}

/** A clock the test moves by hand. */
export function createFakeClock(start = Date.UTC(2025, 0, 31, 12, 0, 0)) {
  let time = start;
  return {
    now: () => time,
    advance(ms: number) {
      time += ms;
    },
  };
}

export function makeTotals(overrides: Partial<RunTotals> = {}): RunTotals {
  return {
    total: 5000,
    succeeded: 1232,
    failed: 2,
    failedByClass: { bad_request: 2 },
    alreadyDone: 0,
    inFlight: 16,
    slowRequests: 0,
    oldestInFlightMs: null,
    cacheHits: 10,
    dedupHits: 0,
    retries: 3,
    retriesByClass: { rate_limit: 3 },
    requestsSent: 1240,
    inputTokens: 123_400,
    outputTokens: 45_600,
    cachedInputTokens: 1_000,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    spentUsd: 0.12,
    projectedUsd: 0.49,
    otherModeUsd: 0.06,
    budgetUsd: 5,
    reservedUsd: 0.01,
    elapsedMs: 80_000,
    rate: 15.4,
    etaMs: 245_000,
    paused: false,
    pauseReason: null,
    ...overrides,
  };
}

export function makeSummary(overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    ...makeTotals({
      succeeded: 4998,
      failed: 2,
      inFlight: 0,
      reservedUsd: 0,
      spentUsd: 0.49,
      projectedUsd: 0.49,
      otherModeUsd: 0.25,
      elapsedMs: 324_000,
      etaMs: 0,
    }),
    stop: 'completed',
    mode: 'realtime',
    model: 'gpt-4o-mini',
    provider: 'openai',
    outputPath: 'out.jsonl',
    failedPath: 'out.failed.jsonl',
    ...overrides,
  };
}

export const runStarted: Extract<RunEvent, { type: 'run-started' }> = {
  type: 'run-started',
  total: 5000,
  alreadyDone: 0,
  model: 'gpt-4o-mini',
  provider: 'openai',
  mode: 'realtime',
  concurrency: 16,
  budgetUsd: 5,
  outputPath: 'out.jsonl',
};

/** A whole run as the engine reports it: scan, start, progress with trouble along the way, finish. */
export function makeFullRun(): RunEvent[] {
  return [
    { type: 'phase-started', phase: 'scanning', text: 'scanning input…' },
    { type: 'phase-finished', phase: 'scanning', text: 'scanned 5,000 items in 1.2s' },
    runStarted,
    { type: 'progress', totals: makeTotals({ succeeded: 100, failed: 0, elapsedMs: 5_000 }) },
    { type: 'item-succeeded', id: 'a1', cached: false, costUsd: 0.0001, latencyMs: 300, attempts: 1 },
    { type: 'retry-scheduled', id: 'a2', attempt: 1, delayMs: 500, errorClass: 'rate_limit', status: 429 },
    { type: 'rate-limited', pauseMs: 12_000, status: 429, reason: 'pausing all requests for 12 s' },
    { type: 'rate-limits-learned', rpm: 500, tpm: 200_000, source: 'x-ratelimit headers' },
    { type: 'item-failed', id: 'a3', errorClass: 'bad_request', status: 400, message: 'bad\r\nthing', attempts: 1 },
    { type: 'budget-warning', fraction: 0.5, spentUsd: 2.5, budgetUsd: 5 },
    { type: 'warning', message: 'model answered in prose' },
    { type: 'progress', totals: makeTotals() },
    { type: 'interrupted', signal: 'SIGINT', abandoning: false },
    { type: 'progress', totals: makeTotals({ succeeded: 4998 }) },
    { type: 'run-finished', summary: makeSummary() },
  ];
}
