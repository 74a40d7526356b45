/**
 * `custom_id`s for batch requests. Item ids may be anything (spaces, unicode, 200 characters); Anthropic
 * accepts only `^[a-zA-Z0-9_-]{1,64}$`. One rule for both providers keeps state files portable.
 */

/** Anthropic's rule for a custom_id. */
export const SAFE_CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;

/** True when `id` can be sent as a custom_id as it is. */
export function isSafeCustomId(id: string): boolean {
  return SAFE_CUSTOM_ID.test(id);
}

/**
 * Hands out custom_ids unique within one batch: the item id itself when it is safe and still free (so
 * provider dashboards show recognisable ids), else `i` + a base-36 counter that skips ids already taken.
 */
export class CustomIdAllocator {
  readonly #used = new Set<string>();
  #counter = 0;

  /** The custom_id for `itemId`; never the same twice from one allocator. */
  allocate(itemId: string): string {
    if (isSafeCustomId(itemId) && !this.#used.has(itemId)) {
      this.#used.add(itemId);
      return itemId;
    }
    let id: string;
    do {
      this.#counter += 1;
      id = `i${this.#counter.toString(36)}`;
    } while (this.#used.has(id));
    this.#used.add(id);
    return id;
  }
}
