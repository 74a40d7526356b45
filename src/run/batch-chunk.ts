/**
 * The batch being filled: encoded requests within the provider's limits (requests and bytes), their
 * custom_ids, and identical requests folded into one. Only one chunk is in memory at a time.
 */
import type { Reservation } from '../cost/budget-ledger.js';
import { CustomIdAllocator } from '../providers/batch/custom-ids.js';
import type { BatchLimits } from '../providers/batch/types.js';
import type { BatchEntry } from './batch-tracked.js';

/** Each encoded request is followed by one separator byte (a newline, or a comma in a JSON array). */
const SEPARATOR_BYTES = 1;

export type AddResult = 'added' | 'full' | 'too-large';

export class BatchChunk {
  readonly lines: string[] = [];
  readonly entries = new Map<string, BatchEntry>();
  #bytes = 0;
  readonly #ids = new CustomIdAllocator();
  readonly #byCacheKey = new Map<string, BatchEntry>();

  constructor(private readonly limits: BatchLimits) {}

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Attach `itemId` to an identical request already in this chunk; false when there is none. */
  follow(cacheKey: string, itemId: string): boolean {
    const leader = this.#byCacheKey.get(cacheKey);
    if (leader === undefined) return false;
    leader.followers.push(itemId);
    return true;
  }

  /**
   * Add one request. `full`: it does not fit, send this chunk and add it to the next one. `too-large`: it
   * would not fit even alone, so no batch can carry it.
   */
  add(itemId: string, cacheKey: string, encode: (customId: string) => string, reservation?: Reservation): AddResult {
    if (this.entries.size >= this.limits.maxRequests) return 'full';
    const customId = this.#ids.allocate(itemId);
    const line = encode(customId);
    const lineBytes = Buffer.byteLength(line) + SEPARATOR_BYTES;
    if (this.#bytes + lineBytes > this.limits.maxBytes) return this.entries.size === 0 ? 'too-large' : 'full';
    const entry: BatchEntry = { itemId, followers: [], cacheKey, ...(reservation && { reservation }) };
    this.lines.push(line);
    this.entries.set(customId, entry);
    this.#byCacheKey.set(cacheKey, entry);
    this.#bytes += lineBytes;
    return 'added';
  }
}
