import type { ResponseCache } from '../cache/response-cache.js';
import type { Reservation } from '../cost/budget-ledger.js';
import type { BudgetPort } from '../cost/budget-port.js';
import type { Item } from '../input/types.js';
import { toResultRecord } from '../journal/result-record.js';
import type { FailureInfo, FailureRecord, ResultRecord, RunMode } from '../journal/records.js';
import type { ChatRequest, Completion, Provider } from '../providers/types.js';
import { FLEX_UNAVAILABLE_CODE } from '../retry/classify-failure.js';
import { retryLoop, STOP } from '../retry/retry-loop.js';
import type { FailureOutcome } from '../retry/types.js';
import type { DispatchTicket, Scheduler } from '../scheduler/scheduler-types.js';
import type { ChatMessage } from '../template/types.js';
import type { EventSink } from './events.js';
import { BudgetPacer, describeAdvice } from './budget-pacer.js';
import { CircuitBreaker, DEFAULT_BREAKER_LIMITS, type BreakerLimits } from './circuit-breaker.js';
import { withOutputCap } from './output-cap.js';
import type { RunControl } from './run-control.js';
import type { RunStats } from './run-stats.js';

/** The engine's view of the collaborators one item needs. Each is built once per run by `run-job.ts`. */
export interface ItemPorts {
  provider: Provider;
  schedule: Scheduler['schedule'];
  scheduler: Pick<Scheduler, 'observeHeaders' | 'reportRefused' | 'reportSuccess' | 'reportUsage'>;
  cache: Pick<ResponseCache, 'get' | 'put'> | null;
  cacheKey(request: ChatRequest): string;
  /** The record's short request hash; given the request's `cacheKey` so a run with the cache on reuses it. */
  requestHash(request: ChatRequest, cacheKey: string): string;
  budget: Pick<BudgetPort, 'tryReserve' | 'settle' | 'release' | 'reservedUsd' | 'spentUsd' | 'budgetUsd'> | null;
  /** USD for a usage; null when the price is unknown. */
  costOf(completion: Completion): number | null;
  /** Worst-case USD of a request before it is sent (budget reservation). */
  worstCaseCost(inputTokens: number, maxOutputTokens: number): number;
  /** Input tokens of a request before it is sent (rate limits and budget). */
  estimateInputTokens(request: ChatRequest): number;
  classify(error: unknown): FailureOutcome;
  /** Delay before retry number `retry` (1-based). */
  backoff(retry: number, retryAfterMs: number | undefined): number;
  /** Parse and validate the answer when structured output is asked for; throws InvalidOutputError. */
  parseAnswer(completion: Completion): { parsed?: unknown };
  render(item: Item): Promise<ChatMessage[]>;
  writeResult(record: ResultRecord): void;
  writeFailure(record: FailureRecord): void;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  now(): number;
}

export interface ItemSettings {
  request: Omit<ChatRequest, 'messages'>;
  mode: RunMode;
  maxRetries: number;
  maxInvalidOutputRetries: number;
  /** Output tokens reserved per request when --max-tokens is unset. */
  defaultMaxOutputTokens: number;
  /** When to stop a run whose items all fail the same way. @default DEFAULT_BREAKER_LIMITS */
  breaker?: BreakerLimits;
  /** max_tokens sent when the request sets none (`--budget`'s hard bound); not part of the request's identity. */
  outputCap?: number;
  /** `--flex-fallback`: after this many flex "resource unavailable" answers, send the request on the default tier. */
  flexFallback?: number;
}

/** How one distinct request ended. */
export type RequestAnswer =
  | { kind: 'ok'; completion: Completion; parsed?: unknown; attempts: number; latencyMs: number; costUsd: number | null }
  | { kind: 'failed'; info: FailureInfo; attempts: number }
  | { kind: 'stopped' };

/** What one attempt holds once it got its slot: the budget it reserved and the scheduler's ticket. */
interface Held {
  reservation: Reservation | null;
  ticket?: DispatchTicket;
}

/** Raised inside an attempt when the run stops before the request could be sent. */
class NotSent extends Error {}

/**
 * Takes one item from rendered prompt to a journal record: cache, in-run dedup, budget reservation,
 * the rate-limited send, and the retry loop. Retries re-enter the scheduler as new jobs, so an item
 * waiting out a backoff never holds a concurrency slot.
 */
