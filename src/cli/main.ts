import { CommanderError } from 'commander';
import { EXIT, exitCodeForError, UsageError, type ExitCode } from '../errors.js';
import { OutputWriteError } from '../journal/output-write-error.js';
import { applyEnvFile } from './env-file.js';
import { buildProgram } from './program.js';
import { wrapForStream } from '../ui/wrap-line.js';


/**
 * The process entry: parse, run one command, exit with its code. The only place that exits.
 * User errors print one clear message (no stack); bugs print the stack and ask for a report.
 */
async function main(argv: string[]): Promise<ExitCode> {
  let commandCode: ExitCode = EXIT.ok;
  const program = buildProgram((code) => {
    commandCode = code;
  });
  try {
    applyEnvFile(argv.slice(2), process.env);
    await program.parseAsync(argv);
    return commandCode;
  } catch (error) {
    return reportError(error);
  }
}

function reportError(error: unknown): ExitCode {
  if (error instanceof CommanderError) {
    // Help and --version are "errors" to commander; they already printed what they had to.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof UsageError) {
    printProblem([`llm-batch: ${error.message}`, ...error.details.map((line) => `  ${line}`)]);
    return EXIT.usage;
  }
  if (error instanceof OutputWriteError) {
    // Before any request (opening the output): nothing was sent, so the same command is the way on.
    printProblem([`llm-batch: ${error.message}. Nothing was sent. Fix it, then run the same command again.`]);
    return EXIT.outputError;
  }
  const err = error as Error;
  process.stderr.write(
    `llm-batch: internal error: ${err?.stack ?? String(error)}\nThis is a bug in llm-batch; please report it with the command you ran.\n`,
  );
  return exitCodeForError(error);
}

/** A problem the user can fix, wrapped at word boundaries on a terminal (the same lines, unwrapped, in logs). */
function printProblem(lines: string[]): void {
  process.stderr.write(`${wrapForStream(lines.join('\n'), process.stderr)}\n`);
}

// Last resort: a promise nobody awaited failed. That is a bug; say so and exit 70, never 1 ("items failed").
process.on('unhandledRejection', (reason) => {
  process.exitCode = reportError(reason);
  process.exit(process.exitCode);
});

/** Runs the command, lets stdout drain, exits. No top-level await: the CLI bundle is CommonJS (bin/llm-batch.js). */
async function runAndExit(): Promise<never> {
  const code = await main(process.argv);
  // Let stdout drain (results may stream to a pipe with `-o -`) before exiting — unless the reader is gone
  // (`| head` closed the pipe), in which case nothing will ever drain.
  await new Promise<void>((resolve) => {
    if (!process.stdout.writableNeedDrain || process.stdout.destroyed) return resolve();
    process.stdout.once('drain', resolve).once('close', resolve).once('error', resolve);
  });
  process.exit(code);
}

void runAndExit();
