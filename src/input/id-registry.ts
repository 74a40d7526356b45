/** Starting sizes; every store doubles when full. */
const INITIAL_ENTRIES = 1024;
const INITIAL_BYTES = 16 * 1024;
/** UTF-8 needs at most 3 bytes per UTF-16 code unit (a surrogate pair is 4 bytes for 2 units). */
const MAX_UTF8_BYTES_PER_UNIT = 3;
/** Ids up to this many bytes are copied and compared in JS: cheaper than a native call each time. */
const SHORT_ID_BYTES = 64;
const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * The ids seen so far, each with the line it was first seen on, kept off the JS heap: UTF-8 bytes in one
 * buffer, offsets, lines and an open-addressing hash table in typed arrays. A `Map<string, number>` of a
 * million ids costs ~55 MB of heap and ~115 MB of peak RSS once GC headroom is counted; this costs ~25 MB,
 * which the garbage collector never scans. Lookups compare the bytes, so the answer is exact.
 */
export class IdRegistry {
  private bytes = Buffer.allocUnsafe(INITIAL_BYTES);
  private bytesUsed = 0;
  /** Entry i's bytes are `bytes[ends[i - 1] ?? 0 .. ends[i])`. */
  private ends: Uint32Array = new Uint32Array(INITIAL_ENTRIES);
  private lines: Uint32Array = new Uint32Array(INITIAL_ENTRIES);
  private hashes: Uint32Array = new Uint32Array(INITIAL_ENTRIES);
  /**
   * A 32-bit value per entry (a resumed run keeps each done id's request-hash tag here); 0 when unset.
   * Allocated with the first tag: a run that only checks ids for duplicates never needs it (4 MB at 1M ids).
   */
  private tags: Uint32Array | undefined;
  private count = 0;
  /** Byte length of the id last written by `writeScratch`. */
  private scratchLength = 0;
  /** Entry index + 1 per slot; 0 is empty. Kept at most half full so probes stay short. */
  private slots: Uint32Array = new Uint32Array(INITIAL_ENTRIES * 2);

  /** How many distinct ids were added. */
  get size(): number {
    return this.count;
  }

  /** Adds `id` seen on `line`; when it was already there, returns the line it was first seen on instead. */
  add(id: string, line: number): number | undefined {
    const start = this.writeScratch(id);
    return this.insert(start, start + this.scratchLength, line);
  }

  /**
   * Like `add`, for an id given as its UTF-8 bytes `source[start, end)`: no string is made, which is most
   * of the cost when a resumed run reads a million result lines.
   */
  addBytes(source: Buffer, start: number, end: number, line: number, tag = 0): number | undefined {
    const length = end - start;
    this.reserveBytes(length);
    const at = this.bytesUsed;
    if (length > SHORT_ID_BYTES) source.copy(this.bytes, at, start, end);
    else for (let i = 0; i < length; i += 1) this.bytes[at + i] = source[start + i];
    return this.insert(at, at + length, line, tag);
  }

  /** Like `add`, also setting the id's tag; a tag given again for a known id replaces the old one. */
  addTagged(id: string, line: number, tag: number): number | undefined {
    const start = this.writeScratch(id);
    return this.insert(start, start + this.scratchLength, line, tag);
  }

  /** The tag of `id`; 0 when it has none or was never added. */
  tagOf(id: string): number {
    const start = this.writeScratch(id);
    const end = start + this.scratchLength;
    const found = this.find(start, end, hashBytes(this.bytes, start, end));
    return found >= 0 || this.tags === undefined ? 0 : (this.tags[-found - 1] as number);
  }

  /** Whether `id` was added. */
  has(id: string): boolean {
    const start = this.writeScratch(id);
    const end = start + this.scratchLength;
    return this.find(start, end, hashBytes(this.bytes, start, end)) < 0;
  }

  /**
   * For an id added with line 0 (not seen yet): null when `id` was never added; undefined the first time
   * it is claimed (its line becomes `line`); the first claim's line on every later claim. One lookup does
   * what a membership test plus a second registry would (the resumed pre-scan asks it a million times).
   */
  claim(id: string, line: number): number | null | undefined {
    const start = this.writeScratch(id);
    const end = start + this.scratchLength;
    const found = this.find(start, end, hashBytes(this.bytes, start, end));
    if (found >= 0) return null;
    const entry = -found - 1;
    const first = this.lines[entry];
    if (first !== 0) return first;
    this.lines[entry] = line;
    return undefined;
  }

