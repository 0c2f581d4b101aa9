/**
 * Values by partition number, kept from the lowest partition set: a group that commits partitions
 * 90 to 99 of a topic keeps ten slots, not a hundred (sparse lists per group and topic were 16 MB of
 * empty slots at 10,000 groups). Grows down as well as up.
 *
 * Partition numbers come from the wire: only whole numbers from 0 to 2^20 - 1 are kept (no topic comes
 * near a million partitions), so a bad number costs at most that many slots, never a hang.
 */
export class ByPartition<T> {
  static readonly LIMIT = 1 << 20;

  #first = 0;
  #values: Array<T | undefined>;

  /** `first` and `size`, when known, size the list at once (grown one partition at a time it keeps up to half again as many slots). */
  constructor(first = 0, size = 0) {
    const sized = Number.isInteger(first) && first >= 0 && size > 0 && first + size <= ByPartition.LIMIT;
    this.#first = sized ? first : 0;
    this.#values = sized ? new Array<T | undefined>(size) : [];
  }

  /**
   * The partitions from `start` (inclusive) to `end` (exclusive) are all that can hold a value, for a
   * loop in the caller's own body: V8 keeps the optimized code of a closure only while the closure
   * lives, and a closure passed to forEach on every refresh was compiled again, refresh after refresh.
   */
  get start(): number {
    return this.#first;
  }

  get end(): number {
    return this.#first + this.#values.length;
  }

  get(partition: number): T | undefined {
    return partition >= this.#first ? this.#values[partition - this.#first] : undefined;
  }

  /** Sets the value of `partition`; false, and nothing kept, for a number outside 0 .. LIMIT - 1. */
  set(partition: number, value: T): boolean {
    if (!Number.isInteger(partition) || partition < 0 || partition >= ByPartition.LIMIT) return false;
    if (this.#values.length === 0) this.#first = partition;
    else if (partition < this.#first) {
      const shift = this.#first - partition;
      const grown = new Array<T | undefined>(this.#values.length + shift);
      for (let i = 0; i < this.#values.length; i++) grown[i + shift] = this.#values[i];
      this.#values = grown;
      this.#first = partition;
    }
    this.#values[partition - this.#first] = value;
    return true;
  }

  /** Removes the value of `partition`; whether there was one. */
  delete(partition: number): boolean {
    if (this.get(partition) === undefined) return false;
    this.#values[partition - this.#first] = undefined;
    return true;
  }

  /** [partition, value] of each partition that has a value, lowest first. */
  entries(): Array<[number, T]> {
    const out: Array<[number, T]> = [];
    this.forEach((value, partition) => {
      out.push([partition, value]);
    });
    return out;
  }

  /** Each partition that has a value, lowest first. */
  forEach(visit: (value: T, partition: number) => void): void {
    const values = this.#values;
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (value !== undefined) visit(value, this.#first + i);
    }
  }
}
