/** One input row: a JSON object from a JSONL line or a CSV/TSV row keyed by the header. */
export interface Item {
  /** The item's id as a string: the `--id-field` value, else the 1-based row number. */
  id: string;
  /** 1-based position among items (data rows; blank JSONL lines and the CSV header are not counted). */
  index: number;
  /** 1-based physical line in the file where the item starts (for error messages). */
  line: number;
  /** The item's fields: the template variables. */
  data: Record<string, unknown>;
}

/** A row that could not become an item (malformed JSON, missing/duplicate id, bad CSV row). */
export interface BadRow {
  line: number;
  /** The id if one could be read, so `--on-bad-item skip` can record it. */
  id?: string;
  message: string;
}

/** `json`: a top-level array of objects, read as a stream. */
export type InputFormat = 'jsonl' | 'csv' | 'tsv' | 'json';

export interface InputSource {
  /** A file path, or `-` for stdin. */
  path: string;
  format: InputFormat;
  /** @default 'id' if the first item has it, else the row number */
  idField?: string;
  /** `--sample`: only these ids are items; the rest are passed over like other shards' items. */
  only?: ReadonlySet<string>;
}

/** What the reader yields: items, and bad rows in their place so line order is preserved. */
export type InputEvent = { kind: 'item'; item: Item } | { kind: 'bad-row'; row: BadRow };
