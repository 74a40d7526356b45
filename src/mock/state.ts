/**
 * Everything a mock server remembers between requests, and the two ways to change it: `configure`
 * (new options, counters kept) and `reset` (same options, a clean slate for the next test).
 */
import { FaultPlanner } from './faults.js';
import { FlexCapacity } from './flex-capacity.js';
import { createRng, randomInt, type Random } from './hash.js';
import { IdSource } from './ids.js';
import { resolveBehaviour, type MockBehaviour, type MockConfigPatch } from './options.js';
import { PromptCache } from './prompt-cache.js';
import { RateLimiter } from './rate-limits.js';
import { RecentRequests } from './recent-requests.js';
import { StatsCollector } from './stats.js';

const LIMIT_KEYS = ['rpm', 'tpm', 'inputTpm', 'outputTpm'] as const;
/** Latency draws get their own stream so changing latency does not change which requests fault. */
const LATENCY_SEED_OFFSET = 0x9e3779b9;

export class MockState {
  behaviour: MockBehaviour;
  stats = new StatsCollector();
  limiter: RateLimiter;
  readonly faults: FaultPlanner;
  readonly flex: FlexCapacity;
  readonly promptCache = new PromptCache();
  readonly ids = new IdSource();
  /** The last chat request bodies, for tests that check the wire format. */
  readonly recentRequests = new RecentRequests();
  private latencyRandom: Random;

  constructor(patch: MockConfigPatch) {
    this.behaviour = resolveBehaviour(patch);
    this.limiter = new RateLimiter(this.behaviour, Date.now());
    this.faults = new FaultPlanner(this.behaviour.seed);
    this.flex = new FlexCapacity(this.behaviour.seed);
    this.latencyRandom = createRng(this.behaviour.seed ^ LATENCY_SEED_OFFSET);
  }

  /** Apply new options (validated first; on error nothing changes). Returns the effective options. */
  configure(patch: MockConfigPatch): MockBehaviour {
    const previous = this.behaviour;
    this.behaviour = resolveBehaviour(patch, previous);
    if (LIMIT_KEYS.some((k) => previous[k] !== this.behaviour[k])) {
      this.limiter = new RateLimiter(this.behaviour, Date.now());
    }
    if (previous.seed !== this.behaviour.seed) this.reseed();
    return this.behaviour;
  }

  /**
   * Zero the stats and forget flaky attempt counts, cached prompt prefixes, recent requests and rate-limit usage, so the
   * next test starts clean. Requests still in flight keep counting toward `inFlight`.
   */
  reset(): void {
    const inFlight = this.stats.inFlight;
    this.stats = new StatsCollector();
    this.stats.inFlight = inFlight;
    this.stats.maxInFlight = inFlight;
    this.faults.clear();
    this.flex.clear();
    this.promptCache.clear();
    this.recentRequests.clear();
    this.limiter = new RateLimiter(this.behaviour, Date.now());
    this.reseed();
  }

  /** The delay for the next answer, in ms. */
  nextLatency(): number {
    const latency = this.behaviour.latencyMs;
    if (typeof latency === 'number') return latency;
    return randomInt(Math.round(latency.min), Math.round(latency.max), this.latencyRandom);
  }

  private reseed(): void {
    this.faults.reseed(this.behaviour.seed);
    this.flex.reseed(this.behaviour.seed);
    this.latencyRandom = createRng(this.behaviour.seed ^ LATENCY_SEED_OFFSET);
  }
}
