/**
 * @module
 * A fixed-size set of row numbers, one bit per row.
 */

/** A set of rows `0..size-1`, one bit each. */
export class RowBitset {
  readonly words: Uint32Array;

  constructor(readonly size: number) {
    this.words = new Uint32Array((size + 31) >>> 5);
  }

  /** A bitset holding `rows`. */
  static of(size: number, rows: ArrayLike<number>): RowBitset {
    const set = new RowBitset(size);
    for (let k = 0; k < rows.length; k++) set.add(rows[k]!);
    return set;
  }

  /** Adds `row`. */
  add(row: number): void {
    this.words[row >>> 5]! |= 1 << (row & 31);
  }

  /** True when `row` is in the set. */
  has(row: number): boolean {
    return (this.words[row >>> 5]! & (1 << (row & 31))) !== 0;
  }
}
