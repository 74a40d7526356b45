import { UsageError } from '../errors.js';
import type { PrescanResult } from '../input/prescan.js';
import type { EventSink } from './events.js';

/**
 * What the pre-scan learned that the user must hear before anything is sent (SPEC §3, §7): ids that are
 * row numbers (said at every start, with the column that looks like the real id), and done items whose
 * content changed since their answers were recorded — redone with real ids; refused with row numbers,
 * where a changed row almost always means rows were inserted or removed and every later answer would be
 * one row off.
 */
export function checkScan(inputPath: string, scan: Pick<PrescanResult, 'ids' | 'changed' | 'firstChangedLine'>, emit: EventSink): void {
  const rowNumbers = scan.ids?.rowNumbers === true;
  const likely = scan.ids?.likelyIdField;
  const fix = likely === undefined ? 'an id column with --id-field <name>' : `--id-field ${likely}`;
  if (rowNumbers && scan.changed > 0) {
    throw new UsageError(
      `${scan.changed} rows of ${inputPath} differ from what their recorded answers were asked for (first on line ${scan.firstChangedLine}); ids are row numbers, so rows were likely inserted or removed, and resuming would attach answers to the wrong rows`,
      [
        `restore the input as it was and add new rows only at the end, or start a new output with ${fix} (or --overwrite)`,
      ],
    );
  }
  if (rowNumbers) {
    emit({
      type: 'warning',
      message:
        likely === undefined
          ? `items have no "id" field, so their ids are row numbers: add rows only at the end between resumes, or name an id column with --id-field`
          : `items have no "id" field, so their ids are row numbers; "${likely}" looks like an id column: add --id-field ${likely}`,
    });
  }
  if (scan.changed > 0) {
    emit({
      type: 'warning',
      message: `${scan.changed} items changed since their answers were recorded (first on line ${scan.firstChangedLine}): redoing them`,
    });
  }
}
