import type { Readable } from 'node:stream';
import { computeCacheKey } from '../cache/cache-key.js';
import { computeRequestHash, requestHashOfKey } from '../journal/request-hash.js';
import type { ResponseCache } from '../cache/response-cache.js';
import { BudgetLedger, worstCaseCost, type BudgetWarningFraction } from '../cost/budget-ledger.js';
import type { BudgetPort } from '../cost/budget-port.js';
import { costOfUsage } from '../cost/cost-of-usage.js';
import type { ModelPrice } from '../cost/prices.js';
import { estimateWorstCaseOutputTokens } from '../cost/output-limits.js';
import { quickEstimateRequestTokens } from '../cost/quick-token-estimate.js';
import { describeMissingModel } from '../providers/model-suggestions.js';
import { validateOutput } from '../providers/validate-output.js';
import { IdRegistry } from '../input/id-registry.js';
import { readInput } from '../input/open-input.js';
import type { Item } from '../input/types.js';
import type { ChatRequest, Provider } from '../providers/types.js';
import { classifyFailure } from '../retry/classify-failure.js';
import { computeBackoff, ITEM_BACKOFF } from '../retry/backoff.js';
import type { RedisLink } from '../scheduler/redis-link.js';
import { createScheduler, type Scheduler } from '../scheduler/scheduler.js';
import type { PromptTemplate } from '../template/types.js';
import { AdmissionGate } from './admission-gate.js';
import type { EventSink, RunSummary } from './events.js';
import { inRunKey } from './in-run-key.js';
import { ItemProcessor, type ItemPorts } from './item-processor.js';
import { PackProcessor } from './pack/pack-processor.js';
import type { RunOutput } from './run-output.js';
import type { RunConfig } from './run-config.js';
import type { RunControl } from './run-control.js';
import { priceOfServedTier, type RunPrices } from './resolve-run-price.js';
import type { RunStats } from './run-stats.js';
import { openRunRedis, openRunSharedBudget, quietWhileRedisDown } from './run-redis.js';
import { runSkeleton, type ModeRun, type RunSetup, type ScanResult, type SkeletonDeps } from './run-skeleton.js';
import { sleep } from './sleep.js';

/** The world a run touches, injected so tests can replace any part. */
export interface RunDeps extends SkeletonDeps {
  createProvider: () => Promise<Provider>;
  random?: () => number;
}

/** Items admitted beyond the concurrency: enough to keep every slot busy, little enough to stay flat in memory. */
const READ_AHEAD = 64;
/** Items admitted between turns of the event loop (see `dispatchAll`). */
const ITEMS_PER_TURN = 4;

/** Run a realtime job end to end: scan, dispatch, journal, summarise. Throws UsageError before any request. */
export async function runJob(config: RunConfig, template: PromptTemplate, deps: RunDeps): Promise<RunSummary> {
  // First of all: an unreachable --redis must stop the run before anything is written or sent.
  const redis = await openRunRedis(config, deps.emit, deps.control);
  try {
    return await runSkeleton(config, template, deps, (setup) => startRealtime(config, template, deps, redis, setup));
  } finally {
    await redis?.close();
  }
}

