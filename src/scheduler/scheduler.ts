import type Bottleneck from 'bottleneck';
import type { PauseReason, RunEvent } from '../run/events.js';
import { AdaptiveRate } from './adaptive-rate.js';
import { AnswerHandoff } from './answer-handoff.js';
import { buildLimiters, disconnectLimiters, type LimiterSet } from './build-limiters.js';
import {
  isExhausted,
  LEARNED_LIMIT_SHARE,
  limitsDiffer,
  limitsFromSnapshot,
  TOKEN_LIMITS,
  LIMITS,
  type Limit,
  windowFor,
  type LearnedLimits,
  type TokenLimit,
} from './learned-limits.js';
import {
  correctedLevel,
  learnedBucketCapacity,
  requestBucketSettings,
  requestLimiterSettings,
  tokenBucketCapacity,
  tokenBucketSettings,
  tokenCharge,
} from './limiter-settings.js';
import { LocalSlots } from './local-slots.js';
import { OVERLOADED_STATUS, PauseEvidence } from './pause-evidence.js';
import { PauseGate } from './pause-gate.js';
import { parseRateLimitHeaders, type RateLimitSnapshot } from './rate-limit-headers.js';
import { RateMeter } from './rate-meter.js';
import { validateSchedulerOptions } from './scheduler-options.js';
import {
  SchedulerStoppedError,
  type ActualTokens,
  type DispatchTicket,
  type RefusalNotice,
  type RequestCost,
  type Scheduler,
  type SchedulerOptions,
} from './scheduler-types.js';

export { SchedulerStoppedError, type Scheduler, type SchedulerOptions } from './scheduler-types.js';

/** Applying a rate costs a limiter round trip; successes nudge the factor by 1%, so batch small changes. */
const MIN_RELATIVE_CHANGE = 0.02;
/** Never pace slower than this, whatever the 429s say: the run must still make progress. */
const MIN_RPM = 1;

interface PendingJob {
  reject: (error: unknown) => void;
  /** Started or cancelled: either way, no longer the scheduler's to reject. */
  done: boolean;
}

/** One token bucket's state: the rate applied, its size, and whether it mirrors a learned limit. */
interface TokenBucketState {
  applied: number | undefined;
  capacity: number;
}


const noop = (): void => undefined;

/** Builds the scheduler the run engine uses for one provider key (SPEC §9). */
export function createScheduler(options: SchedulerOptions): Scheduler {
  validateSchedulerOptions(options);
  return new LimitedScheduler(options);
}

class LimitedScheduler implements Scheduler {
  private readonly now: () => number;
  private readonly emit: (event: RunEvent) => void;
  private readonly limiters: LimiterSet;
  private readonly aimd = new AdaptiveRate();
  private readonly evidence = new PauseEvidence();
  private readonly meter = new RateMeter();
  private readonly gate: PauseGate;
  private readonly pending = new Set<PendingJob>();
  private readonly handoff = new AnswerHandoff();
  private learned: LearnedLimits = {};
  private discoveredRpm: number | undefined;
  private appliedRpm: number | undefined;
  /** The request limit is a bucket mirroring the provider's (learned from headers), not even spacing. */
  private requestBucket = false;
  private readonly tokenBuckets: Record<TokenLimit, TokenBucketState> = {
    tpm: { applied: undefined, capacity: 0 },
    inputTpm: { applied: undefined, capacity: 0 },
    outputTpm: { applied: undefined, capacity: 0 },
  };
  /** Running totals of what was sent per limit, for correcting a bucket from a later `remaining`. */
  private readonly sentTotals: Record<Limit, number> = { rpm: 0, tpm: 0, inputTpm: 0, outputTpm: 0 };
  /** What is sent and not yet answered, per limit: the most a later answer's `remaining` may not yet count. */
  private readonly unansweredTotals: Record<Limit, number> = { rpm: 0, tpm: 0, inputTpm: 0, outputTpm: 0 };
  private anthropicLimits = false;
  /** Levels for buckets that appear with the snapshot being learned: its `remaining`, corrected. */
  private seeds: Partial<Record<Limit, number>> = {};
  private running = 0;
  /** Requests past the request limiter, still waiting for tokens or a pause, so not yet in `sentTotals`. */
  private admitted = 0;
  private stopped = false;
  /** What caused the current (or last) pause; read only while the gate is closed. */
  private pauseCause: PauseReason = 'rate_limit';
  /** In-process concurrency slots; undefined when clustered, where bottleneck bounds it across processes. */
  private readonly slots: LocalSlots | undefined;

