import { EXIT, type ExitCode } from '../errors.js';
import { estimateRun } from '../run/estimate-run.js';
import { formatEstimate } from '../ui/format-estimate.js';
import type { Reporter } from '../ui/create-reporter.js';
import type { ResolvedRun } from './resolve-run-config.js';

/** `llm-batch estimate` and `run --dry-run`: the table on stdout, no request sent. */
export async function estimateCommand(resolved: ResolvedRun, reporter: Reporter): Promise<ExitCode> {
  const report = await estimateRun(resolved.config, resolved.template, (event) => reporter.handle(event));
  reporter.close();
  process.stdout.write(formatEstimate(report));
  return EXIT.ok;
}
