/**
 * A consumer group's partitions, kept as columns rather than one object each.
 *
 * A group's partitions are most of a snapshot: 141,000 on the scaled lab (1,000 groups a side), which
 * as objects took 64 bytes each and a slot of 8 in the group's array, and which the old generation's
 * collector marks one by one. Here a partition is four numbers in one array per group (32 bytes, which
 * the collector does not look into), and its owner a slot in a second array only for a group with
 * members. The passes that run on every refresh (the offset history, the reuse and unchanged checks,
 * the checkpoint coverage) read the columns in place; a `CommittedPartition` object is made only for
 * what is shown or printed (`at`, iteration).
 */
import { inlineNumber } from '../util/number.js';
import { CommittedPartition } from './lag.js';

/** A group partition as an object: what GroupPartitions.of takes (CommittedPartition is one). */
export interface GroupPartitionRow<Owner> {
  topic: string;
  partition: number;
  committed: number | null;
  logEnd: number | null;
  belowLogStart: boolean;
  owner: Owner | null;
}

/** Numbers per partition in `cells`: topic (its index × 2, plus 1 when below the log start), partition, committed, log end. */
const WIDTH = 4;
const TOPIC = 0;
const PARTITION = 1;
const COMMITTED = 2;
const LOG_END = 3;

function unknownAsMinusOne(n: number | null): number {
  return n !== null && Number.isFinite(n) && n >= 0 ? n : -1;
}

export class GroupPartitions<Owner extends object> implements Iterable<CommittedPartition<Owner>> {
  /**
   * From rows in the order given, each topic's brought together where they were apart (at the place of
   * the topic's first). read-cluster.ts gives them sorted by topic, then partition.
   */
  static of<Owner extends object>(rows: Iterable<GroupPartitionRow<Owner>>): GroupPartitions<Owner> {
    const byTopic = new Map<string, GroupPartitionRow<Owner>[]>();
    for (const r of rows) {
      const list = byTopic.get(r.topic);
      if (list) list.push(r);
      else byTopic.set(r.topic, [r]);
    }
    const builder = new GroupPartitionsBuilder<Owner>();
    for (const list of byTopic.values())
      for (const r of list)
        builder.add(r.topic, r.partition, r.committed, r.logEnd, r.belowLogStart === true, r.owner ?? null);
    return builder.build();
  }

  readonly length: number;

  /** @internal Use GroupPartitions.of or GroupPartitionsBuilder. */
  constructor(
    /** Each topic once, in the order of its run. */
    private readonly topics: readonly string[],
    /** Where each topic's run starts, and the end of the last: topics.length + 1 positions. */
    private readonly starts: readonly number[],
    private readonly cells: readonly number[],
    /** By position; null when no partition has an owner (a group without members). */
    private readonly owners: ReadonlyArray<Owner | null> | null,
  ) {
    this.length = cells.length / WIDTH;
  }

  topic(i: number): string {
    return this.topics[(this.cells[i * WIDTH + TOPIC] as number) >> 1] as string;
  }

  /** The position of `topic` in this group's topic list, -1 when it has none of it: compare with topicIndex. */
  topicIndexOf(topic: string): number {
    return this.topics.indexOf(topic);
  }

  /** A number that is the same for two positions on the same topic. */
  topicIndex(i: number): number {
    return (this.cells[i * WIDTH + TOPIC] as number) >> 1;
  }

  partition(i: number): number {
    return this.cells[i * WIDTH + PARTITION] as number;
  }

  /** null when the group has none for this partition. */
  committed(i: number): number | null {
    const n = this.cells[i * WIDTH + COMMITTED] as number;
    return n < 0 ? null : inlineNumber(n);
  }

  logEnd(i: number): number | null {
    const n = this.cells[i * WIDTH + LOG_END] as number;
    return n < 0 ? null : inlineNumber(n);
  }

  belowLogStart(i: number): boolean {
    return ((this.cells[i * WIDTH + TOPIC] as number) & 1) === 1;
  }

  owner(i: number): Owner | null {
    return this.owners === null ? null : (this.owners[i] ?? null);
  }

  /** LAG as kafka-consumer-groups defines it, clamped at 0; null when either offset is unknown. */
  lag(i: number): number | null {
    const committed = this.cells[i * WIDTH + COMMITTED] as number;
    const logEnd = this.cells[i * WIDTH + LOG_END] as number;
    if (committed < 0 || logEnd < 0) return null;
    return logEnd > committed ? inlineNumber(logEnd - committed) : 0;
  }

  /** committed > log end: a truncated log, or an offset MM2 translated too far (KAFKA-12635). */
  negative(i: number): boolean {
    const committed = this.cells[i * WIDTH + COMMITTED] as number;
    const logEnd = this.cells[i * WIDTH + LOG_END] as number;
    return committed >= 0 && logEnd >= 0 && committed > logEnd;
  }

  /** Where the run of topic `t` (a topicIndex) starts. */
  runStart(t: number): number {
    return this.starts[t] as number;
  }

