import { createProvider } from '../providers/create-provider.js';
import type { ProviderSettings } from '../providers/resolve-provider.js';
import type { PromptTemplate } from '../template/types.js';
import type { EventSink, RunSummary } from './events.js';
import type { RunConfig } from './run-config.js';
import type { RunControl } from './run-control.js';
import { applySample } from './apply-sample.js';
import { runJob } from './run-job.js';

/**
 * A resolved run, realtime or batch, to its summary. The one entry both the CLI and the library call, so
 * `import { run } from 'llm-batch'` is the same engine as `llm-batch run`.
 */
export async function executeRun(
  resolved: RunConfig,
  template: PromptTemplate,
  provider: ProviderSettings,
  deps: { emit: EventSink; control: RunControl },
): Promise<RunSummary> {
  const config = await applySample(resolved);
  const run = config.mode === 'batch' ? (await import('./run-batch-job.js')).runBatchJob : runJob;
  return run(config, template, {
    emit: deps.emit,
    control: deps.control,
    createProvider: () => createProvider(provider, { connections: config.concurrency, timeoutMs: config.timeoutMs }),
  });
}
