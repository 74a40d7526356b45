import { UsageError } from '../errors.js';

/** Problem lines shown in the error message (SPEC §3: "the line numbers (first 10)"). */
export const SHOWN_PROBLEMS = 10;

/** Why one item cannot be sent. */
export interface Problem {
  /** 1-based physical line in the input where the item starts. */
  line: number;
  id?: string;
  /**
   * `input`: a row the reader rejected (malformed, wrong column count, missing id field);
   * `template`: the item does not render (missing variable, unusable image); `id`: a duplicate id.
   */
  kind: 'input' | 'template' | 'id';
  message: string;
}

/**
 * The error that stops a run over bad items: `<path>: 3 bad items:` followed by one
 * `line 7: missing template variable "name"` line each, the first 10 only.
 */
export function formatProblems(path: string, problems: readonly Problem[], problemCount: number): UsageError {
  const label = path === '-' ? 'stdin' : path;
  const noun = problemCount === 1 ? 'bad item' : 'bad items';
  const shown = problems.slice(0, SHOWN_PROBLEMS);
  const note = problemCount > shown.length ? ` (first ${shown.length} shown)` : '';
  const details = shown.map((problem) => `line ${problem.line}: ${problem.message}`);
  details.push('fix them, or pass --on-bad-item skip to record them as failures and go on');
  return new UsageError(`${label}: ${problemCount} ${noun}${note}:`, details);
}