  constructor(private readonly options: SchedulerOptions) {
    this.now = options.now ?? Date.now;
    this.emit = options.onEvent ?? noop;
    this.appliedRpm = options.rpm;
    this.limiters = buildLimiters({
      requests: requestLimiterSettings(options.concurrency, options.rpm),
      shared: options.limiterOptions,
      onError: (error) => this.emit({ type: 'warning', message: `${options.provider} rate limiter: ${String(error)}` }),
    });
    if (options.tpm !== undefined) this.applyTokenRate('tpm', options.tpm);
    this.slots = this.limiters.clustered ? undefined : new LocalSlots(options.concurrency);
    this.gate = new PauseGate(
      this.now,
      () => (this.appliedRpm === undefined || this.requestBucket ? 0 : 60_000 / this.appliedRpm),
      // Even spacing reopens by lifting the pause's empty reservoir; a bucket refills by itself.
      () => (this.requestBucket ? undefined : this.update(this.limiters.requests, { reservoir: null })),
    );
  }

  get inFlight(): number {
    return this.running;
  }

  get queued(): number {
    return this.pending.size;
  }

  get paused(): boolean {
    return this.gate.closed;
  }

  get pauseReason(): PauseReason | null {
    return this.gate.closed ? this.pauseCause : null;
  }

  get limits(): { rpm?: number; tpm?: number; inputTpm?: number; outputTpm?: number } {
    const limits: { rpm?: number; tpm?: number; inputTpm?: number; outputTpm?: number } = {};
    if (this.appliedRpm !== undefined) limits.rpm = this.appliedRpm;
    for (const kind of TOKEN_LIMITS) {
      const applied = this.tokenBuckets[kind].applied;
      if (applied !== undefined) limits[kind] = applied;
    }
    return limits;
  }

  schedule<T>(cost: number | RequestCost, task: (ticket: DispatchTicket) => Promise<T>): Promise<T> {
    if (this.stopped) return Promise.reject(new SchedulerStoppedError());
    const charge: RequestCost = typeof cost === 'number' ? { input: cost, output: 0 } : cost;
    return new Promise<T>((resolve, reject) => {
      const job: PendingJob = { reject, done: false };
      this.pending.add(job);
      // Errors of the task go to `reject` inside `dispatch`. What reaches this catch is bottleneck dropping
      // the job: on stop (already rejected), or when its datastore failed (Redis): that job must not hang.
      const dropped = (error: unknown): void => {
        if (job.done) return;
        job.done = true;
        this.pending.delete(job);
        reject(error);
      };
      const run = () => this.dispatch(job, charge, task, resolve, reject);
      const viaLimiter = () => this.limiters.requests.schedule(run);
      const slots = this.slots;
      if (slots === undefined) {
        viaLimiter().catch(dropped);
        return;
      }
      // In process, the slot bounds concurrency; the limiter is only needed to pace requests or hold a pause.
      slots.acquire(() => {
        const paced = this.appliedRpm !== undefined || this.gate.closed;
        (paced ? viaLimiter() : run()).catch(dropped).finally(() => slots.release());
      });
    });
  }

  observeHeaders(headers: Record<string, string>, ticket?: DispatchTicket): void {
    const snapshot = parseRateLimitHeaders(headers, this.now());
    if (snapshot === undefined || this.stopped) return;
    if (snapshot.source === 'anthropic') this.anthropicLimits = true;
    this.learn(snapshot, ticket);
    this.correctLevels(snapshot, ticket);
  }

