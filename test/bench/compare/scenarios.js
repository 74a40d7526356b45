/**
 * The comparison's server set-ups (issue 13's measurements): every tool runs each one against a fresh
 * mock server with the same options, so the same request order draws the same latencies and faults.
 */
import { FAULT_MIX_SERVER } from '../rows.js';

/** The concurrency every tool is given where it has a setting for it (issue 13's `-c 100`). */
export const CONCURRENCY = 100;

export const SCENARIOS = [
  {
    id: 'clean',
    title: 'clean server, 0 ms latency',
    items: { full: 20_000, quick: 2000 },
    server: { latencyMs: 0 },
    idealMs: null,
  },
  {
    id: 'latency',
    title: `latency-bound: 200 ms, concurrency ${CONCURRENCY}`,
    items: { full: 5000, quick: 1000 },
    server: { latencyMs: 200 },
    // Every slot busy from spawn to exit: items / concurrency rounds of 200 ms.
    idealMs: (items) => (items / CONCURRENCY) * 200,
  },
  {
    id: 'faults',
    title: 'fault mix of row g: 5% 429 (Retry-After 1 s), 5% 500, 3% 503, 2% resets, 2% garbage, 20 ms',
    items: { full: 3000, quick: 500 },
    server: FAULT_MIX_SERVER,
    idealMs: null,
  },
];
