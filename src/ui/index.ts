/** The UI's public surface: the CLI needs only these. */
export { createReporter } from './create-reporter.js';
export { selectReporterKind, type ReporterKind } from './select-reporter.js';
export {
  DEFAULT_COMMAND,
  DEFAULT_PROGRESS_INTERVAL_MS,
  type Reporter,
  type ReporterMode,
  type ReporterOptions,
  type ReporterStream,
} from './reporter.js';
export { formatSummary, type SummaryFormatOptions } from './format-summary.js';
export { resolveColorLevel, createColor } from './color.js';
