import type Bottleneck from 'bottleneck';
import type { RunEvent } from '../run/events.js';
import { AdaptiveRate } from './adaptive-rate.js';
import { buildLimiters, disconnectLimiters, type LimiterPair } from './build-limiters.js';
import {
  isRunningLow,
  LEARNED_LIMIT_SHARE,
  limitsDiffer,
  limitsFromSnapshot,
  type LearnedLimits,
} from './learned-limits.js';
import { requestLimiterSettings, tokenBucketCapacity, tokenBucketSettings, tokenCharge } from './limiter-settings.js';
import { LocalSlots } from './local-slots.js';
import { PauseGate } from './pause-gate.js';
import { parseRateLimitHeaders } from './rate-limit-headers.js';
import { RateMeter } from './rate-meter.js';
import { validateSchedulerOptions } from './scheduler-options.js';
import { SchedulerStoppedError, type Scheduler, type SchedulerOptions } from './scheduler-types.js';

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

const noop = (): void => undefined;

/** Builds the scheduler the run engine uses for one provider key (SPEC §9). */
/** Anthropic's "overloaded": a pause for everyone, not a sign that this run is too fast. */
const OVERLOADED_STATUS = 529;

export function createScheduler(options: SchedulerOptions): Scheduler {
  validateSchedulerOptions(options);
  return new LimitedScheduler(options);
}

class LimitedScheduler implements Scheduler {
  private readonly now: () => number;
  private readonly emit: (event: RunEvent) => void;
  private readonly limiters: LimiterPair;
  private readonly aimd = new AdaptiveRate();
  private readonly meter = new RateMeter();
  private readonly gate: PauseGate;
  private readonly pending = new Set<PendingJob>();
  private learned: LearnedLimits = {};
  private discoveredRpm: number | undefined;
  private appliedRpm: number | undefined;
  private appliedTpm: number | undefined;
  private tokenCapacity = 0;
  private running = 0;
  private stopped = false;
  /** In-process concurrency slots; undefined when clustered, where bottleneck bounds it across processes. */
  private readonly slots: LocalSlots | undefined;

  constructor(private readonly options: SchedulerOptions) {
    this.now = options.now ?? Date.now;
    this.emit = options.onEvent ?? noop;
    this.appliedRpm = options.rpm;
    this.appliedTpm = options.tpm;
    if (options.tpm !== undefined) this.tokenCapacity = tokenBucketCapacity(options.tpm);
    const clustered = options.limiterOptions?.datastore === 'ioredis';
    this.limiters = buildLimiters({
      requests: requestLimiterSettings(options.concurrency, options.rpm),
      tokens: { ...tokenBucketSettings(options.tpm, clustered), reservoir: options.tpm === undefined ? null : this.tokenCapacity },
      shared: options.limiterOptions,
      onError: (error) => this.emit({ type: 'warning', message: `${options.provider} rate limiter: ${String(error)}` }),
    });
    this.slots = this.limiters.clustered ? undefined : new LocalSlots(options.concurrency);
    this.gate = new PauseGate(
      this.now,
      () => (this.appliedRpm === undefined ? 0 : 60_000 / this.appliedRpm),
      () => this.update(this.limiters.requests, { reservoir: null }),
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

  get limits(): { rpm?: number; tpm?: number } {
    return {
      ...(this.appliedRpm === undefined ? {} : { rpm: this.appliedRpm }),
      ...(this.appliedTpm === undefined ? {} : { tpm: this.appliedTpm }),
    };
  }

  schedule<T>(tokens: number, task: () => Promise<T>): Promise<T> {
    if (this.stopped) return Promise.reject(new SchedulerStoppedError());
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
      const viaLimiter = () => this.limiters.requests.schedule(() => this.dispatch(job, tokens, task, resolve, reject));
      const slots = this.slots;
      if (slots === undefined) {
        viaLimiter().catch(dropped);
        return;
      }
      // In process, the slot bounds concurrency; the limiter is only needed to space requests or hold a pause.
      slots.acquire(() => {
        const paced = this.appliedRpm !== undefined || this.gate.closed;
        (paced ? viaLimiter() : this.dispatch(job, tokens, task, resolve, reject)).catch(dropped).finally(() => slots.release());
      });
    });
  }

  observeHeaders(headers: Record<string, string>): void {
    const snapshot = parseRateLimitHeaders(headers, this.now());
    if (snapshot === undefined || this.stopped) return;
    const seen = limitsFromSnapshot(snapshot);
    const next: LearnedLimits = {};
    const rpm = this.options.rpm === undefined ? (seen.rpm ?? this.learned.rpm) : undefined;
    const tpm = this.options.tpm === undefined ? (seen.tpm ?? this.learned.tpm) : undefined;
    if (rpm !== undefined) next.rpm = rpm;
    if (tpm !== undefined) next.tpm = tpm;
    if (limitsDiffer(next, this.learned)) {
      this.learned = next;
      if (next.rpm !== undefined) this.discoveredRpm = undefined;
      this.aimd.setUncapped(this.discoveredRpm !== undefined);
      this.applyRates(true);
      this.emit({ type: 'rate-limits-learned', ...next, source: `${snapshot.source} rate-limit headers` });
    }
    if (isRunningLow(snapshot) && this.aimd.onRunningLow(this.now()).changed) this.applyRates(false);
  }

