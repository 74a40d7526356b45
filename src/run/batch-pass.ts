/**
 * The one pass over the input in batch mode: every pending item is rendered, answered from the cache
 * when it can be, folded into an identical request, or added to the chunk being filled; a full chunk is
 * submitted on the spot, so only one chunk is in memory. Items of batches recorded by an earlier run are
 * in progress: they are never submitted again, only read for their cache key and budget share.
 */
import type { Readable } from 'node:stream';
import { computeCacheKey } from '../cache/cache-key.js';
import { worstCaseCost, type Reservation } from '../cost/budget-ledger.js';
import { withOutputCap } from './output-cap.js';
import { estimateRequestInputTokens, estimateWorstCaseOutputTokens } from '../cost/token-estimate.js';
import { readInput } from '../input/open-input.js';
import type { ChatRequest } from '../providers/types.js';
import type { PromptTemplate } from '../template/types.js';
import { BatchChunk } from './batch-chunk.js';
import { describeAdvice } from './budget-pacer.js';
import type { BatchRunContext } from './batch-context.js';
import { submitChunk } from './batch-submit.js';
import type { BatchEntry } from './batch-tracked.js';

/** Read, render and submit; returns how many items were in scope (valid and not already done). */
export async function submitPending(ctx: BatchRunContext, template: PromptTemplate, stdin?: Readable): Promise<number> {
  const { config, output, control, writer, stats } = ctx;
  const inProgress = indexInProgress(ctx);
  const seenIds = new Set<string>();
  const maxOutput = estimateWorstCaseOutputTokens(config.params, config.provider);
  let chunk = new BatchChunk(ctx.limits);
  let admitted = 0;

  /** Worst-case USD of a request with `inputTokens` and m output tokens, at batch prices. */
  const worstCaseAt = (inputTokens: number) => (m: number): number => (ctx.price ? worstCaseCost(inputTokens, m, ctx.price, 'batch') : 0);
  const worstCase = (request: ChatRequest): number => worstCaseAt(estimateRequestInputTokens(request, config.provider))(maxOutput);
  // The pacer submits what is gathered before it collects the batches in flight to free budget.
  ctx.flushChunk = async () => {
    if (chunk.size === 0) return;
    await submitChunk(ctx, chunk);
    chunk = new BatchChunk(ctx.limits);
  };

  for await (const event of readInput(config.input, { stdin, shard: config.shard })) {
    if (control.stopping) break;
    if (config.limit !== undefined && admitted >= config.limit) break;
    if (event.kind === 'bad-row') {
      const { row } = event;
      writer.deadLetter(row.id ?? `line-${row.line}`, { class: 'input', message: `line ${row.line}: ${row.message}` }, 0);
      continue;
    }
    const { item } = event;
    if (output.isDone(item.id)) continue;
    if (seenIds.has(item.id)) {
      writer.deadLetter(item.id, { class: 'input', message: `line ${item.line}: duplicate id "${item.id}"` }, 0);
      continue;
    }
    seenIds.add(item.id);
    admitted += 1;

    let request: ChatRequest;
    try {
      request = { messages: await template.render(item.data), params: config.params };
    } catch (error) {
      if (!inProgress.has(item.id)) writer.deadLetter(item.id, { class: 'template', message: (error as Error).message }, 0);
      continue;
    }
    const cacheKey = computeCacheKey({ provider: config.provider, baseUrl: config.baseUrl, request });
    const running = inProgress.get(item.id);
    if (running !== undefined) {
      running.cacheKey ??= cacheKey;
      if (running.itemId === item.id && running.reservation === undefined) running.reservation = await ctx.pacer?.hold(worstCase(request));
      continue;
    }
    const cached = ctx.cache?.get(cacheKey);
    if (cached) {
      writer.fromCache(item.id, cached.completion, cacheKey);
      continue;
    }
    if (chunk.follow(cacheKey, item.id)) continue;

    let reservation: Reservation | undefined;
    let cap = config.budgetMaxTokens;
    if (ctx.pacer) {
      const reserved = await reserveFor(ctx, worstCaseAt(estimateRequestInputTokens(request, config.provider)), maxOutput);
      if (reserved === undefined) break;
      reservation = reserved.reservation;
      // The budget's last items may go out with a smaller max_tokens that fits what is left (as in realtime).
      if (reserved.maxOutputTokens < maxOutput) {
        request = { ...request, params: { ...request.params, maxTokens: reserved.maxOutputTokens } };
        cap = undefined;
      }
    }
    const sent = withOutputCap(request, cap);
    const encode = (customId: string) => ctx.client.encodeRequest(customId, sent);
    let added = chunk.add(item.id, cacheKey, encode, reservation);
    if (added === 'full') {
      await submitChunk(ctx, chunk);
      chunk = new BatchChunk(ctx.limits);
      if (control.stopping && control.stopReason !== 'budget') {
        if (reservation) ctx.pacer?.release(reservation);
        break;
      }
      added = chunk.add(item.id, cacheKey, encode, reservation);
    }
    if (added === 'too-large') {
      const info = { class: 'bad_request' as const, code: 'request_too_large', message: `the request is larger than one batch may be (${ctx.limits.maxBytes} bytes)` };
      writer.fail({ itemId: item.id, followers: [], ...(reservation && { reservation }) }, info);
    }
  }

  // The last chunk goes out unless the run was interrupted: a budget stop still sends what fits.
  if (chunk.size > 0) {
    if (!control.stopping || control.stopReason === 'budget') await submitChunk(ctx, chunk);
    else releaseAll(ctx, chunk.entries.values());
  }
  if (stats.total === null) stats.setTotal(admitted);
  return admitted;
}

/**
 * A reservation for the next item (undefined when the run stops: the budget is reached with nothing left
 * in flight, or the run is stopping); says once when the worst case dwarfs what answers really cost.
 */
async function reserveFor(
  ctx: BatchRunContext,
  worstCaseAt: (maxOutputTokens: number) => number,
  maxOutput: number,
): Promise<{ reservation: Reservation; maxOutputTokens: number } | undefined> {
  const { pacer, ledger, control } = ctx;
  const outcome = await pacer!.reserve(worstCaseAt, maxOutput, () => control.stopping);
  if (outcome === 'stopped') return undefined;
  if (outcome === 'reached') {
    ctx.emit({ type: 'budget-reached', spentUsd: ledger!.spentUsd, reservedUsd: ledger!.reservedUsd, budgetUsd: ledger!.budgetUsd });
    control.stop('budget');
    return undefined;
  }
  const advice = pacer!.advice(worstCaseAt(maxOutput), maxOutput);
  if (advice) ctx.emit({ type: 'warning', message: describeAdvice(worstCaseAt(maxOutput), maxOutput, advice) });
  return outcome;
}

/** item id → its entry in a batch this run re-attached to. */
function indexInProgress(ctx: BatchRunContext): Map<string, BatchEntry> {
  const index = new Map<string, BatchEntry>();
  for (const batch of ctx.tracked.values()) {
    for (const entry of batch.entries.values()) {
      index.set(entry.itemId, entry);
      for (const follower of entry.followers) index.set(follower, entry);
    }
  }
  return index;
}

function releaseAll(ctx: BatchRunContext, entries: Iterable<BatchEntry>): void {
  for (const entry of entries) if (entry.reservation) ctx.pacer?.release(entry.reservation);
}
