import { RunControl } from '../run/run-control.js';
import { executeRun } from '../run/execute-run.js';
import type { RunEvent, RunSummary } from '../run/events.js';
import { eventStream } from './event-stream.js';
import { resolveLibraryRun, type RunOptions } from './options.js';

/**
 * Process every item of `options.input`, as `llm-batch run` does, and resolve to the summary (whose `stop`
 * says whether it completed, hit the budget, met a fatal API error, or was aborted). Bad options or input
 * reject with a `UsageError` before any request is sent.
 */
export async function run(options: RunOptions): Promise<RunSummary> {
  const { config, template, provider, warnings } = await resolveLibraryRun(options);
  // What the CLI prints before starting (a template setting the model does not take, strict: false).
  for (const message of warnings) options.onEvent?.({ type: 'warning', message });
  const control = new RunControl();
  const onAbort = () => control.stop('interrupted');
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await executeRun(config, template, provider, { emit: (event) => options.onEvent?.(event), control });
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * The same run, its events read as an async iterable (the last is `run-finished`, carrying the summary);
 * `result` resolves to the summary. Iterating rethrows what `run` would reject with.
 */
export function runEvents(options: RunOptions): AsyncIterable<RunEvent> & { result: Promise<RunSummary> } {
  return eventStream((emit) =>
    run({
      ...options,
      onEvent: (event) => {
        options.onEvent?.(event);
        emit(event);
      },
    }),
  );
}
