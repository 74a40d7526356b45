/**
 * A fault of the machine, not of the API (issue 17): an output file could not be written (disk full,
 * read-only file system, I/O error, quota, permissions). The run stops with exit 74 and says which file,
 * why, and how to continue; it is not a bug of llm-batch.
 */

/** errno codes that mean "the file system refused the write", in plain words. */
const WRITE_FAULTS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EIO: 'an I/O error of the disk',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EFBIG: 'the file is too large for the file system',
};

export class OutputWriteError extends Error {
  override readonly name = 'OutputWriteError';
  constructor(
    readonly file: string,
    readonly code: string,
    readonly reason: string,
  ) {
    super(`cannot write ${file}: ${reason} (${code})`);
  }
}

/** The error as an OutputWriteError when it is a write fault of the file system; undefined otherwise. */
export function asOutputWriteError(error: unknown, file: string): OutputWriteError | undefined {
  if (error instanceof OutputWriteError) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code !== 'string') return undefined;
  const reason = WRITE_FAULTS[code];
  return reason === undefined ? undefined : new OutputWriteError(file, code, reason);
}
