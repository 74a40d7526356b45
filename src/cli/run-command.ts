import { homedir } from 'node:os';
import { exitCodeForRun, type ExitCode } from '../errors.js';
import { executeRun } from '../run/execute-run.js';
import { RunControl } from '../run/run-control.js';
import { createReporter, type Reporter } from '../ui/create-reporter.js';
import { resolveRunConfig } from './resolve-run-config.js';
import type { RunFlags } from './run-options.js';

/** `llm-batch run` (and `estimate` / `--dry-run`): resolve, run, and map the outcome to an exit code. */
export async function runCommand(input: string, flags: RunFlags, options: { dryRun: boolean }): Promise<ExitCode> {
  const reporter = await reporterFor(flags);
  try {
    const resolved = await resolveRunConfig(input, { ...flags, dryRun: options.dryRun }, {
      env: process.env,
      homedir: homedir(),
      args: process.argv.slice(2),
    });
    for (const message of resolved.warnings) reporter.handle({ type: 'warning', message });
    if (options.dryRun) {
      const { estimateCommand } = await import('./estimate-command.js');
      return await estimateCommand(resolved, reporter);
    }
    const { config, template, provider } = resolved;
    const control = new RunControl();
    const detach = attachSignals(control, reporter);
    try {
      const summary = await executeRun(config, template, provider, { emit: (event) => reporter.handle(event), control });
      return exitCodeForRun(summary.stop, summary.failed);
    } finally {
      detach();
    }
  } finally {
    reporter.close();
  }
}

function reporterFor(flags: RunFlags): Promise<Reporter> {
  return createReporter({
    stream: process.stderr,
    env: process.env,
    mode: flags.logJson ? 'json' : flags.quiet ? 'quiet' : 'auto',
    progressIntervalMs: flags.progressInterval * 1000,
  });
}

/**
 * First SIGINT/SIGTERM: stop dispatching and let in-flight requests finish (their answers are paid for).
 * Second: abandon them; their items stay pending for the resume.
 */
function attachSignals(control: RunControl, reporter: Reporter): () => void {
  let received = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    received += 1;
    if (received === 1) {
      reporter.handle({ type: 'interrupted', signal, abandoning: false });
      control.stop('interrupted');
    } else {
      reporter.handle({ type: 'interrupted', signal, abandoning: true });
      control.abandon();
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