/** Realtime mode's part: scheduler, cache, budget, provider, and the item (or pack) processor. */
async function startRealtime(config: RunConfig, template: PromptTemplate, deps: RunDeps, redis: RedisLink | null, setup: RunSetup): Promise<ModeRun> {
  const { price, prices, output, scan, stats, now } = setup;
  const random = deps.random ?? Math.random;
  const { emit, control } = deps;
  const scheduler = createScheduler({
    concurrency: config.concurrency,
    rpm: config.rpm,
    tpm: config.tpm,
    provider: config.provider,
    now,
    onEvent: quietWhileRedisDown(redis, emit),
    limiterOptions: redis?.limiterOptions,
  });
  // Loaded only when used: lmdb maps a 16 MB buffer at import, a tenth of the memory bound (SPEC §12).
  const cache = config.cacheDir ? (await import('../cache/response-cache.js')).openResponseCache(config.cacheDir) : null;
  const ledger = await createLedger(config, price, emit, redis);
  const provider = await deps.createProvider();
  const stopScheduler = control.onStop((reason) => {
    if (reason === 'budget' && ledger) {
      emit({ type: 'budget-reached', spentUsd: ledger.spentUsd, reservedUsd: ledger.reservedUsd, budgetUsd: ledger.budgetUsd });
    }
    scheduler.stop();
  });

  const estimateInputTokens = await chooseTokenEstimator(config);
  const ports = buildPorts(config, template, { provider, scheduler, cache, ledger, prices, output, now, random, estimateInputTokens });
  const processor = new ItemProcessor(
    ports,
    {
      request: { params: config.params },
      mode: config.mode,
      maxRetries: config.maxRetries,
      maxInvalidOutputRetries: config.maxInvalidOutputRetries,
      defaultMaxOutputTokens: estimateWorstCaseOutputTokens(config.params, config.provider),
      outputCap: config.budgetMaxTokens,
      breaker: config.breaker,
      flexFallback: config.flexFallback,
    },
    control,
    stats,
    emit,
  );
  const packer =
    config.pack === undefined
      ? null
      : new PackProcessor({ processor, ports, size: config.pack, request: { params: config.params }, mode: config.mode, control, stats, emit });

  return {
    reservedUsd: () => ledger?.reservedUsd ?? 0,
    paused: () => scheduler.paused,
    pauseReason: () => scheduler.pauseReason,
    async work() {
      const seen = await dispatchAll(config, packer ?? processor, output, stats, control, deps.stdin, scan);
      if (stats.total === null) stats.setTotal(seen);
    },
    async close() {
      stopScheduler();
      await scheduler.close();
      await ledger?.close?.();
      await provider.close();
      await cache?.close();
    },
    finish: () => (packer ? { extra: { packed: packer.savings } } : {}),
  };
}

async function createLedger(config: RunConfig, price: ModelPrice | null, emit: EventSink, redis: RedisLink | null): Promise<BudgetPort | null> {
  if (config.budgetUsd === undefined || price === null) return null;
  const budgetUsd = config.budgetUsd;
  const options = {
    budgetUsd,
    onWarning: (fraction: BudgetWarningFraction, spentUsd: number) => emit({ type: 'budget-warning', fraction, spentUsd, budgetUsd }),
  };
  return (await openRunSharedBudget(config, redis, options, emit)) ?? new BudgetLedger(options);
}

