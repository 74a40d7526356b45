import type { Writable } from 'node:stream';
import { EXIT, type ExitCode } from '../errors.js';
import { expandOutputs } from '../report/expand-outputs.js';
import { readOutputStatus } from '../report/status.js';
import { formatStatus } from '../ui/format-status.js';

/** Flags of `llm-batch status`. */
export interface StatusFlags {
  /** Print the {@link OutputStatus} document as JSON instead of the human block. @default false */
  json?: boolean;
  /** Count pending items against this input. @default the input named in the state file */
  input?: string;
  /** The input's format. @default by its extension */
  inputFormat?: string;
  /** The run's `--id-field` (not recorded in the state). @default `id` if present, else the row number */
  idField?: string;
}

/** Where a command writes; tests pass buffers. */
export interface CommandIo {
  stdout: Writable;
  stderr: Writable;
}

const PROCESS_IO: CommandIo = { stdout: process.stdout, stderr: process.stderr };

/** `llm-batch status <output...>`: what the outputs hold, each and merged. Reads files only. */
export async function statusCommand(outputs: string[], flags: StatusFlags, io: CommandIo = PROCESS_IO): Promise<ExitCode> {
  const paths = await expandOutputs(outputs);
  const status = await readOutputStatus(paths, {
    input: flags.input,
    inputFormat: flags.inputFormat,
    idField: flags.idField,
  });
  io.stdout.write(flags.json === true ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status));
  return EXIT.ok;
}
