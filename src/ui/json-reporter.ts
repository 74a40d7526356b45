/**
 * `--log-json`: every RunEvent as one JSON object per line (NDJSON) on stderr.
 *
 * ## Event schema (public contract: fields are added, never renamed or removed)
 *
 * Every line is `{"ts": "<ISO 8601 UTC time>", "type": "<event type>", ...fields}`. Money is in US dollars
 * (numbers, not strings); durations are in milliseconds; `?` marks a field that may be absent. A `null`
 * cost means the model's price is unknown.
 *
 * | type | fields |
 * |---|---|
 * | `phase-started` | `phase` (`scanning`\|`resuming`\|`uploading`\|`submitting`\|`polling`\|`downloading`), `text` |
 * | `phase-finished` | `phase`, `text` (e.g. `"scanned 5,000 items in 1.2s"`) |
 * | `run-started` | `total` (number\|null: null when reading stdin), `alreadyDone`, `model`, `provider` (`openai`\|`anthropic`\|`mock`), `mode` (`realtime`\|`batch`), `concurrency`, `budgetUsd` (number\|null), `outputPath` |
 * | `item-succeeded` | `id`, `cached` (boolean), `costUsd` (number\|null), `latencyMs`, `attempts` |
 * | `item-failed` | `id`, `errorClass`, `status`?, `message`, `attempts` |
 * | `retry-scheduled` | `id`, `attempt`, `delayMs`, `errorClass`, `status`? |
 * | `rate-limited` | `pauseMs`, `status`?, `reason` |
 * | `rate-limits-learned` | `rpm`?, `tpm`?, `source` |
 * | `budget-warning` | `fraction` (0.5, 0.75, 0.9), `spentUsd`, `budgetUsd` |
 * | `budget-reached` | `spentUsd`, `reservedUsd`, `budgetUsd` |
 * | `fatal-error` | `errorClass`, `status`?, `message` |
 * | `interrupted` | `signal` (`SIGINT`\|`SIGTERM`), `abandoning` (boolean: in-flight requests are given up) |
 * | `warning` | `message` |
 * | `batch-submitted` | `batchId`, `requests` |
 * | `batch-progress` | `batchId`, `status`, `completed`, `failed`, `total` |
 * | `progress` | `totals`: a RunTotals object (below); at most one line per `--progress-interval` |
 * | `run-finished` | `summary`: RunTotals plus `stop`, `mode`, `model`, `provider`, `outputPath`, `failedPath`, `resumeCommand`?, `fatalMessage`?, `packed`? |
 *
 * `errorClass` is one of `bad_request`, `auth`, `quota`, `rate_limit`, `overloaded`, `server`, `timeout`, `network`,
 * `invalid_output`, `template`, `input`, `budget`, `canceled`, `expired`.
 * `stop` is one of `completed`, `budget`, `fatal`, `interrupted`, `output-error`, `unavailable`.
 *
 * RunTotals: `total` (number\|null), `succeeded`, `failed`, `failedByClass` ({errorClass: count}),
 * `alreadyDone`, `inFlight`, `slowRequests`, `oldestInFlightMs`, `cacheHits`, `dedupHits`, `retries`, `retriesByClass` ({errorClass: count}),
 * `requestsSent`, `inputTokens` (including cached), `outputTokens`, `cachedInputTokens`, `cacheWriteTokens`,
 * `reasoningTokens`, `spentUsd` (number\|null), `projectedUsd` (number\|null), `otherModeUsd` (number\|null: the
 * same tokens in the other mode), `budgetUsd` (number\|null), `reservedUsd`, `elapsedMs`, `rate` (items/s),
 * `etaMs` (number\|null), `paused` (boolean), `pauseReason` (`rate_limit`\|`overloaded`\|null).
 *
 * Example: `{"ts":"2025-01-31T12:00:04.120Z","type":"rate-limited","pauseMs":12000,"status":429,"reason":"rate limited"}`
 */
import type { RunEvent } from '../run/events.js';
import { createIntervalGate } from './interval-gate.js';
import type { Reporter, ReporterStream } from './reporter.js';

export interface JsonReporterOptions {
  stream: ReporterStream;
  /** Least time between two `progress` lines (every other event is written). */
  progressIntervalMs: number;
  /** Clock for `ts` and for pacing `progress`. */
  now: () => number;
}

/** A reporter that writes each event as one JSON line. */
export function createJsonReporter(options: JsonReporterOptions): Reporter {
  const { stream, now } = options;
  const gate = createIntervalGate(options.progressIntervalMs, now);
  let closed = false;

  return {
    handle(event: RunEvent) {
      if (closed) return;
      if (event.type === 'run-started') gate.reset();
      if (event.type === 'progress' && !gate.tryPass()) return;
      // `ts` first so every line starts with its time, which keeps logs easy to scan and sort.
      stream.write(`${JSON.stringify({ ts: new Date(now()).toISOString(), ...event })}\n`);
    },
    close() {
      closed = true;
    },
  };
}