  /** Writes `id` past the used bytes (not kept unless inserted); returns where it starts. */
  private writeScratch(id: string): number {
    this.reserveBytes(id.length * MAX_UTF8_BYTES_PER_UNIT);
    const at = this.bytesUsed;
    // Short ASCII ids (the usual kind) are copied here: a native write per lookup costs more than the loop.
    if (id.length <= SHORT_ID_BYTES) {
      let i = 0;
      for (; i < id.length; i += 1) {
        const code = id.charCodeAt(i);
        if (code >= 0x80) break;
        this.bytes[at + i] = code;
      }
      if (i === id.length) {
        this.scratchLength = i;
        return at;
      }
    }
    this.scratchLength = this.bytes.write(id, at, 'utf8');
    return at;
  }

  /** Keeps the id at `bytes[start, end)` (just past the used bytes) unless it is there already. */
  private insert(start: number, end: number, line: number, tag = 0): number | undefined {
    const hash = hashBytes(this.bytes, start, end);
    const slot = this.find(start, end, hash);
    if (slot < 0) {
      // The latest record of an id is the one that counts (a redone item's result follows its old one).
      if (tag !== 0) this.tagsFor()[-slot - 1] = tag;
      return this.lines[-slot - 1];
    }
    this.reserveEntry();
    this.ends[this.count] = end;
    this.lines[this.count] = line;
    if (tag !== 0) this.tagsFor()[this.count] = tag;
    this.hashes[this.count] = hash;
    this.count += 1;
    this.bytesUsed = end;
    this.slots[slot] = this.count;
    if (this.count * 2 > this.slots.length) this.rehash();
    return undefined;
  }

  /** The empty slot where these bytes belong, or -(entry + 1) when they are entry's. */
  private find(start: number, end: number, hash: number): number {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (;;) {
      const entry = this.slots[slot];
      if (entry === 0) return slot;
      if (this.hashes[entry - 1] === hash && this.sameBytes(entry - 1, start, end)) return -entry;
      slot = (slot + 1) & mask;
    }
  }

  private sameBytes(entry: number, start: number, end: number): boolean {
    const entryStart = entry === 0 ? 0 : this.ends[entry - 1];
    const entryEnd = this.ends[entry];
    const length = end - start;
    if (entryEnd - entryStart !== length) return false;
    if (length > SHORT_ID_BYTES) return this.bytes.compare(this.bytes, start, end, entryStart, entryEnd) === 0;
    for (let i = 0; i < length; i += 1) if (this.bytes[start + i] !== this.bytes[entryStart + i]) return false;
    return true;
  }

  private reserveBytes(extra: number): void {
    if (this.bytesUsed + extra <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.bytesUsed + extra));
    this.bytes.copy(grown, 0, 0, this.bytesUsed);
    this.bytes = grown;
  }

  private reserveEntry(): void {
    if (this.count < this.ends.length) return;
    this.ends = grow(this.ends);
    this.lines = grow(this.lines);
    this.hashes = grow(this.hashes);
    if (this.tags !== undefined) this.tags = grow(this.tags);
  }

  private tagsFor(): Uint32Array {
    this.tags ??= new Uint32Array(this.ends.length);
    return this.tags;
  }

  private rehash(): void {
    const slots = new Uint32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let entry = 0; entry < this.count; entry += 1) {
      let slot = this.hashes[entry] & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = entry + 1;
    }
    this.slots = slots;
  }
}

function grow(array: Uint32Array): Uint32Array {
  const grown = new Uint32Array(array.length * 2);
  grown.set(array);
  return grown;
}

/** FNV-1a with a final mix, so linear probing on the low bits does not cluster sequential ids. */
function hashBytes(bytes: Buffer, start: number, end: number): number {
  let hash = FNV_OFFSET_BASIS;
  for (let i = start; i < end; i += 1) {
    hash ^= bytes[i];
    hash = Math.imul(hash, FNV_PRIME);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return hash >>> 0;
}