export class ItemProcessor {
  readonly #inFlightByKey = new Map<string, Promise<RequestAnswer>>();
  readonly #pacer: BudgetPacer | null;
  readonly #breaker: CircuitBreaker;

  constructor(
    private readonly ports: ItemPorts,
    private readonly settings: ItemSettings,
    private readonly control: RunControl,
    private readonly stats: RunStats,
    private readonly emit: EventSink,
  ) {
    this.#breaker = new CircuitBreaker(settings.breaker ?? DEFAULT_BREAKER_LIMITS);
    this.#pacer = ports.budget ? new BudgetPacer(ports.budget, (ms) => ports.sleep(ms, control.abandonSignal).catch(() => undefined)) : null;
  }

  /** Process one item; resolves when its record is written, or when the run stopped before it could be. */
  async process(item: Item): Promise<void> {
    let messages: ChatMessage[];
    try {
      messages = await this.ports.render(item);
    } catch (error) {
      this.#deadLetter(item.id, { class: 'template', message: (error as Error).message }, 0);
      return;
    }
    const request: ChatRequest = { ...this.settings.request, messages };
    const key = this.ports.cacheKey(request);
    const asked = { id: item.id, requestHash: this.ports.requestHash(request, key) };

    const cached = this.ports.cache?.get(key);
    if (cached) {
      this.#succeed(asked, { kind: 'ok', completion: cached.completion, ...this.#tryParse(cached.completion), attempts: 0, latencyMs: 0, costUsd: 0 }, 'cache');
      return;
    }

    const leader = this.#inFlightByKey.get(key);
    if (leader) {
      const answer = await leader;
      if (answer.kind === 'ok') this.#succeed(asked, { ...answer, attempts: 0, latencyMs: 0, costUsd: 0 }, 'dedup');
      else if (answer.kind === 'failed') this.#deadLetter(item.id, answer.info, 0, asked.requestHash);
      return;
    }

    const pending = this.ask(item.id, request);
    this.#inFlightByKey.set(key, pending);
    try {
      const answer = await pending;
      if (answer.kind === 'ok') {
        this.ports.cache?.put(key, { completion: answer.completion, storedAt: this.ports.now() });
        this.#succeed(asked, answer, 'api');
        this.#breaker.success();
      } else if (answer.kind === 'failed') {
        this.#deadLetter(item.id, answer.info, answer.attempts, asked.requestHash);
        const trip = this.#breaker.failure(answer.info);
        if (trip !== undefined && !this.control.stopping) {
          this.emit({ type: 'fatal-error', errorClass: answer.info.class, status: answer.info.status, message: trip });
          this.control.stop('fatal', trip);
        }
      }
    } finally {
      this.#inFlightByKey.delete(key);
    }
  }

