/**
 * `llm-batch batches cancel <output>`: cancel every provider batch the output recorded and has not
 * collected. The provider, model and base URL come from the output's fingerprint; the key from the
 * environment, as for `run`. The state file is left as it is: `run --resume` collects what finished and
 * records the canceled requests as failed (class `canceled`), so a later resume can send them again.
 */
import type { Writable } from 'node:stream';
import { EXIT, UsageError, type ExitCode } from '../errors.js';
import { outputPathsFor } from '../journal/output-paths.js';
import { readState } from '../journal/state-file.js';
import { BatchCallError } from '../providers/batch/batch-call-error.js';
import { createBatchClient } from '../providers/batch/create-batch-client.js';
import type { RetryPolicy } from '../providers/batch/retry-call.js';
import type { BatchClient } from '../providers/batch/types.js';
import { resolveProviderSettings, type ProviderSettings } from '../providers/resolve-provider.js';
import { isBatchPending } from '../run/batch-tracked.js';
import { sleep } from '../run/sleep.js';

export interface BatchesCancelOptions {
  /** `--api-key-env`: the variable holding the key. @default the provider's */
  apiKeyEnv?: string;
  /** @default process.env */
  env?: Record<string, string | undefined>;
  /** Where progress and problems are written. @default process.stderr */
  stderr?: Writable;
  /** Build the client (tests). @default the provider's Batch API client */
  createClient?: (settings: ProviderSettings, retry: RetryPolicy) => BatchClient;
}

/** Control calls get the realtime defaults: 6 retries, 120 s per call, 10 min longest advised wait. */
const RETRY: RetryPolicy = { maxRetries: 6, maxWaitMs: 600_000, sleep };
const TIMEOUT_MS = 120_000;

/** Cancel the pending batches of `output`; exit 0 when every cancel was accepted. */
export async function batchesCancelCommand(output: string, options: BatchesCancelOptions = {}): Promise<ExitCode> {
  const stderr = options.stderr ?? process.stderr;
  const paths = outputPathsFor(output);
  const state = await readState(paths.state);
  if (state === undefined) throw new UsageError(`${paths.state} does not exist: ${output} has no recorded batches`);
  const pending = state.batches.filter(isBatchPending);
  if (pending.length === 0) {
    stderr.write(`llm-batch: ${output} has no pending batches\n`);
    return EXIT.ok;
  }

  const { fingerprint } = state;
  const settings = resolveProviderSettings(
    { model: fingerprint.model, provider: fingerprint.provider, baseUrl: fingerprint.baseUrl, apiKeyEnv: options.apiKeyEnv },
    options.env ?? process.env,
  );
  const client = (options.createClient ?? defaultClient)(settings, RETRY);
  const signal = new AbortController().signal;
  let code: ExitCode = EXIT.ok;
  try {
    for (const batch of pending) {
      try {
        const snapshot = await client.cancel(batch.id, signal);
        stderr.write(`canceled batch ${batch.id}: ${snapshot.status}, ${snapshot.counts.completed} of ${snapshot.counts.total} requests already answered\n`);
      } catch (error) {
        if (!(error instanceof BatchCallError)) throw error;
        stderr.write(`llm-batch: ${error.message}\n`);
        if (error.fatal) return EXIT.fatal;
        code = EXIT.someFailed;
      }
    }
  } finally {
    await client.close();
  }
  stderr.write(`llm-batch: run again with --resume to collect what finished; canceled requests are recorded as failed (class canceled)\n`);
  return code;
}

function defaultClient(settings: ProviderSettings, retry: RetryPolicy): BatchClient {
  return createBatchClient({ provider: settings.provider, baseUrl: settings.baseUrl, apiKey: settings.apiKey, azure: settings.azure, timeoutMs: TIMEOUT_MS, retry });
}
