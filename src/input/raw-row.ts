/** Lines (1-based) a reader passes over without parsing. */
export interface LineFilter {
  has(line: number): boolean;
}

/**
 * What a format reader yields before ids are assigned: a parsed row, or why its line could not be read.
 * Readers never throw for a bad row, so one broken line cannot hide the rest of the file.
 */
export type RawRow =
  | { kind: 'row'; line: number; data: Record<string, unknown> }
  | { kind: 'bad'; line: number; message: string }
  /** A line the caller asked to pass over unparsed (see `ReadInputOptions.skipLines`); still a row. */
  | { kind: 'skipped'; line: number };
