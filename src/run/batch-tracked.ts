/**
 * A provider batch the run is waiting for: its state-file record and, per custom_id, the items its answer
 * belongs to. Built from a fresh submission or from a record an earlier run left (resume re-attaches).
 */
import type { Reservation } from '../cost/budget-ledger.js';
import type { BatchRecord } from '../journal/state-file.js';

/** One request of a batch and what it answers. */
export interface BatchEntry {
  itemId: string;
  /** Items with an identical request in the same batch: answered by this one, sent once. */
  followers: string[];
  /** Where the answer goes in the response cache; unknown for an item this run never read. */
  cacheKey?: string;
  /** Its worst case held against `--budget` until the result is in. */
  reservation?: Reservation;
}

/** True while a recorded batch's results have not been written to the output (resume re-attaches to it). */
export function isBatchPending(record: BatchRecord): boolean {
  return record.collectedAt === undefined;
}

export class TrackedBatch {
  /** custom_ids whose result is written (a repeated download skips them). */
  readonly collected = new Set<string>();

  constructor(
    public record: BatchRecord,
    readonly entries: Map<string, BatchEntry>,
  ) {}

  /** Re-attach to a batch an earlier run recorded. */
  static fromRecord(record: BatchRecord): TrackedBatch {
    const entries = new Map<string, BatchEntry>();
    const duplicates = record.duplicates ?? {};
    for (const [customId, itemId] of Object.entries(record.customIdMap ?? {})) {
      entries.set(customId, { itemId, followers: duplicates[customId] ?? [] });
    }
    return new TrackedBatch(record, entries);
  }

  /** The record to save the moment the provider assigned an id: the full id map, so resume can find every item. */
  static recordFor(init: Omit<BatchRecord, 'customIdMap' | 'duplicates' | 'itemCount'>, entries: ReadonlyMap<string, BatchEntry>): BatchRecord {
    const customIdMap: Array<[string, string]> = [];
    const duplicates: Array<[string, string[]]> = [];
    let itemCount = 0;
    for (const [customId, entry] of entries) {
      customIdMap.push([customId, entry.itemId]);
      itemCount += 1 + entry.followers.length;
      if (entry.followers.length > 0) duplicates.push([customId, entry.followers]);
    }
    // fromEntries defines own properties, so an id like `__proto__` stays an ordinary key.
    return {
      ...init,
      customIdMap: Object.fromEntries(customIdMap),
      ...(duplicates.length > 0 && { duplicates: Object.fromEntries(duplicates) }),
      itemCount,
    };
  }

  get id(): string {
    return this.record.id;
  }

  get pending(): boolean {
    return isBatchPending(this.record);
  }

  /** Every item id the batch answers. */
  *itemIds(): Generator<string> {
    for (const entry of this.entries.values()) {
      yield entry.itemId;
      yield* entry.followers;
    }
  }

  /** The record once results are written: the id map is no longer needed and would only bloat the state. */
  collectedRecord(status: string, at: string): BatchRecord {
    const { customIdMap: _map, duplicates: _duplicates, ...rest } = this.record;
    return { ...rest, status, collectedAt: at };
  }
}