  reportRefused(notice: RefusalNotice): void {
    if (this.stopped) return;
    const now = this.now();
    const snapshot = notice.headers === undefined ? undefined : parseRateLimitHeaders(notice.headers, now);
    const verdict = this.evidence.onRefusal(now, {
      status: notice.status,
      requestId: notice.requestId,
      exhausted: snapshot !== undefined && isExhausted(snapshot),
      retryAfterMs: notice.retryAfterMs,
    });
    if (verdict.action === 'item-only') return;
    const factorBefore = this.aimd.factor;
    const retryAfterMs = verdict.pauseMs ?? notice.retryAfterMs;
    const decision = this.aimd.onRateLimited(now, retryAfterMs, { decrease: verdict.cut });
    if (decision.newWindow && verdict.cut) {
      if (this.requestReference() === undefined) {
        // No limit known: the pace that drew the 429s is the only reference there is.
        this.discoveredRpm = Math.max(MIN_RPM, this.meter.perMinute(now) / factorBefore);
        this.aimd.setUncapped(true);
      }
      this.applyRates(true);
    }
    if (decision.pauseMs > 0) {
      this.limiters.markPaused(decision.pauseUntil);
      this.update(this.limiters.requests, { reservoir: 0 });
      this.gate.pauseUntil(decision.pauseUntil);
      // The UI says "overloaded" for a 529: calling the provider's overload a rate limit misleads.
      this.pauseCause = notice.status === OVERLOADED_STATUS ? 'overloaded' : 'rate_limit';
    }
    if (decision.newWindow) {
      const rate = verdict.cut && this.appliedRpm !== undefined ? `, then ${Math.round(this.appliedRpm)} requests/min` : '';
      const pause = `pausing all requests for ${formatSeconds(decision.pauseMs)}`;
      this.emit({
        type: 'rate-limited',
        pauseMs: decision.pauseMs,
        status: notice.status,
        // The evidence, then what happens now; the UI adds "rate limited (429)" except for an overload, which
        // the evidence already names (a 529 is not a rate limit).
        reason: `${verdict.reason}: ${pause}${rate}`,
      });
    }
  }

  reportSuccess(): void {
    const now = this.now();
    this.evidence.onAnswer(now);
    const decision = this.aimd.onSuccess(now);
    // Reaching the reference exactly is applied even when the last step was too small to bother.
    if (decision.changed) this.applyRates(decision.factor === 1);
  }

