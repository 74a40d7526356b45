import { readInput } from '../input/open-input.js';
import { shardOf, type Shard } from '../input/shard.js';
import type { InputSource } from '../input/types.js';

/** One output's view of the input: what it holds and which items are its own. */
export interface PendingScope {
  /** Ids with a result. */
  done: ReadonlySet<string>;
  /** Ids whose latest record is a failure (and that have no result). */
  failed: ReadonlyMap<string, unknown>;
  /** Only this shard's items are the output's; undefined means the whole input. */
  shard?: Shard;
}

/** Input items of a scope, by what the outputs hold for them. */
export interface PendingTally {
  inScope: number;
  done: number;
  failed: number;
  /** Neither done nor failed. */
  pending: number;
}

/** What {@link countPending} found. */
export interface PendingCounts {
  /** One tally per scope, in the order given. */
  perScope: PendingTally[];
  /** Items in any scope, done or failed in any output: the merged view of shards of one input. */
  union: PendingTally;
  /** Rows that are not items (malformed, without an id): never pending, never sent. */
  badRows: number;
}

/**
 * Streams the input once and tallies every scope at the same time, so N shard outputs of one input cost
 * one read, not N. Memory stays that of the done/failed sets the caller already holds.
 */
export async function countPending(source: InputSource, scopes: PendingScope[]): Promise<PendingCounts> {
  const perScope = scopes.map(emptyTally);
  const union = emptyTally();
  let badRows = 0;
  for await (const event of readInput(source)) {
    if (event.kind !== 'item') {
      badRows += 1;
      continue;
    }
    const id = event.item.id;
    let inAnyScope = false;
    for (let i = 0; i < scopes.length; i += 1) {
      const scope = scopes[i];
      if (scope.shard !== undefined && shardOf(id, scope.shard.count) !== scope.shard.index) continue;
      inAnyScope = true;
      tallyItem(perScope[i], scope.done.has(id), scope.failed.has(id));
    }
    if (!inAnyScope) continue;
    const done = scopes.some((scope) => scope.done.has(id));
    tallyItem(union, done, !done && scopes.some((scope) => scope.failed.has(id)));
  }
  return { perScope, union, badRows };
}

function tallyItem(tally: PendingTally, done: boolean, failed: boolean): void {
  tally.inScope += 1;
  if (done) tally.done += 1;
  else if (failed) tally.failed += 1;
  else tally.pending += 1;
}

function emptyTally(): PendingTally {
  return { inScope: 0, done: 0, failed: 0, pending: 0 };
}
