/**
 * The newest checkpoint per (group, topic, partition) of MM2's `<source>.checkpoints.internal`, as
 * the topic's records arrive (a later record replaces an earlier one, a tombstone removes it).
 */
import { GroupTranslations } from '../model/group-translations.js';
import type { Translation } from '../monitor/snapshot.js';
import { decodeCheckpointKey, decodeCheckpointValue } from './records.js';

/**
 * Checkpoints for a partition number outside 0..2^20 are skipped: the number comes from the wire (no
 * topic comes near a million partitions).
 */
const PARTITION_BOUND = 1 << 20;

/**
 * A group's checkpoints as last handed out, and the records applied since (by topic, then partition;
 * null for a tombstone), merged in when the store is next asked: MM2 writes a group's checkpoints
 * together, so one read changes few groups, and the others keep their columns and identity.
 */
interface GroupEntry {
  translations: GroupTranslations;
  pending: Map<string, Map<number, Translation | null>> | null;
}

export class CheckpointStore {
  private readonly groups = new Map<string, GroupEntry>();
  private readonly changed = new Set<string>();
  /** Handed out until a checkpoint changes: the join keys its caches on it (model/mirror.ts). */
  private byGroup: ReadonlyMap<string, GroupTranslations> = new Map();

  /** Applies one record of the topic; a record that does not decode as a checkpoint is skipped. */
  apply(key: Buffer | null, value: Buffer | null, recordTimestampMs: number): void {
    if (!key) return;
    try {
      const k = decodeCheckpointKey(key);
      if (k.partition < 0 || k.partition >= PARTITION_BOUND) return;
      let group = this.groups.get(k.group);
      if (!value) {
        // A tombstone for a checkpoint not held changes nothing.
        const [start, end] = group?.translations.topicRun(k.topic) ?? [0, 0];
        let held = group?.pending?.get(k.topic)?.get(k.partition) != null;
        for (let i = start; i < end && !held; i++) held = group?.translations.partition(i) === k.partition;
        if (!group || !held) return;
      }
      const v = value ? decodeCheckpointValue(value) : null;
      if (!group) {
        group = { translations: GroupTranslations.EMPTY, pending: null };
        this.groups.set(k.group, group);
      }
      group.pending ??= new Map();
      let topic = group.pending.get(k.topic);
      if (!topic) {
        topic = new Map();
        group.pending.set(k.topic, topic);
      }
      topic.set(
        k.partition,
        v && {
          topic: k.topic,
          partition: k.partition,
          upstreamOffset: v.upstreamOffset,
          downstreamOffset: v.downstreamOffset,
          recordTimestampMs,
        },
      );
      this.changed.add(k.group);
    } catch {
      // Undecodable: skip.
    }
  }

  /** Every group's checkpoints (groups with none left out); the same map until one changes. */
  checkpoints(): ReadonlyMap<string, GroupTranslations> {
    if (this.changed.size === 0) return this.byGroup;
    for (const name of this.changed) {
      const group = this.groups.get(name) as GroupEntry;
      const pending = group.pending ?? new Map<string, Map<number, Translation | null>>();
      const kept = group.translations.rows().filter((t) => !pending.get(t.topic)?.has(t.partition));
      const added: Translation[] = [];
      for (const partitions of pending.values()) for (const t of partitions.values()) if (t) added.push(t);
      group.translations = GroupTranslations.of([...kept, ...added]);
      group.pending = null;
      if (group.translations.length === 0) this.groups.delete(name);
    }
    this.changed.clear();
    const byGroup = new Map<string, GroupTranslations>();
    for (const [name, group] of this.groups) byGroup.set(name, group.translations);
    this.byGroup = byGroup;
    return byGroup;
  }
}
