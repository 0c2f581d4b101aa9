/**
 * The newest checkpoint per (group, topic, partition) of MM2's `<source>.checkpoints.internal`, as
 * the topic's records arrive (a later record replaces an earlier one, a tombstone removes it).
 */
import { ByPartition } from '../model/by-partition.js';
import type { CheckpointRecord } from '../model/mirror.js';
import { SmallMap } from '../model/small-map.js';
import { decodeCheckpointKey, decodeCheckpointValue } from './records.js';

/**
 * Checkpoints for a partition number outside 0..2^20 are skipped: the number comes from the wire, and
 * the store keeps a list from a group's lowest to its highest partition (no topic comes near a million).
 */
const PARTITION_BOUND = 1 << 20;

/**
 * Stored by group, then topic, then partition number rather than keyed by a joined string: at 1,000
 * groups on the scaled lab the joined keys were 200,000 string pieces (6 MB), and each record decoded
 * its own copy of the group and topic names (66,000 of each). Every checkpoint of a group and topic
 * shares the names kept here. A group's partitions of a topic are kept from its lowest one: a group
 * that reads partitions 90 to 99 holds ten slots, not a hundred.
 */
interface GroupEntry {
  group: string;
  /** Most groups read one topic: a SmallMap keeps it without a hash table. */
  topics: SmallMap<{ topic: string; byPartition: ByPartition<CheckpointRecord> }>;
}

export class CheckpointStore {
  private readonly groups = new Map<string, GroupEntry>();
  /** The list handed out until a checkpoint changes: the join indexes it once per list (model/mirror.ts). */
  private list: CheckpointRecord[] | null = null;

  /** Applies one record of the topic; a record that does not decode as a checkpoint is skipped. */
  apply(key: Buffer | null, value: Buffer | null, recordTimestampMs: number): void {
    if (!key) return;
    try {
      const k = decodeCheckpointKey(key);
      if (k.partition < 0 || k.partition >= PARTITION_BOUND) return;
      let group = this.groups.get(k.group);
      let topic = group?.topics.get(k.topic);
      if (!value) {
        if (topic?.byPartition.delete(k.partition)) this.list = null;
        return;
      }
      const v = decodeCheckpointValue(value);
      if (!group) {
        group = { group: k.group, topics: new SmallMap() };
        this.groups.set(k.group, group);
      }
      if (!topic) {
        topic = { topic: k.topic, byPartition: new ByPartition<CheckpointRecord>(k.partition) };
        group.topics.set(k.topic, topic);
      }
      // Written out, not spread from the key: V8 gave each spread copy its own hidden class (27,000
      // of them, 13 MB, at 1,000 groups on the scaled lab).
      topic.byPartition.set(k.partition, {
        group: group.group,
        topic: topic.topic,
        partition: k.partition,
        upstreamOffset: v.upstreamOffset,
        downstreamOffset: v.downstreamOffset,
        recordTimestampMs,
      });
      this.list = null;
    } catch {
      // Undecodable: skip.
    }
  }

  /** Every checkpoint held, by group, topic and partition; the same array until one changes. */
  checkpoints(): CheckpointRecord[] {
    if (this.list) return this.list;
    const list: CheckpointRecord[] = [];
    for (const { topics } of this.groups.values())
      for (const { byPartition } of topics.values())
        byPartition.forEach((c) => {
          list.push(c);
        });
    this.list = list;
    return list;
  }
}