  /** Where the run of topic `t` (a topicIndex) ends (exclusive). */
  runEnd(t: number): number {
    return this.starts[t + 1] as number;
  }

  /** The position of `partition` of topic `t` (a topicIndex, see topicIndexOf), -1 when the group has none. */
  positionOf(t: number, partition: number): number {
    if (t < 0 || t >= this.topics.length) return -1;
    const start = this.starts[t] as number;
    const end = this.starts[t + 1] as number;
    // A topic's partitions come in order and most often without a gap: the first guess is the place.
    const guess = start + partition - this.partition(start);
    if (guess >= start && guess < end && this.partition(guess) === partition) return guess;
    for (let i = start; i < end; i++) if (this.partition(i) === partition) return i;
    return -1;
  }

  anyCommitted(): boolean {
    for (let i = 0; i < this.length; i++) if ((this.cells[i * WIDTH + COMMITTED] as number) >= 0) return true;
    return false;
  }

  /** Partitions with a committed offset. */
  committedCount(): number {
    let n = 0;
    for (let i = 0; i < this.length; i++) if ((this.cells[i * WIDTH + COMMITTED] as number) >= 0) n++;
    return n;
  }

  ownedCount(): number {
    let n = 0;
    if (this.owners !== null) for (const o of this.owners) if (o !== null) n++;
    return n;
  }

  belowLogStartCount(): number {
    let n = 0;
    for (let i = 0; i < this.length; i++) if (this.belowLogStart(i)) n++;
    return n;
  }

  anyNegative(): boolean {
    for (let i = 0; i < this.length; i++) if (this.negative(i)) return true;
    return false;
  }

  /** Sum of the known lags; null when no partition has a committed offset. */
  totalLag(): number | null {
    let sum = 0;
    let any = false;
    for (let i = 0; i < this.length; i++) {
      if ((this.cells[i * WIDTH + COMMITTED] as number) < 0) continue;
      any = true;
      sum += this.lag(i) ?? 0;
    }
    return any ? sum : null;
  }

  /** The partition at `i` as an object: for what is shown or printed, not for passes over every group. */
  at(i: number): CommittedPartition<Owner> {
    return new CommittedPartition(
      this.topic(i),
      this.partition(i),
      this.committed(i),
      this.logEnd(i),
      this.belowLogStart(i),
      this.owner(i),
    );
  }

  *[Symbol.iterator](): Iterator<CommittedPartition<Owner>> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }

  rows(): CommittedPartition<Owner>[] {
    const rows = new Array<CommittedPartition<Owner>>(this.length);
    for (let i = 0; i < this.length; i++) rows[i] = this.at(i);
    return rows;
  }

  /** Same partitions, offsets, flags and owners (`sameOwner` compares two owners that are not both null). */
  equals(other: GroupPartitions<Owner>, sameOwner: (a: Owner, b: Owner) => boolean): boolean {
    if (other === this) return true;
    if (other.length !== this.length || other.topics.length !== this.topics.length) return false;
    for (let t = 0; t < this.topics.length; t++) if (this.topics[t] !== other.topics[t]) return false;
    const a = this.cells;
    const b = other.cells;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    for (let i = 0; i < this.length; i++) {
      const x = this.owner(i);
      const y = other.owner(i);
      if (x === null || y === null ? x !== y : !sameOwner(x, y)) return false;
    }
    return true;
  }
}

/** Builds a GroupPartitions from partitions added in order, each topic's together. */
export class GroupPartitionsBuilder<Owner extends object> {
  private readonly topics: string[] = [];
  private readonly starts: number[] = [];
  private readonly cells: number[] = [];
  private owners: Array<Owner | null> | null = null;
  private size = 0;

  add(
    topic: string,
    partition: number,
    committed: number | null,
    logEnd: number | null,
    belowLogStart: boolean,
    owner: Owner | null,
  ): void {
    let t = this.topics.length - 1;
    if (this.topics[t] !== topic) {
      if (this.topics.includes(topic)) throw new Error(`the partitions of topic ${topic} are not together`);
      t = this.topics.push(topic) - 1;
      this.starts.push(this.size);
    }
    this.cells.push(
      t * 2 + (belowLogStart ? 1 : 0),
      partition,
      unknownAsMinusOne(committed),
      unknownAsMinusOne(logEnd),
    );
    if (owner !== null) {
      this.owners ??= new Array<Owner | null>(this.size).fill(null);
      this.owners[this.size] = owner;
    } else if (this.owners !== null) this.owners.push(null);
    this.size++;
  }

  build(): GroupPartitions<Owner> {
    // Copies, exactly sized: an array grown by push keeps up to half again as many slots.
    const starts = this.starts.slice();
    starts.push(this.size);
    return new GroupPartitions(
      this.topics.slice(),
      starts.slice(),
      this.cells.slice(),
      this.owners?.slice() ?? null,
    );
  }
}