  reportUsage(estimated: RequestCost, actual: ActualTokens): void {
    if (this.stopped) return;
    // Anthropic does not charge cache reads to its input limit; OpenAI counts every input token.
    const input = this.anthropicLimits ? actual.input - actual.cachedInput : actual.input;
    const used: Record<TokenLimit, number> = { tpm: input + actual.output, inputTpm: input, outputTpm: actual.output };
    const charged = chargesOf(estimated);
    for (const kind of TOKEN_LIMITS) {
      const bucket = this.tokenBuckets[kind];
      if (bucket.applied === undefined) continue;
      const correction = Math.max(0, Math.ceil(charged[kind])) - Math.max(0, Math.ceil(used[kind]));
      if (correction === 0) continue;
      const limiter = this.limiters.tokens(kind, {});
      const capacity = bucket.capacity;
      // A refund may land on a bucket that refilled meanwhile: trim it back to the bucket's size.
      void limiter
        .incrementReservoir(correction)
        .then((level) => (level > capacity ? limiter.incrementReservoir(capacity - level) : level))
        .catch(noop);
    }
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const job of this.pending) {
      job.done = true;
      job.reject(new SchedulerStoppedError());
    }
    this.pending.clear();
    this.gate.open();
    const drop = { dropWaitingJobs: true };
    this.limiters.requests.stop(drop).catch(noop);
    for (const limiter of this.limiters.tokenLimiters.values()) limiter.stop(drop).catch(noop);
  }

  async close(): Promise<void> {
    this.stop();
    await disconnectLimiters(this.limiters);
  }

  private async dispatch<T>(
    job: PendingJob,
    cost: RequestCost,
    task: (ticket: DispatchTicket) => Promise<T>,
    resolve: (value: T) => void,
    reject: (error: unknown) => void,
  ): Promise<void> {
    if (job.done) return;
    const charges = chargesOf(cost);
    // Until it is counted in `sentTotals`, a request has left the request bucket without our knowing.
    this.admitted += 1;
    try {
      for (const kind of TOKEN_LIMITS) {
        if (this.tokenBuckets[kind].applied !== undefined && charges[kind] > 0) await this.chargeTokens(kind, charges[kind]);
      }
      if (this.gate.closed) await this.gate.pass();
    } finally {
      this.admitted -= 1;
    }
    if (job.done) return;
    job.done = true;
    this.pending.delete(job);
    this.running += 1;
    this.meter.record(this.now());
    const unansweredBefore = { ...this.unansweredTotals };
    const own: Record<Limit, number> = { rpm: 1, ...charges };
    for (const limit of LIMITS) {
      this.sentTotals[limit] += own[limit];
      this.unansweredTotals[limit] += own[limit];
    }
    const ticket: DispatchTicket = { sent: { ...this.sentTotals }, unansweredBefore };
    // The slot is freed (and its next request sent) as this returns; the caller hears of an answer later. A
    // failure is heard at once: a 429 must pause, and a fatal error stop, before the slot sends again.
    try {
      const value = await task(ticket);
      this.handoff.push(() => resolve(value));
    } catch (error) {
      reject(error);
    } finally {
      this.running -= 1;
      for (const limit of LIMITS) this.unansweredTotals[limit] -= own[limit];
    }
  }

  private async chargeTokens(kind: TokenLimit, tokens: number): Promise<void> {
    const limiter = this.limiters.tokens(kind, {});
    const { weight, debt } = tokenCharge(tokens, this.tokenBuckets[kind].capacity);
    if (weight > 0) await limiter.schedule({ weight }, () => Promise.resolve());
    if (debt > 0) void limiter.incrementReservoir(-debt).catch(noop);
  }

  /** Takes new limits from a snapshot; buckets that appear are seeded from its `remaining`. */
  private learn(snapshot: RateLimitSnapshot, ticket: DispatchTicket | undefined): void {
    const seen = limitsFromSnapshot(snapshot);
    const next: LearnedLimits = {};
    if (this.options.rpm === undefined && (seen.rpm ?? this.learned.rpm) !== undefined) next.rpm = seen.rpm ?? this.learned.rpm;
    for (const kind of TOKEN_LIMITS) {
      if (kind === 'tpm' && this.options.tpm !== undefined) continue;
      const limit = seen[kind] ?? this.learned[kind];
      if (limit !== undefined) next[kind] = limit;
    }
    if (!limitsDiffer(next, this.learned)) return;
    this.learned = next;
    if (next.rpm !== undefined) this.discoveredRpm = undefined;
    this.aimd.setUncapped(this.discoveredRpm !== undefined);
    this.seeds = {};
    for (const limit of LIMITS) {
      const remaining = windowFor(snapshot, limit)?.remaining;
      const limitValue = next[limit];
      if (remaining === undefined || limitValue === undefined) continue;
      // A new bucket's level is a raise from nothing: the same caution as `correctionTarget`.
      const unseen = (ticket?.unansweredBefore[limit] ?? 0) + this.othersUnseen(limit);
      this.seeds[limit] = correctedLevel(remaining, this.sentSince(limit, ticket) + unseen, learnedBucketCapacity(limitValue));
    }
    this.applyRates(true);
    this.emit({ type: 'rate-limits-learned', ...next, source: `${snapshot.source} rate-limit headers` });
  }

  /**
   * Sets a learned bucket to what the provider says is left, less what we sent since the request that
   * brought the figure: the provider's bucket refills by the clock, ours by timer ticks that a busy
   * machine delays, so the provider's figure is the truth. Shared through Redis only ever down: another
   * process's requests are not in our `sentSince`, and a stale, higher figure must not let a burst out.
   */
  private correctLevels(snapshot: RateLimitSnapshot, ticket: DispatchTicket | undefined): void {
    const limits: { limit: Limit; limiter: Bottleneck | undefined; capacity: number }[] = [];
    if (this.requestBucket) limits.push({ limit: 'rpm', limiter: this.limiters.requests, capacity: learnedBucketCapacity(this.learned.rpm ?? 0) });
    for (const kind of TOKEN_LIMITS) {
      if (this.learned[kind] === undefined || this.tokenBuckets[kind].applied === undefined) continue;
      limits.push({ limit: kind, limiter: this.limiters.tokenLimiters.get(kind), capacity: this.tokenBuckets[kind].capacity });
    }
    for (const { limit, limiter, capacity } of limits) {
      const remaining = windowFor(snapshot, limit)?.remaining;
      if (limiter === undefined || remaining === undefined) continue;
      void limiter
        .currentReservoir()
        .then((level) => {
          if (level === null) return undefined;
          // Computed once the level is read, so that what left meanwhile is in `sentSince`.
          const target = this.correctionTarget(limit, remaining, level, capacity, ticket);
          // Set, not incremented: two answers read in the same turn must not both subtract.
          return target === undefined ? undefined : limiter.updateSettings({ reservoir: target });
        })
        .catch(noop);
    }
  }

  /**
   * The level to set, or undefined to leave it. Lowering trusts the answer; raising (in process only)
   * also assumes that every request still unanswered when this one left reached the provider after it:
   * the provider may not have counted them yet, and a level raised past them is a 429 later.
   */
  private correctionTarget(limit: Limit, remaining: number, level: number, capacity: number, ticket: DispatchTicket | undefined): number | undefined {
    // Setting the level overwrites what requests between the limiter and `sentTotals` already took from it.
    const inTransit = limit === 'rpm' ? this.admitted + this.limiters.requests.counts().RUNNING : 0;
    const sentSince = this.sentSince(limit, ticket) + inTransit + this.othersUnseen(limit);
    const lowered = correctedLevel(remaining, sentSince, capacity);
    if (level > lowered) return lowered;
    if (this.limiters.clustered) return undefined;
    const raised = correctedLevel(remaining, sentSince + (ticket?.unansweredBefore[limit] ?? 0), capacity);
    return raised - level >= 1 ? raised : undefined;
  }

  /**
   * Sharing a bucket through Redis, other processes' requests after an answer are in no count of ours. The
   * shared concurrency bounds how many can be on their way at once: a level set from an answer leaves that
   * many out, or the end of the first burst meets the provider's 429s (measured: 3–8 in 720 requests).
   */
  private othersUnseen(limit: Limit): number {
    return this.limiters.clustered && limit === 'rpm' ? this.options.concurrency : 0;
  }

  /** What was sent after the request that `ticket` belongs to (without one: the requests in flight). */
  private sentSince(limit: Limit, ticket: DispatchTicket | undefined): number {
    if (ticket === undefined) return limit === 'rpm' ? this.running : 0;
    return this.sentTotals[limit] - (ticket.sent[limit] ?? 0);
  }

  private requestReference(): number | undefined {
    if (this.options.rpm !== undefined) return this.options.rpm;
    if (this.learned.rpm !== undefined) return this.learned.rpm * LEARNED_LIMIT_SHARE;
    return this.discoveredRpm;
  }

  private tokenReference(kind: TokenLimit): number | undefined {
    if (kind === 'tpm' && this.options.tpm !== undefined) return this.options.tpm;
    const learned = this.learned[kind];
    return learned === undefined ? undefined : learned * LEARNED_LIMIT_SHARE;
  }

  /** Recomputes every rate from references and factor; small drifts wait unless `force`. */
  private applyRates(force: boolean): void {
    const factor = this.aimd.factor;
    const rpmReference = this.requestReference();
    const rpm = rpmReference === undefined ? undefined : Math.max(MIN_RPM, rpmReference * factor);
    if (force || movedEnough(this.appliedRpm, rpm)) this.applyRequestRate(rpm);
    for (const kind of TOKEN_LIMITS) {
      const reference = this.tokenReference(kind);
      // A guessed request reference may be probed past 1; token references are real limits.
      const rate = reference === undefined ? undefined : reference * Math.min(factor, 1);
      if (force || movedEnough(this.tokenBuckets[kind].applied, rate)) this.applyTokenRate(kind, rate);
    }
  }

  private applyRequestRate(rpm: number | undefined): void {
    this.appliedRpm = rpm;
    const learned = this.options.rpm === undefined ? this.learned.rpm : undefined;
    if (rpm === undefined || learned === undefined) {
      this.update(this.limiters.requests, requestLimiterSettings(this.options.concurrency, rpm));
      return;
    }
    const capacity = learnedBucketCapacity(learned);
    const settings = requestBucketSettings(this.options.concurrency, rpm, capacity, this.limiters.clustered);
    // The bucket appears holding what the provider reported left; while a pause holds the reservoir at 0
    // it stays there and refills from nothing.
    const starting = !this.requestBucket;
    this.requestBucket = true;
    this.seedBucket(this.limiters.requests, settings, starting && !this.gate.closed ? (this.seeds.rpm ?? capacity) : undefined);
  }

  private applyTokenRate(kind: TokenLimit, rate: number | undefined): void {
    const bucket = this.tokenBuckets[kind];
    const wasOn = bucket.applied !== undefined;
    bucket.applied = rate;
    const learned = kind === 'tpm' && this.options.tpm !== undefined ? undefined : this.learned[kind];
    bucket.capacity = rate === undefined ? 0 : learned !== undefined ? learnedBucketCapacity(learned) : tokenBucketCapacity(rate);
    const settings = tokenBucketSettings(rate, this.limiters.clustered, bucket.capacity);
    // A bucket that appears holds what the provider reported left, or starts full like the provider's
    // (--tpm); one that changes rate keeps its level.
    const starting = !wasOn && rate !== undefined;
    const limiter = this.limiters.tokens(kind, settings);
    this.seedBucket(limiter, settings, starting ? (this.seeds[kind] ?? bucket.capacity) : undefined);
  }

  /**
   * Applies `settings`, and `level` when the bucket appears. Shared through Redis, another process may have
   * seeded the bucket and spent from it since its provider's answer: a seed then only ever lowers it.
   */
  private seedBucket(limiter: Bottleneck, settings: Bottleneck.ConstructorOptions, level: number | undefined): void {
    if (level === undefined || !this.limiters.clustered) {
      this.update(limiter, level === undefined ? settings : { ...settings, reservoir: level });
      return;
    }
    // One update: refill settings on a bucket without a level would first fill it from nothing (bottleneck's
    // Lua adds the intervals since its creation), and a lower-only seed would then keep that sliver.
    void limiter
      .currentReservoir()
      .then((current) => limiter.updateSettings(current === null || current > level ? { ...settings, reservoir: level } : settings))
      .catch(noop);
  }

  private update(limiter: Bottleneck, settings: Bottleneck.ConstructorOptions): void {
    // Typed as returning the limiter, but bottleneck returns a promise.
    void Promise.resolve(limiter.updateSettings(settings)).catch(noop);
  }
}

/** What a request is charged on each token limit. */
function chargesOf(cost: RequestCost): Record<TokenLimit, number> {
  return { tpm: cost.input + cost.output, inputTpm: cost.input, outputTpm: cost.output };
}

function movedEnough(before: number | undefined, after: number | undefined): boolean {
  if (before === undefined || after === undefined) return before !== after;
  return Math.abs(after - before) >= before * MIN_RELATIVE_CHANGE;
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