  #tryParse(completion: Completion): { parsed?: unknown } {
    try {
      return this.ports.parseAnswer(completion);
    } catch {
      return {};
    }
  }

  /**
   * The attempt loop for one distinct request: budget, scheduler, retries. `label` names it in events;
   * `parse` judges the answer (a packed request brings its own, since it answers several items at once).
   */
  async ask(
    label: string,
    request: ChatRequest,
    parse: (completion: Completion) => { parsed?: unknown } = (completion) => this.ports.parseAnswer(completion),
  ): Promise<RequestAnswer> {
    const inputTokens = this.ports.estimateInputTokens(request);
    const maxOutput = request.params.maxTokens ?? this.settings.defaultMaxOutputTokens;
    const cost = { input: inputTokens, output: maxOutput };
    // Per attempt: the reservation #send takes once a slot is granted (so only requests about to leave hold
    // budget), and the answer once it is paid for (an answer that then fails validation is still paid).
    let held: Held = { reservation: null };
    let paid: { completion: Completion; costUsd: number | null } | undefined;
    let unavailable = 0;

    const result = await retryLoop({
      limits: { maxRetries: this.settings.maxRetries, maxInvalidOutputRetries: this.settings.maxInvalidOutputRetries },
      stopping: () => this.control.stopping,
      attempt: async () => {
        held = { reservation: null };
        paid = undefined;
        const sent = held;
        const { completion, latencyMs } = await this.ports.schedule(cost, (ticket) =>
          this.#send(withOutputCap(request, this.settings.outputCap), inputTokens, maxOutput, sent, ticket),
        );
        paid = { completion, costUsd: this.#settle(sent.reservation, completion) };
        this.#observe(completion, cost);
        const { parsed } = parse(completion);
        return { completion, parsed, latencyMs, costUsd: paid.costUsd };
      },
      judge: (error) => {
        const outcome = this.#judge(error, held, paid, label);
        if (outcome !== STOP && outcome.info.code === FLEX_UNAVAILABLE_CODE && ++unavailable === this.settings.flexFallback) {
          request = onDefaultTier(request);
        }
        return outcome;
      },
      delayMs: (attempt, outcome) => this.ports.backoff(attempt, outcome.retryAfterMs),
      onRetry: (attempt, delayMs, outcome) => {
        this.stats.recordRetry(outcome.info.class);
        this.emit({ type: 'retry-scheduled', id: label, attempt, delayMs, errorClass: outcome.info.class, status: outcome.info.status });
      },
      // An abandoned wait ends early; the loop then sees the run stopping.
      wait: (ms) => this.ports.sleep(ms, this.control.abandonSignal).catch(() => undefined),
    });

    if (result.kind === 'ok') return { kind: 'ok', ...result.value, attempts: result.attempts };
    if (result.kind === 'stopped') return { kind: 'stopped' };
    const { info, disposition } = result.outcome;
    if (disposition === 'fatal') {
      this.emit({ type: 'fatal-error', errorClass: info.class, status: info.status, message: info.message });
      this.control.stop('fatal', info.message);
      return { kind: 'stopped' };
    }
    return { kind: 'failed', info, attempts: result.attempts };
  }

  /** What a failed attempt means, after accounting for what it cost and what it says about rate limits. */
  #judge(error: unknown, held: Held, paid: { completion: Completion; costUsd: number | null } | undefined, label: string): FailureOutcome | typeof STOP {
    const { reservation } = held;
    if (isNotSent(error) || this.control.abandonSignal.aborted || isAbort(error)) {
      if (reservation && !paid) this.#pacer?.release(reservation);
      return STOP;
    }
    const outcome = this.ports.classify(error);
    if (paid) this.stats.addUsage(paid.completion.usage, paid.costUsd);
    else this.#settleFailed(reservation, error);
    this.#reactToRateLimit(error, outcome, label, held.ticket);
    return outcome;
  }

  /**
   * Runs inside a scheduler slot: the only place a request is sent. The budget is reserved here, not when
   * the item is admitted, so items waiting in the queue hold none of it and a run can spend up to its budget.
   */
  async #send(
    request: ChatRequest,
    inputTokens: number,
    maxOutput: number,
    held: Held,
    ticket: DispatchTicket,
  ): Promise<{ completion: Completion; latencyMs: number }> {
    held.ticket = ticket;
    if (this.control.stopping) throw new NotSent();
    const reserved = await this.#reserve(inputTokens, maxOutput);
    if (reserved === false) throw new NotSent();
    held.reservation = reserved.reservation;
    // The budget's last requests may go out with a smaller max_tokens that fits what is left.
    if (reserved.maxOutput < maxOutput) request = { ...request, params: { ...request.params, maxTokens: reserved.maxOutput } };
    // A shared (Redis) reservation takes a round trip; the run may have stopped meanwhile.
    if (this.control.stopping) throw new NotSent();
    this.stats.requestsSent += 1;
    this.stats.inFlight += 1;
    const startedAt = this.ports.now();
    const handle = this.stats.requests.start(startedAt);
    try {
      const response = await this.ports.provider.complete(request, this.control.abandonSignal);
      this.ports.scheduler.observeHeaders(response.headers, ticket);
      // Now, not when the answer reaches this item (the scheduler hands answers over after the I/O phase):
      // a 429 is judged against the answers around it, and those that came with it must already count.
      this.ports.scheduler.reportSuccess();
      return { completion: response.completion, latencyMs: this.ports.now() - startedAt };
    } finally {
      this.stats.inFlight -= 1;
      this.stats.requests.end(handle, this.ports.now());
    }
  }

  /**
   * A reservation, null when there is no budget, or false when the budget is spent (the run stops).
   * Async because a budget shared through Redis reserves with a round trip; the local ledger answers at once.
   */
  async #reserve(inputTokens: number, maxOutput: number): Promise<{ reservation: Reservation | null; maxOutput: number } | false> {
    const pacer = this.#pacer;
    if (!pacer) return { reservation: null, maxOutput };
    const worstCaseUsd = this.ports.worstCaseCost(inputTokens, maxOutput);
    const outcome = await pacer.reserve((m) => this.ports.worstCaseCost(inputTokens, m), maxOutput, () => this.control.stopping);
    if (outcome === 'stopped') return false;
    if (outcome === 'reached') {
      this.control.stop('budget');
      return false;
    }
    const advice = pacer.advice(worstCaseUsd, maxOutput);
    if (advice) {
      this.emit({ type: 'warning', message: describeAdvice(worstCaseUsd, maxOutput, advice) });
    }
    return { reservation: outcome.reservation, maxOutput: outcome.maxOutputTokens };
  }

  #settle(reservation: Reservation | null, completion: Completion): number | null {
    const costUsd = this.ports.costOf(completion);
    if (reservation) this.#pacer?.settle(reservation, costUsd ?? reservation.usd, completion.usage.outputTokens);
    return costUsd;
  }

  /** A failed attempt costs nothing, unless the provider answered (an answer that failed validation is paid). */
  #settleFailed(reservation: Reservation | null, error: unknown): void {
    const paid = paidCompletion(error);
    if (paid) {
      const costUsd = this.#settle(reservation, paid);
      this.stats.addUsage(paid.usage, costUsd);
      return;
    }
    if (reservation) this.#pacer?.release(reservation);
  }

  #observe(completion: Completion, estimated: { input: number; output: number }): void {
    const { usage } = completion;
    this.ports.scheduler.reportUsage(estimated, { input: usage.inputTokens, cachedInput: usage.cachedInputTokens, output: usage.outputTokens });
  }

  #reactToRateLimit(error: unknown, outcome: FailureOutcome, requestId: string, ticket: DispatchTicket | undefined): void {
    const headers = (error as { headers?: Record<string, string> }).headers;
    if (headers) this.ports.scheduler.observeHeaders(headers, ticket);
    const status = outcome.info.status;
    if (outcome.pausesDispatch && outcome.disposition !== 'fatal' && status !== undefined) {
      this.ports.scheduler.reportRefused({ status, retryAfterMs: outcome.retryAfterMs, headers, requestId });
    }
  }

  #succeed(asked: { id: string; requestHash: string }, answer: Extract<RequestAnswer, { kind: 'ok' }>, source: 'api' | 'cache' | 'dedup'): void {
    const { completion } = answer;
    const { id } = asked;
    const usage = completion.usage;
    const record = toResultRecord({
      id,
      requestHash: asked.requestHash,
      output: completion.text,
      parsed: answer.parsed,
      model: completion.model,
      usage,
      costUsd: answer.costUsd,
      attempts: answer.attempts,
      latencyMs: answer.latencyMs,
      cached: source !== 'api',
      finishReason: completion.finishReason,
      mode: this.settings.mode,
      ts: new Date(this.ports.now()).toISOString(),
    });
    this.ports.writeResult(record);
    this.stats.recordSuccess(source === 'api' ? usage : null, record.cost_usd, source);
    this.emit({ type: 'item-succeeded', id, cached: record.cached, costUsd: record.cost_usd, latencyMs: record.latency_ms, attempts: answer.attempts });
  }

  #deadLetter(id: string, info: FailureInfo, attempts: number, requestHash?: string): void {
    this.ports.writeFailure({ id, ...(requestHash === undefined ? {} : { request_hash: requestHash }), error: info, attempts, ts: new Date(this.ports.now()).toISOString() });
    this.stats.recordFailure(info.class);
    this.emit({ type: 'item-failed', id, errorClass: info.class, status: info.status, message: info.message, attempts });
  }
}

/** The run stopped before this job got a slot (ours, or the scheduler's stop() rejecting queued jobs). */
function isNotSent(error: unknown): boolean {
  return error instanceof NotSent || (error as { name?: string } | null)?.name === 'SchedulerStoppedError';
}

function isAbort(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'AbortError';
}

function paidCompletion(error: unknown): Completion | undefined {
  const completion = (error as { completion?: Completion } | null)?.completion;
  return completion && typeof completion === 'object' ? completion : undefined;
}

/** The same request on the default tier (`--flex-fallback`); billed at the standard price the answer reports. */
function onDefaultTier(request: ChatRequest): ChatRequest {
  return { ...request, params: { ...request.params, extra: { ...request.params.extra, service_tier: 'default' } } };
}
