import { dirname } from 'node:path';
import type { OutputWriteError } from '../journal/output-write-error.js';

/** The one paragraph a run stopped by a refused write ends with (the resume command follows it). */
export function describeWriteError(error: OutputWriteError): string {
  const fix =
    error.code === 'ENOSPC' || error.code === 'EDQUOT' || error.code === 'EFBIG'
      ? 'free some space'
      : `make ${dirname(error.file)} writable (or check the disk)`;
  return (
    `${error.message}. The run stopped: everything written before is kept, and items whose answers could not ` +
    `be written will be asked again. ${fix[0].toUpperCase()}${fix.slice(1)}, then continue with the resume command.`
  );
}
