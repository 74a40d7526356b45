/**
 * Read an ended batch's results into the output. A download cut off halfway is simply read again: what was
 * written is remembered per custom_id and skipped. Requests without any result line become dead letters of
 * the class the batch's end implies (expired, canceled, …), so `--resume` sends them again.
 */
import { isAbortError } from '../http/errors.js';
import type { FailureInfo } from '../journal/records.js';
import { describeMissingModel } from '../providers/model-suggestions.js';
import { BatchCallError } from '../providers/batch/batch-call-error.js';
import { failureForMissing } from '../providers/batch/result-failures.js';
import { callWithRetry } from '../providers/batch/retry-call.js';
import type { BatchItemOutcome, BatchSnapshot } from '../providers/batch/types.js';
import type { BatchRunContext } from './batch-context.js';
import type { TrackedBatch } from './batch-tracked.js';

/** Write the results of an ended batch; true once every item is accounted for and the state says so. */
export async function collectBatch(ctx: BatchRunContext, batch: TrackedBatch, snapshot: BatchSnapshot): Promise<boolean> {
  const { client, control, emit } = ctx;
  const signal = control.abandonSignal;
  emit({ type: 'phase-started', phase: 'downloading', text: `downloading results of batch ${batch.id}` });
  try {
    await callWithRetry(`download the results of batch ${batch.id}`, async () => {
      for await (const outcome of client.results(snapshot, signal)) apply(ctx, batch, outcome);
    }, ctx.retry, signal);
  } catch (error) {
    emit({ type: 'phase-finished', phase: 'downloading', text: `results of batch ${batch.id} not read yet` });
    if (isAbortError(error)) return false;
    if (!(error instanceof BatchCallError)) throw error;
    if (error.fatal) {
      emit({ type: 'fatal-error', errorClass: error.outcome.info.class, status: error.outcome.info.status, message: error.message });
      control.stop('fatal', error.message);
    } else {
      emit({ type: 'warning', message: `${error.message}; trying again at the next poll` });
    }
    return false;
  }

  const end = snapshot.end ?? 'completed';
  let missing = 0;
  for (const [customId, entry] of batch.entries) {
    if (batch.collected.has(customId)) continue;
    batch.collected.add(customId);
    missing += 1;
    ctx.writer.fail(entry, failureForMissing(end, batch.id, snapshot.message));
    ctx.stats.inFlight -= 1 + entry.followers.length;
  }
  if (missing > 0 && end === 'completed') {
    emit({ type: 'warning', message: `batch ${batch.id} returned no result for ${missing} requests; they are written as failed (--resume retries them)` });
  }
  batch.record = batch.collectedRecord(snapshot.status, new Date(ctx.now()).toISOString());
  await ctx.output.saveBatch(batch.record);
  emit({ type: 'phase-finished', phase: 'downloading', text: `collected batch ${batch.id}: ${snapshot.counts.completed} answered, ${snapshot.counts.failed} failed` });
  return true;
}

function apply(ctx: BatchRunContext, batch: TrackedBatch, outcome: BatchItemOutcome): void {
  const entry = batch.entries.get(outcome.customId);
  // A custom_id we never sent (another tool's batch?) or one already written by an earlier read.
  if (entry === undefined || batch.collected.has(outcome.customId)) return;
  batch.collected.add(outcome.customId);
  ctx.stats.inFlight -= 1 + entry.followers.length;
  if (outcome.kind === 'succeeded') {
    ctx.writer.succeed(entry, outcome.completion, Date.parse(batch.record.createdAt));
  } else {
    ctx.writer.fail(entry, outcome.error);
    stopOnMissingModel(ctx, outcome.error);
  }
}

/**
 * Every request names the same model: the first 404 for it (OpenAI `model_not_found`, Anthropic
 * `not_found_error`) stops the run (exit 4) instead of submitting more batches that cannot succeed. The
 * rest of this batch's results are still written: they are paid for, and `--resume` retries the failures.
 */
function stopOnMissingModel(ctx: BatchRunContext, info: FailureInfo): void {
  if ((info.code !== 'model_not_found' && info.code !== 'not_found_error') || ctx.control.stopping) return;
  const message = describeMissingModel(ctx.config.provider, ctx.config.params.model, info.message);
  ctx.emit({ type: 'fatal-error', errorClass: info.class, status: info.status, message });
  ctx.control.stop('fatal', message);
}
