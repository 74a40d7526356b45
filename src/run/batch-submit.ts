/**
 * Send one chunk as a provider batch. The batch id reaches the state file the moment the provider returns
 * it, before anything else happens: a crash one instant later still leaves a resumable record, so no item is
 * ever submitted (and paid for) twice.
 */
import { isAbortError } from '../http/errors.js';
import { BatchCallError } from '../providers/batch/batch-call-error.js';
import type { SubmitStep } from '../providers/batch/types.js';
import type { BatchChunk } from './batch-chunk.js';
import type { BatchRunContext } from './batch-context.js';
import type { BatchEntry } from './batch-tracked.js';
import { TrackedBatch } from './batch-tracked.js';

/** Submit `chunk`; returns the tracked batch, or undefined when nothing was created. */
export async function submitChunk(ctx: BatchRunContext, chunk: BatchChunk): Promise<TrackedBatch | undefined> {
  const { client, control, emit, output, stats } = ctx;
  let step: SubmitStep | undefined;
  const onStep = (next: SubmitStep): void => {
    if (step !== undefined) emit({ type: 'phase-finished', phase: step, text: stepText(step, chunk, true) });
    step = next;
    emit({ type: 'phase-started', phase: next, text: stepText(next, chunk, false) });
  };

  let submitted;
  try {
    // Only the abandon signal (a second Ctrl-C) may cut a create short: a first Ctrl-C waits for the id.
    submitted = await client.submit(chunk.lines, { signal: control.abandonSignal, onStep });
  } catch (error) {
    if (step !== undefined) emit({ type: 'phase-finished', phase: step, text: 'not submitted' });
    handleSubmitFailure(ctx, chunk, error);
    return undefined;
  }

  const submittedAt = ctx.now();
  const record = TrackedBatch.recordFor(
    {
      id: submitted.id,
      provider: client.provider,
      status: submitted.status,
      createdAt: new Date(submittedAt).toISOString(),
      ...(submitted.inputFileId !== undefined && { inputFileId: submitted.inputFileId }),
    },
    chunk.entries,
  );
  await output.saveBatch(record);

  const batch = new TrackedBatch(record, chunk.entries);
  ctx.tracked.set(batch.id, batch);
  stats.requestsSent += chunk.size;
  stats.inFlight += record.itemCount;
  if (step !== undefined) emit({ type: 'phase-finished', phase: step, text: `submitted batch ${batch.id}` });
  emit({ type: 'batch-submitted', batchId: batch.id, requests: chunk.size });
  return batch;
}

/**
 * Nothing was created. A fatal condition stops the run and leaves the items pending for a resume; a
 * rejected batch (400, 413) dead-letters them, as a rejected realtime request would.
 */
function handleSubmitFailure(ctx: BatchRunContext, chunk: BatchChunk, error: unknown): void {
  const release = (entry: BatchEntry) => entry.reservation && ctx.pacer?.release(entry.reservation);
  if (isAbortError(error)) {
    for (const entry of chunk.entries.values()) release(entry);
    return;
  }
  if (!(error instanceof BatchCallError)) throw error;
  const { info } = error.outcome;
  if (error.fatal) {
    for (const entry of chunk.entries.values()) release(entry);
    ctx.emit({ type: 'fatal-error', errorClass: info.class, status: info.status, message: error.message });
    ctx.control.stop('fatal', error.message);
    return;
  }
  ctx.emit({ type: 'warning', message: `${error.message}; its ${chunk.size} requests are written as failed (--resume retries them)` });
  for (const entry of chunk.entries.values()) ctx.writer.fail(entry, info);
}

function stepText(step: SubmitStep, chunk: BatchChunk, done: boolean): string {
  const size = `${chunk.size} requests`;
  if (step === 'uploading') return done ? `uploaded ${size} (${formatMegabytes(chunk.bytes)})` : `uploading ${size} (${formatMegabytes(chunk.bytes)})`;
  return done ? `created a batch of ${size}` : `creating a batch of ${size}`;
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(bytes < 10_000_000 ? 1 : 0)} MB`;
}
