import path from 'node:path';
import { UsageError } from '../errors.js';

/** The files that make up one output (SPEC §6). */
export interface OutputPaths {
  /** `out.jsonl`: one line per succeeded item. */
  results: string;
  /** `out.failed.jsonl`: dead letters. */
  failed: string;
  /** `out.state.json`: fingerprint, provider batches, totals. */
  state: string;
  /** `out.lock`: held while a run writes. */
  lock: string;
}

/** Only one of these is stripped, so `x.results.jsonl` keeps its `.results` part. */
const RESULT_EXTENSIONS = ['.jsonl', '.ndjson', '.json'];

/** The side files of a results file: `out.jsonl` → `out.failed.jsonl`, `out.state.json`, `out.lock`. */
export function outputPathsFor(resultsPath: string): OutputPaths {
  const base = stripResultExtension(resultsPath);
  return {
    results: resultsPath,
    failed: `${base}.failed.jsonl`,
    state: `${base}.state.json`,
    lock: `${base}.lock`,
  };
}

/**
 * Beside the input: `items.jsonl` → `items.results.jsonl`; any other input keeps its extension
 * (`items.csv` → `items.csv.results.jsonl`), so `reviews.csv` and `reviews.jsonl` never share an output.
 * Stdin has no place to put it, so `-` is refused.
 */
export function defaultOutputPath(inputPath: string): string {
  if (inputPath === '-') {
    throw new UsageError('reading items from stdin needs an output file: pass -o <file> (or -o - for stdout)');
  }
  const parsed = path.parse(inputPath);
  const stem = parsed.ext.toLowerCase() === '.jsonl' ? parsed.name : parsed.base;
  return path.join(parsed.dir, `${stem}.results.jsonl`);
}

function stripResultExtension(filePath: string): string {
  const lower = filePath.toLowerCase();
  const extension = RESULT_EXTENSIONS.find((candidate) => lower.endsWith(candidate));
  return extension === undefined ? filePath : filePath.slice(0, -extension.length);
}
