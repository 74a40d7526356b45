import fs from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { outputPathsFor } from '../journal/output-paths.js';

/** Files a run writes beside a results file; a pattern like `out-*.jsonl` must not pick them up as outputs. */
const RESULT_EXTENSIONS = ['.jsonl', '.ndjson', '.json'];

/**
 * Expands output arguments (SPEC §13: `status`/`export` take several outputs, e.g. shard files).
 * A plain path is kept as given (its existence is checked by the reader, with a better message). A pattern
 * may use `*` (any run of characters) and `?` (one character) in its last path segment only, which is
 * enough for shard files; like a shell, wildcards do not match a leading dot. Matches are sorted
 * naturally (`out-2` before `out-10`), side files (`x.failed.jsonl`, `x.state.json`, `x.lock`) of another
 * file in the directory are left out, and duplicates across arguments are dropped (first one wins).
 * A pattern that matches nothing is a `UsageError`.
 */
export async function expandOutputs(patterns: string[]): Promise<string[]> {
  if (patterns.length === 0) throw new UsageError('expected at least one output file');
  const seen = new Set<string>();
  const expanded: string[] = [];
  for (const pattern of patterns) {
    const paths = hasWildcard(pattern) ? await expandPattern(pattern) : [pattern];
    for (const filePath of paths) {
      const key = path.resolve(filePath);
      if (seen.has(key)) continue;
      seen.add(key);
      expanded.push(filePath);
    }
  }
  return expanded;
}

/** True when the text has a wildcard we expand. */
export function hasWildcard(text: string): boolean {
  return text.includes('*') || text.includes('?');
}

/** Compiles a one-segment wildcard (`*`, `?`; everything else literal) to an anchored regular expression. */
export function compileWildcard(segment: string): RegExp {
  let source = '';
  for (const char of segment) {
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'u');
}

async function expandPattern(pattern: string): Promise<string[]> {
  const directory = path.dirname(pattern);
  const segment = path.basename(pattern);
  if (hasWildcard(directory)) {
    throw new UsageError(`\`${pattern}\`: wildcards are supported in the file name only, not in directories`);
  }
  const names = await listDirectory(directory, pattern);
  const matcher = compileWildcard(segment);
  const sideFiles = sideFilesAmong(names);
  const matches = names
    .filter((name) => !name.startsWith('.') || segment.startsWith('.'))
    .filter((name) => matcher.test(name) && !sideFiles.has(name))
    .sort(compareNatural);
  if (matches.length === 0) {
    throw new UsageError(`no output matches \`${pattern}\``, [`looked in ${path.resolve(directory)}`]);
  }
  // Keep the directory as the user wrote it, so messages show familiar paths.
  return matches.map((name) => path.join(directory, name));
}

async function listDirectory(directory: string, pattern: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(directory, { withFileTypes: true });
    return entries.filter((entry) => entry.isFile() || entry.isSymbolicLink()).map((entry) => entry.name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such directory' : code === 'ENOTDIR' ? 'not a directory' : String(error);
    throw new UsageError(`no output matches \`${pattern}\`: ${path.resolve(directory)}: ${why}`);
  }
}

/** The failures, state and lock files of every results-like file in the listing. */
function sideFilesAmong(names: string[]): Set<string> {
  const present = new Set(names);
  const side = new Set<string>();
  for (const name of names) {
    if (!RESULT_EXTENSIONS.some((extension) => name.toLowerCase().endsWith(extension))) continue;
    const paths = outputPathsFor(name);
    for (const candidate of [paths.failed, paths.state, paths.lock]) {
      if (candidate !== name && present.has(candidate)) side.add(candidate);
    }
  }
  return side;
}

const NATURAL = new Intl.Collator('en', { numeric: true });

function compareNatural(a: string, b: string): number {
  return NATURAL.compare(a, b);
}
