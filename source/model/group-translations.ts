/**
 * The checkpoints MM2 wrote for one consumer group (its offset translations), kept as columns.
 *
 * The scaled lab holds about 41,000 checkpoints. As objects each took 72 bytes, 16 more for its
 * timestamp (a number past 2^31 is a box of its own in a field) and a slot in three lists (the store's,
 * the handed-out list and the group's): about 110 bytes. Here a checkpoint is four numbers in one array
 * per group (32 bytes), sorted by topic, then partition; a Translation object is made only for what is
 * shown or printed (`at`, iteration).
 */
import type { Translation } from '../monitor/snapshot.js';
import { inlineNumber } from '../util/number.js';
import { compareNames } from './name-order.js';

/** Numbers per checkpoint in `cells`: partition, upstream offset, downstream offset, record timestamp. */
const WIDTH = 4;
const PARTITION = 0;
const UPSTREAM = 1;
const DOWNSTREAM = 2;
const TIMESTAMP = 3;

export class GroupTranslations implements Iterable<Translation> {
  static readonly EMPTY = new GroupTranslations([], [0], []);

  /**
   * From checkpoints in any order; of two for one partition, the later one in `rows` counts (the store's
   * newest). Topic names are kept as the first row of each topic has them.
   */
  static of(rows: Iterable<Translation>): GroupTranslations {
    const byTopic = new Map<string, Map<number, Translation>>();
    for (const r of rows) {
      let partitions = byTopic.get(r.topic);
      if (!partitions) {
        partitions = new Map();
        byTopic.set(r.topic, partitions);
      }
      partitions.set(r.partition, r);
    }
    if (byTopic.size === 0) return GroupTranslations.EMPTY;
    const topics = [...byTopic.keys()].sort(compareNames);
    const starts: number[] = [];
    const cells: number[] = [];
    for (const topic of topics) {
      starts.push(cells.length / WIDTH);
      const partitions = byTopic.get(topic) as Map<number, Translation>;
      for (const partition of [...partitions.keys()].sort((a, b) => a - b)) {
        const r = partitions.get(partition) as Translation;
        cells.push(partition, r.upstreamOffset, r.downstreamOffset, r.recordTimestampMs);
      }
    }
    starts.push(cells.length / WIDTH);
    return new GroupTranslations(topics, starts, cells.slice());
  }

  readonly length: number;
  /** The newest checkpoint's record timestamp; 0 when there is none. */
  readonly newestTimestampMs: number;

  private constructor(
    /** Sorted by code unit (compareNames). */
    private readonly topics: readonly string[],
    /** Where each topic's checkpoints start, and the end of the last: topics.length + 1 positions. */
    private readonly starts: readonly number[],
    private readonly cells: readonly number[],
  ) {
    this.length = cells.length / WIDTH;
    let newest = 0;
    for (let i = 0; i < this.length; i++) newest = Math.max(newest, cells[i * WIDTH + TIMESTAMP] as number);
    this.newestTimestampMs = newest;
  }

  /** [start, end) of `topic`'s checkpoints; empty when there are none. */
  topicRun(topic: string): [number, number] {
    let lo = 0;
    let hi = this.topics.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.topics[mid] as string) < topic) lo = mid + 1;
      else hi = mid;
    }
    if (this.topics[lo] !== topic) return [0, 0];
    return [this.starts[lo] as number, this.starts[lo + 1] as number];
  }

  topic(i: number): string {
    // The last topic whose run starts at or before i.
    let lo = 0;
    let hi = this.topics.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((this.starts[mid] as number) <= i) lo = mid;
      else hi = mid - 1;
    }
    return this.topics[lo] as string;
  }

  partition(i: number): number {
    return this.cells[i * WIDTH + PARTITION] as number;
  }

  upstreamOffset(i: number): number {
    return inlineNumber(this.cells[i * WIDTH + UPSTREAM] as number);
  }

  downstreamOffset(i: number): number {
    return inlineNumber(this.cells[i * WIDTH + DOWNSTREAM] as number);
  }

  recordTimestampMs(i: number): number {
    return this.cells[i * WIDTH + TIMESTAMP] as number;
  }

  /** The checkpoint at `i` as an object: for what is shown or printed. */
  at(i: number): Translation {
    return {
      topic: this.topic(i),
      partition: this.partition(i),
      upstreamOffset: this.upstreamOffset(i),
      downstreamOffset: this.downstreamOffset(i),
      recordTimestampMs: this.recordTimestampMs(i),
    };
  }

  *[Symbol.iterator](): Iterator<Translation> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }

  rows(): Translation[] {
    const rows = new Array<Translation>(this.length);
    for (let i = 0; i < this.length; i++) rows[i] = this.at(i);
    return rows;
  }
}