  reportRateLimited(retryAfterMs: number | undefined, status?: number): void {
    if (this.stopped) return;
    const now = this.now();
    const factorBefore = this.aimd.factor;
    const overloaded = status === OVERLOADED_STATUS;
    const decision = this.aimd.onRateLimited(now, retryAfterMs, { decrease: !overloaded });
    if (decision.newWindow && !overloaded) {
      if (this.requestReference() === undefined) {
        // No limit known: the pace that drew the 429 is the only reference there is.
        this.discoveredRpm = Math.max(MIN_RPM, this.meter.perMinute(now) / factorBefore);
        this.aimd.setUncapped(true);
      }
      this.applyRates(true);
    }
    if (decision.pauseMs > 0) {
      this.limiters.markPaused(decision.pauseUntil);
      this.update(this.limiters.requests, { reservoir: 0 });
      this.gate.pauseUntil(decision.pauseUntil);
    }
    if (decision.newWindow) {
      const rate = this.appliedRpm === undefined ? '' : `, then ${Math.round(this.appliedRpm)} requests/min`;
      const pause = `pausing all requests for ${formatSeconds(decision.pauseMs)}`;
      this.emit({
        type: 'rate-limited',
        pauseMs: decision.pauseMs,
        ...(status === undefined ? {} : { status }),
        // The UI names the cause from `status` (rate limit or overload); the reason says what happens now.
        reason: `${pause}${rate}`,
      });
    }
  }

  reportSuccess(): void {
    const decision = this.aimd.onSuccess(this.now());
    // Reaching the reference exactly is applied even when the last step was too small to bother.
    if (decision.changed) this.applyRates(decision.factor === 1);
  }

  reportTokens(estimated: number, actual: number): void {
    if (this.appliedTpm === undefined || this.stopped) return;
    const correction = Math.max(0, Math.ceil(estimated)) - Math.max(0, Math.ceil(actual));
    if (correction === 0) return;
    const capacity = this.tokenCapacity;
    const tokens = this.limiters.tokens;
    // A refund may land on a bucket that refilled meanwhile: trim it back to the bucket's size.
    void tokens
      .incrementReservoir(correction)
      .then((level) => (level > capacity ? tokens.incrementReservoir(capacity - level) : level))
      .catch(noop);
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
    this.limiters.tokens.stop(drop).catch(noop);
  }

  async close(): Promise<void> {
    this.stop();
    await disconnectLimiters(this.limiters);
  }

  private async dispatch<T>(
    job: PendingJob,
    tokens: number,
    task: () => Promise<T>,
    resolve: (value: T) => void,
    reject: (error: unknown) => void,
  ): Promise<void> {
    if (job.done) return;
    if (this.appliedTpm !== undefined && tokens > 0) await this.chargeTokens(tokens);
    if (this.gate.closed) await this.gate.pass();
    if (job.done) return;
    job.done = true;
    this.pending.delete(job);
    this.running += 1;
    this.meter.record(this.now());
    try {
      resolve(await task());
    } catch (error) {
      reject(error);
    } finally {
      this.running -= 1;
    }
  }

  private async chargeTokens(tokens: number): Promise<void> {
    const { weight, debt } = tokenCharge(tokens, this.tokenCapacity);
    if (weight > 0) await this.limiters.tokens.schedule({ weight }, () => Promise.resolve());
    if (debt > 0) void this.limiters.tokens.incrementReservoir(-debt).catch(noop);
  }

  private requestReference(): number | undefined {
    if (this.options.rpm !== undefined) return this.options.rpm;
    if (this.learned.rpm !== undefined) return this.learned.rpm * LEARNED_LIMIT_SHARE;
    return this.discoveredRpm;
  }

  private tokenReference(): number | undefined {
    if (this.options.tpm !== undefined) return this.options.tpm;
    return this.learned.tpm === undefined ? undefined : this.learned.tpm * LEARNED_LIMIT_SHARE;
  }

  /** Recomputes both rates from references and factor; small drifts wait unless `force`. */
  private applyRates(force: boolean): void {
    const factor = this.aimd.factor;
    const rpmReference = this.requestReference();
    const tpmReference = this.tokenReference();
    const rpm = rpmReference === undefined ? undefined : Math.max(MIN_RPM, rpmReference * factor);
    // A guessed request reference may be probed past 1; token references are real limits.
    const tpm = tpmReference === undefined ? undefined : tpmReference * Math.min(factor, 1);
    if (force || movedEnough(this.appliedRpm, rpm)) {
      this.appliedRpm = rpm;
      this.update(this.limiters.requests, requestLimiterSettings(this.options.concurrency, rpm));
    }
    if (force || movedEnough(this.appliedTpm, tpm)) this.applyTokenRate(tpm);
  }

  private applyTokenRate(tpm: number | undefined): void {
    const wasOn = this.appliedTpm !== undefined;
    this.appliedTpm = tpm;
    this.tokenCapacity = tpm === undefined ? 0 : tokenBucketCapacity(tpm);
    const settings = tokenBucketSettings(tpm, this.limiters.clustered);
    // A bucket that appears starts full, like the provider's; one that changes rate keeps its level.
    const starting = !wasOn && tpm !== undefined;
    this.update(this.limiters.tokens, starting ? { ...settings, reservoir: this.tokenCapacity } : settings);
  }

  private update(limiter: Bottleneck, settings: Bottleneck.ConstructorOptions): void {
    // Typed as returning the limiter, but bottleneck returns a promise.
    void Promise.resolve(limiter.updateSettings(settings)).catch(noop);
  }
}

function movedEnough(before: number | undefined, after: number | undefined): boolean {
  if (before === undefined || after === undefined) return before !== after;
  return Math.abs(after - before) >= before * MIN_RELATIVE_CHANGE;
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
