/** Starting size in 32-bit words (32,768 lines); doubles when a later line is added. */
const INITIAL_WORDS = 1024;

/**
 * A set of line numbers as a bitmap: a million lines in 125 KB, where a `Set<number>` would take tens of
 * megabytes of the memory bound (SPEC §12). Lines are 1-based and below 2^32.
 */
export class LineSet {
  private bits = new Uint32Array(INITIAL_WORDS);

  add(line: number): void {
    const word = line >>> 5;
    if (word >= this.bits.length) this.grow(word);
    this.bits[word] |= 1 << (line & 31);
  }

  has(line: number): boolean {
    const word = line >>> 5;
    return word < this.bits.length && (this.bits[word] & (1 << (line & 31))) !== 0;
  }

  private grow(word: number): void {
    let size = this.bits.length * 2;
    while (size <= word) size *= 2;
    const grown = new Uint32Array(size);
    grown.set(this.bits);
    this.bits = grown;
  }
}
