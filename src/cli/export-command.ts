import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { EXIT, UsageError, type ExitCode } from '../errors.js';
import { outputPathsFor } from '../journal/output-paths.js';
import { expandOutputs } from '../report/expand-outputs.js';
import { EXPORT_FORMATS, exportResults, type ExportFormat, type ExportSummary } from '../report/export.js';
import { formatCount, sanitizeText } from '../ui/format.js';
import type { CommandIo } from './status-command.js';

/** Flags of `llm-batch export`. */
export interface ExportFlags {
  /** The input to join. @default the input named in the outputs' state files */
  input?: string;
  /** The input's format. @default by its extension */
  inputFormat?: string;
  /** `csv`, `jsonl` or `json`. @default by the `-o` extension, else `csv` */
  format?: string;
  /** The file to write; `-` or absent: stdout. */
  output?: string;
  /** `--bom` / `--no-bom`: a UTF-8 byte-order mark at the start of a CSV. @default as the input had */
  bom?: boolean;
  /** Also write failed and not-yet-processed items (with an `error` column). @default false */
  includeFailed?: boolean;
  /** The run's `--id-field`. @default `id` if present, else the row number */
  idField?: string;
}

const FORMAT_BY_EXTENSION: Record<string, ExportFormat> = {
  '.csv': 'csv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.json': 'json',
};
const STDOUT = '-';
const PROCESS_IO: CommandIo = { stdout: process.stdout, stderr: process.stderr };

/**
 * `llm-batch export <output...>`: results joined to their input rows. A file target is written to a temp
 * file and renamed at the end, so a failed export never leaves half a file, nor replaces an input or output.
 */
export async function exportCommand(outputs: string[], flags: ExportFlags, io: CommandIo = PROCESS_IO): Promise<ExitCode> {
  const paths = await expandOutputs(outputs);
  const target = flags.output ?? STDOUT;
  const exportFormat = chooseFormat(flags.format, target);
  if (target !== STDOUT) refuseOverwrite(target, paths, flags.input);
  const run = (out: Writable): Promise<ExportSummary> =>
    exportResults({
      outputs: paths,
      input: flags.input,
      inputFormat: flags.inputFormat,
      idField: flags.idField,
      format: exportFormat,
      includeFailed: flags.includeFailed === true,
      bom: flags.bom,
      out,
    });
  let summary: ExportSummary;
  if (target === STDOUT) {
    try {
      summary = await run(io.stdout);
    } catch (error) {
      // `export … | head`: the reader has all it wanted.
      if ((error as NodeJS.ErrnoException).code === 'EPIPE') return EXIT.ok;
      throw error;
    }
  } else {
    summary = await writeFileAtomically(target, run);
  }
  for (const note of summary.notes) io.stderr.write(`llm-batch: note: ${sanitizeText(note)}\n`);
  io.stderr.write(`${describeSummary(summary, target)}\n`);
  return EXIT.ok;
}

function chooseFormat(flag: string | undefined, target: string): ExportFormat {
  if (flag !== undefined) {
    const chosen = flag.toLowerCase() as ExportFormat;
    if (!EXPORT_FORMATS.includes(chosen)) {
      throw new UsageError(`Expected \`--format\` to be one of ${EXPORT_FORMATS.join(', ')}, got \`${flag}\``);
    }
    return chosen;
  }
  return FORMAT_BY_EXTENSION[path.extname(target).toLowerCase()] ?? 'csv';
}

/** `-o` naming a file we read would destroy it. The input picked from a state file is checked after the export. */
function refuseOverwrite(target: string, outputs: string[], input: string | undefined): void {
  const resolved = path.resolve(target);
  const read = outputs.flatMap((output) => {
    const files = outputPathsFor(output);
    return [files.results, files.failed, files.state];
  });
  if (input !== undefined) read.push(input);
  if (read.some((file) => path.resolve(file) === resolved)) {
    throw new UsageError(`refusing to export into ${target}: export reads that file`);
  }
}

async function writeFileAtomically(target: string, run: (out: Writable) => Promise<ExportSummary>): Promise<ExportSummary> {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const out = await openTemp(temp, target);
  try {
    const summary = await run(out);
    out.end();
    await finished(out);
    if (summary.input !== null && path.resolve(summary.input) === path.resolve(target)) {
      throw new UsageError(`refusing to export into ${target}: it is the input the results were joined to`);
    }
    fs.renameSync(temp, target);
    return summary;
  } catch (error) {
    out.destroy();
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

async function openTemp(temp: string, target: string): Promise<fs.WriteStream> {
  const out = fs.createWriteStream(temp, { flags: 'wx' });
  try {
    await new Promise<void>((resolve, reject) => {
      out.once('open', () => resolve());
      out.once('error', reject);
    });
    return out;
  } catch (error) {
    throw new UsageError(`cannot write ${target}: ${(error as Error).message}`);
  }
}

function describeSummary(summary: ExportSummary, target: string): string {
  const parts = [`${formatCount(summary.done)} done`];
  if (summary.failed > 0) parts.push(`${formatCount(summary.failed)} failed`);
  if (summary.pending > 0) parts.push(`${formatCount(summary.pending)} not processed`);
  const where = target === STDOUT ? 'stdout' : sanitizeText(target);
  const joined = summary.input === null ? 'without input' : `joined to ${sanitizeText(summary.input)}`;
  return `llm-batch: exported ${formatCount(summary.rows)} rows (${parts.join(', ')}) ${joined} to ${where}`;
}
