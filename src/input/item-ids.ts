/** The key that holds ids when `--id-field` is not given and the first item has it. */
const DEFAULT_ID_FIELD = 'id';

/** An id, or why a row has none. */
export type IdResult = { id: string } | { error: string };

/**
 * Gives every row its id (SPEC §2 `--id-field`): the named field; else `id` when the FIRST item has an
 * `id` key (then every item must have one); else the 1-based row number. Ids are strings.
 */
export class IdReader {
  private field: string | undefined;
  private decided: boolean;

  constructor(idField?: string) {
    this.field = idField;
    this.decided = idField !== undefined;
  }

  /** The id of the row at 1-based `index` with these fields. */
  read(data: Record<string, unknown>, index: number): IdResult {
    if (!this.decided) {
      this.decided = true;
      this.field = Object.hasOwn(data, DEFAULT_ID_FIELD) ? DEFAULT_ID_FIELD : undefined;
    }
    if (this.field === undefined) return { id: String(index) };
    return readIdField(data, this.field);
  }
}

function readIdField(data: Record<string, unknown>, field: string): IdResult {
  const value = Object.hasOwn(data, field) ? data[field] : undefined;
  if (value === undefined || value === null || value === '') {
    return { error: `missing id field \`${field}\`` };
  }
  if (typeof value === 'string') return { id: value };
  if (typeof value === 'number' && Number.isFinite(value)) return { id: String(value) };
  return { error: `id field \`${field}\` must be a string or a number, got ${describe(value)}` };
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return String(value);
  return `a ${typeof value}`;
}
