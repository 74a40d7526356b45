import path from 'node:path';
import { UsageError } from '../errors.js';
import { outputPathsFor } from '../journal/output-paths.js';
import { readState } from '../journal/state-file.js';
import { describeInputChange, locateRecordedInput } from './input-of-output.js';
import { toUsageError } from './read-output.js';

/** The input `export` joins results to. */
export interface ExportInput {
  /** Undefined: no input, results are written in file order with an `id` column. */
  path?: string;
  /** What a user should know about the choice (input not found, or changed since the run). */
  notes: string[];
}

/**
 * Picks the input to join: `--input` when given (checked against the fingerprints, with a note when it is
 * not the file the run read); else the one input the outputs' state files name and that is still there.
 * Outputs made from different inputs need `--input`: joining them to one of them would silently drop rows.
 */
export async function resolveExportInput(outputs: string[], explicit?: string): Promise<ExportInput> {
  const states = await Promise.all(
    outputs.map((output) => readState(outputPathsFor(output).state).catch((error: unknown) => {
      throw toUsageError(error, output);
    })),
  );
  const notes: string[] = [];
  if (explicit !== undefined) {
    for (const state of states) {
      const note = state === undefined ? undefined : await describeInputChange(explicit, state.fingerprint.input);
      if (note !== undefined && !notes.includes(note)) notes.push(note);
    }
    return { path: explicit, notes };
  }
  const found = new Map<string, string>();
  for (let i = 0; i < outputs.length; i += 1) {
    const recorded = states[i]?.fingerprint.input;
    if (recorded === undefined) continue;
    const located = await locateRecordedInput(outputs[i], recorded);
    if (located.note !== undefined && !notes.includes(located.note)) notes.push(located.note);
    if (located.path !== undefined) found.set(path.resolve(located.path), located.path);
  }
  if (found.size > 1) {
    throw new UsageError('the outputs were made from different inputs: pass --input <file> to choose the rows to join', [
      ...found.values(),
    ]);
  }
  const [only] = found.values();
  if (only === undefined) {
    notes.push('no input to join: results are written in file order with an id column (pass --input to join)');
    return { notes };
  }
  return { path: only, notes };
}
