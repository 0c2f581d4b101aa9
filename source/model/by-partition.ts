/**
 * Values by partition number, kept from the lowest partition set: a group that commits partitions
 * 90 to 99 of a topic keeps ten slots, not a hundred (sparse lists per group and topic were 16 MB of
 * empty slots at 10,000 groups). Grows down as well as up.
 */
export class ByPartition<T> {
  #first = 0;
  #values: Array<T | undefined>;

  /** `first` and `size`, when known, size the list at once (grown one partition at a time it keeps up to half again as many slots). */
  constructor(first = 0, size = 0) {
    this.#first = first;
    this.#values = size > 0 ? new Array<T | undefined>(size) : [];
  }

  get(partition: number): T | undefined {
    return partition >= this.#first ? this.#values[partition - this.#first] : undefined;
  }

  set(partition: number, value: T): void {
    if (this.#values.length === 0) this.#first = partition;
    else if (partition < this.#first) {
      this.#values = [...new Array<T | undefined>(this.#first - partition), ...this.#values];
      this.#first = partition;
    }
    this.#values[partition - this.#first] = value;
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