/** Read items and hand each to the processor, never more than the gate allows at once. Returns items seen. */
async function dispatchAll(
  config: RunConfig,
  processor: Pick<ItemProcessor, 'process'> & { flush?(): void },
  output: RunOutput,
  stats: RunStats,
  control: RunControl,
  stdin: Readable | undefined,
  scan: ScanResult | null,
): Promise<number> {
  // A pack holds its items until it is full, so the gate must admit enough for every slot to carry one.
  const gate = new AdmissionGate(config.concurrency * (config.pack ?? 1) + READ_AHEAD);
  const firstLineOf = duplicateCheck(scan, output);
  let admitted = 0;
  // Lines the pre-scan found done are passed over unparsed: on a resumed million-line input, parsing them
  // again was a third of the time to the first request (SPEC §12: 5 s).
  for await (const event of readInput(config.input, { stdin, shard: config.shard, skipLines: scan?.doneLines })) {
    if (control.stopping) break;
    if (config.limit !== undefined && admitted >= config.limit) break;
    if (event.kind === 'bad-row') {
      const { row } = event;
      output.writeFailure({ id: row.id ?? `line-${row.line}`, error: { class: 'input', message: `line ${row.line}: ${row.message}` }, attempts: 0, ts: new Date().toISOString() });
      stats.recordFailure('input');
      admitted += 1;
      continue;
    }
    const item: Item = event.item;
    const firstLine = firstLineOf(item);
    // A repeat of a done id within the pre-scanned lines was recorded by the run that first met it; one in
    // a row appended since is news.
    if (output.isDone(item.id) && (firstLine === undefined || scan === null || item.line <= scan.lastLine)) continue;
    if (firstLine !== undefined) {
      output.writeFailure({ id: item.id, error: { class: 'input', message: `line ${item.line}: duplicate id "${item.id}" (first seen on line ${firstLine})` }, attempts: 0, ts: new Date().toISOString() });
      stats.recordFailure('input');
      continue;
    }
    admitted += 1;
    await gate.enter();
    if (control.stopping) {
      gate.leave();
      break;
    }
    processor
      .process(item)
      .catch((error: unknown) => control.fail(error))
      .finally(() => gate.leave());
    // Let the loop turn: a socket connects, and its request is written, only then. Filling 100 slots in one
    // turn held the first request back ~60 ms, until every slot had its request ready (issue 13, row b).
    if (admitted % ITEMS_PER_TURN === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  processor.flush?.();
  await gate.idle();
  return admitted;
}

/**
 * The line an item's id was first seen on when it is a duplicate. The pre-scan met every line up to its
 * `lastLine` and found the duplicates there, so the run looks them up instead of keeping its own registry
 * of every id (~40 MB at a million ids, SPEC §12). Rows appended to the input after the pre-scan are
 * checked against the ids it saw (and the done ids of a resume). Stdin is not pre-scanned: there, an
 * off-heap registry (a Set of a million ids would cost ~45 MB).
 */
function duplicateCheck(scan: ScanResult | null, output: Pick<RunOutput, 'claimDone'>): (item: Item) => number | undefined {
  if (scan === null) {
    const seenIds = new IdRegistry();
    return (item) => seenIds.add(item.id, item.line);
  }
  const { duplicates, idsSeen, lastLine } = scan;
  return (item) => {
    if (item.line <= lastLine) return duplicates.get(item.line);
    // null: not a done id; undefined: a done id met for the first time (its own row moved to the end).
    const claimed = output.claimDone?.(item.id, item.line) ?? null;
    return claimed === null ? idsSeen.add(item.id, item.line) : claimed;
  };
}

interface PortParts {
  provider: Provider;
  scheduler: Scheduler;
  cache: ResponseCache | null;
  ledger: BudgetPort | null;
  prices: RunPrices;
  output: RunOutput;
  now: () => number;
  random: () => number;
  estimateInputTokens: (request: ChatRequest) => number;
}

/**
 * A budget must never be overshot, so it counts input with the real tokenizer; rate limiting only needs a
 * conservative guess (actual usage corrects it), and skipping the tokenizer saves ~0.5 s of start-up.
 */
async function chooseTokenEstimator(config: RunConfig): Promise<(request: ChatRequest) => number> {
  if (config.budgetUsd === undefined) return quickEstimateRequestTokens;
  const { estimateRequestInputTokens } = await import('../cost/token-estimate.js');
  return (request) => estimateRequestInputTokens(request, config.provider);
}

function buildPorts(config: RunConfig, template: PromptTemplate, parts: PortParts): ItemPorts {
  const { provider, scheduler, cache, ledger, prices, output, now, random, estimateInputTokens } = parts;
  // A flex item may fall back to the default tier: reserve at the standard price so the budget still holds.
  const reservePrice = config.flexFallback !== undefined ? prices.standard : prices.price;
  const expectation = { schema: config.params.schema, jsonOutput: config.params.jsonOutput };
  return {
    provider,
    schedule: (cost, task) => scheduler.schedule(cost, task),
    scheduler,
    cache,
    cacheKey: cache ? (request) => computeCacheKey({ provider: config.provider, baseUrl: config.baseUrl, request }) : inRunKey,
    requestHash: cache
      ? (_request, key) => requestHashOfKey(key)
      : (request) => computeRequestHash({ provider: config.provider, baseUrl: config.baseUrl, request }),
    budget: ledger,
    costOf: (completion) => {
      const price = priceOfServedTier(prices, completion.serviceTier);
      return price ? costOfUsage(completion.usage, price, config.mode) : null;
    },
    worstCaseCost: (inputTokens, maxOutputTokens) =>
      reservePrice ? worstCaseCost(inputTokens, maxOutputTokens, reservePrice, config.mode) : 0,
    estimateInputTokens,
    classify: (error) =>
      classifyFailure(error, {
        maxWaitMs: config.maxWaitMs,
        describeMissingModel: (message) => describeMissingModel(config.provider, config.params.model, message),
      }),
    backoff: (retry, retryAfterMs) => computeBackoff(retry, retryAfterMs, random, ITEM_BACKOFF),
    parseAnswer: (completion) => {
      const check = validateOutput(completion, expectation);
      if (!check.ok) throw check.error;
      return { parsed: check.parsed };
    },
    render: (item) => template.render(item.data),
    writeResult: output.writeResult,
    writeFailure: output.writeFailure,
    sleep,
    now,
  };
}

