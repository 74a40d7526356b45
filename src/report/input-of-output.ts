import fs from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { detectFormat } from '../input/detect-format.js';
import type { InputFormat } from '../input/types.js';
import { fingerprintInput, type InputFingerprint } from '../journal/fingerprint.js';

const INPUT_FORMATS: readonly string[] = ['jsonl', 'csv', 'tsv', 'json'];

/** Where an output's input is now, or why it cannot be used. */
export interface LocatedInput {
  /** A readable file; undefined when none was found. */
  path?: string;
  /** Why there is no path, or what is doubtful about it (the file changed since the run). */
  note?: string;
}

/**
 * Finds the input recorded in an output's state. The state keeps the path as typed on the command line,
 * relative to wherever the run was started, so besides that path we try it relative to the output's
 * directory and, last, a file of the same name beside the output (the usual layout). Candidates are compared
 * with the recorded size and head hash: the first that matches wins; else the first found, with a note.
 */
export async function locateRecordedInput(resultsPath: string, recorded: InputFingerprint): Promise<LocatedInput> {
  if (recorded.path === '-') {
    return { note: 'the run read stdin, so the input is unknown: pass --input <file>' };
  }
  const outputDir = path.dirname(resultsPath);
  const candidates = [
    recorded.path,
    ...(path.isAbsolute(recorded.path) ? [] : [path.join(outputDir, recorded.path)]),
    path.join(outputDir, path.basename(recorded.path)),
  ];
  // The cwd may hold an unrelated file of that name: prefer a candidate that is the file the run read.
  let changed: LocatedInput | undefined;
  for (const candidate of candidates) {
    if (!(await isReadableFile(candidate))) continue;
    const note = await describeInputChange(candidate, recorded);
    if (note === undefined) return { path: candidate };
    changed ??= { path: candidate, note };
  }
  if (changed !== undefined) return changed;
  return { note: `the run's input ${recorded.path} was not found: pass --input <file>` };
}

/**
 * One sentence when `filePath` is not the input the run fingerprinted (shrank, or a different head);
 * undefined when it is the same file or the same file with rows appended.
 */
export async function describeInputChange(filePath: string, recorded: InputFingerprint): Promise<string | undefined> {
  if (recorded.path === '-') return undefined;
  let current: InputFingerprint;
  try {
    current = await fingerprintInput(filePath, { headBytes: recorded.headBytes });
  } catch {
    return undefined;
  }
  if (current.size < recorded.size) {
    return `${filePath} shrank since the run (${recorded.size} → ${current.size} bytes): ids by row number may not match`;
  }
  if (current.headHash !== recorded.headHash) {
    return `${filePath} is not the file the run read (its first ${recorded.headBytes} bytes differ)`;
  }
  return undefined;
}

/**
 * How to read an input: `--input-format`, else its extension. Worded for `status`/`export`, where `--format`
 * means the export format, not the input's.
 */
export function inputFormatOf(filePath: string, override?: string): InputFormat {
  if (override !== undefined && !INPUT_FORMATS.includes(override.toLowerCase())) {
    throw new UsageError(`Expected \`--input-format\` to be one of ${INPUT_FORMATS.join(', ')}, got \`${override}\``);
  }
  try {
    return detectFormat(filePath, override);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new UsageError(`cannot tell how to read ${filePath} from its extension: pass --input-format jsonl|csv|tsv`);
  }
}

async function isReadableFile(filePath: string): Promise<boolean> {
  try {
    const stats = await fs.stat(filePath);
    if (!stats.isFile()) return false;
    await fs.access(filePath, fs.constants.R_OK);
    return true;
  } catch {
    return false;
  }
}
