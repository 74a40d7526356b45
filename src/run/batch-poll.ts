/**
 * Wait for every batch of the run: poll each pending one, report its progress, collect it when it ends,
 * and sleep between rounds with an interval that backs off (5 s → 60 s by default). Ctrl-C ends the wait at
 * once; the batches keep running at the provider and a resume re-attaches to them.
 */
import { isAbortError } from '../http/errors.js';
import { BatchCallError } from '../providers/batch/batch-call-error.js';
import type { BatchSnapshot } from '../providers/batch/types.js';
import { collectBatch } from './batch-collect.js';
import type { BatchRunContext } from './batch-context.js';
import type { TrackedBatch } from './batch-tracked.js';

/** Bounds of the interval between polling rounds, ms. */
export interface PollInterval {
  /** @default 5000 */
  min: number;
  /** @default 60000 */
  max: number;
}

export const DEFAULT_POLL_INTERVAL: Readonly<PollInterval> = { min: 5_000, max: 60_000 };

/** Each round without an ended batch waits this much longer: a 24 h batch needs no 5-second polling. */
const BACKOFF_FACTOR = 1.5;

/** Poll until every tracked batch is collected, or the run is interrupted or hits a fatal error. */
export async function pollUntilDone(ctx: BatchRunContext, interval: PollInterval): Promise<void> {
  const { emit } = ctx;
  let waitMs = interval.min;
  let started = false;
  const waitStartedAt = ctx.now();
  for (;;) {
    const pending = [...ctx.tracked.values()].filter((batch) => batch.pending);
    if (pending.length === 0 || mustStopWaiting(ctx)) break;
    if (!started) {
      started = true;
      // Ctrl-C ends only the wait: saying so keeps users from waiting hours for fear of losing a paid batch.
      const hint = `Ctrl-C leaves ${pending.length === 1 ? 'it' : 'them'} running`;
      emit({ type: 'phase-started', phase: 'polling', text: `waiting for ${describeBatches(pending.length)} (${hint})` });
    }
    let ended = false;
    for (const batch of pending) {
      if (mustStopWaiting(ctx)) break;
      const snapshot = await pollOnce(ctx, batch, { waitedMs: ctx.now() - waitStartedAt, nextPollMs: waitMs });
      if (snapshot?.end !== undefined) ended = (await collectBatch(ctx, batch, snapshot)) || ended;
    }
    if (mustStopWaiting(ctx) || ![...ctx.tracked.values()].some((batch) => batch.pending)) break;
    await waitUnlessStopped(ctx, waitMs);
    waitMs = ended ? interval.min : Math.min(interval.max, Math.round(waitMs * BACKOFF_FACTOR));
  }
  if (started) {
    const left = [...ctx.tracked.values()].filter((batch) => batch.pending).length;
    emit({ type: 'phase-finished', phase: 'polling', text: left === 0 ? 'every batch collected' : `${describeBatches(left)} still running at the provider` });
  }
}

/** One poll: progress event, status saved when it changed. Undefined when the poll failed. */
async function pollOnce(
  ctx: BatchRunContext,
  batch: TrackedBatch,
  timing: { waitedMs: number; nextPollMs: number },
): Promise<BatchSnapshot | undefined> {
  const { emit, control } = ctx;
  let snapshot: BatchSnapshot;
  try {
    snapshot = await ctx.client.poll(batch.id, control.abandonSignal);
  } catch (error) {
    if (isAbortError(error)) return undefined;
    if (!(error instanceof BatchCallError)) throw error;
    if (error.outcome.disposition === 'retry') {
      emit({ type: 'warning', message: `${error.message}; polling again later` });
      return undefined;
    }
    // A batch the provider no longer knows (404, another key) must not be resubmitted blindly: stop and say so.
    const message = `${error.message}; the batch stays recorded in ${ctx.output.paths.state} (\`llm-batch batches cancel\` or --overwrite to drop it)`;
    emit({ type: 'fatal-error', errorClass: error.outcome.info.class, status: error.outcome.info.status, message });
    control.stop('fatal', message);
    return undefined;
  }
  const { counts } = snapshot;
  // An ended batch is not polled again: a "next poll" would be wrong.
  const next = snapshot.end === undefined ? { nextPollMs: timing.nextPollMs } : {};
  const { completed, failed, total } = counts;
  emit({ type: 'batch-progress', batchId: batch.id, status: snapshot.status, completed, failed, total, waitedMs: timing.waitedMs, ...next });
  if (snapshot.status !== batch.record.status && snapshot.end === undefined) {
    batch.record = { ...batch.record, status: snapshot.status };
    await ctx.output.saveBatch(batch.record);
  }
  return snapshot;
}

/** Interrupted or fatal: stop waiting. A budget stop still waits, because those batches are already paid for. */
function mustStopWaiting(ctx: BatchRunContext): boolean {
  const reason = ctx.control.stopReason;
  return reason === 'interrupted' || reason === 'fatal' || ctx.control.abandonSignal.aborted;
}

async function waitUnlessStopped(ctx: BatchRunContext, ms: number): Promise<void> {
  const wake = new AbortController();
  const detach = ctx.control.onStop((reason) => {
    if (reason !== 'budget') wake.abort();
  });
  const onAbandon = () => wake.abort();
  ctx.control.abandonSignal.addEventListener('abort', onAbandon, { once: true });
  try {
    await ctx.sleep(ms, wake.signal).catch(() => undefined);
  } finally {
    detach();
    ctx.control.abandonSignal.removeEventListener('abort', onAbandon);
  }
}

function describeBatches(count: number): string {
  return count === 1 ? '1 batch' : `${count} batches`;
}
