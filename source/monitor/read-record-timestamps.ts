/**
 * Timestamps of the records at given offsets: the seconds behind of a partition whose log end passed its
 * committed offset before the offset history began (see model/convergence.ts). One bounded Fetch per
 * topic and leader for at most MAX_PER_READ partitions a read; a record's timestamp never changes, so each
 * is read once and kept while it is still wanted.
 */
import type { WireCluster } from '../kafka/wire-cluster.js';
import { type RecordWanted, recordKey } from '../model/convergence.js';
import type { ClusterRole } from './snapshot.js';

const MAX_PER_READ = 32;
/** Enough for the batch holding the offset in most topics; a larger first batch is returned whole (KIP-74). */
const BYTES_PER_PARTITION = 64 * 1024;

export class RecordTimestamps {
  /** recordKey -> timestamp, or null when the record is gone (retention) or was not in the answer. */
  private readonly times = new Map<string, number | null>();

  /** The timestamps read, for EvaluateOptions.recordTimestamps. */
  known(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [key, ts] of this.times) if (ts !== null) out.set(key, ts);
    return out;
  }

  /** Reads the wanted timestamps not read before; forgets those no longer wanted. */
  async read(wires: Record<ClusterRole, WireCluster>, wanted: readonly RecordWanted[]): Promise<void> {
    const keys = new Set(wanted.map((w) => recordKey(w.cluster, w.topic, w.partition, w.offset)));
    for (const key of this.times.keys()) if (!keys.has(key)) this.times.delete(key);
    const todo = wanted
      .filter((w) => !this.times.has(recordKey(w.cluster, w.topic, w.partition, w.offset)))
      .slice(0, MAX_PER_READ);
    const byTopic = new Map<string, { cluster: ClusterRole; topic: string; offsets: Map<number, number> }>();
    for (const w of todo) {
      const id = `${w.cluster}\u0000${w.topic}`;
      const entry = byTopic.get(id) ?? { cluster: w.cluster, topic: w.topic, offsets: new Map() };
      // One offset per partition and read: another group at another offset waits for the next read.
      if (!entry.offsets.has(w.partition)) entry.offsets.set(w.partition, w.offset);
      byTopic.set(id, entry);
    }
    // One topic after the other, as MarkerTails does: concurrent first fetches leave a socket open.
    for (const { cluster, topic, offsets } of byTopic.values()) {
      const answers = await wires[cluster].fetch(topic, offsets, {
        maxBytesPerPartition: BYTES_PER_PARTITION,
      });
      for (const answer of answers) {
        const offset = offsets.get(answer.partition);
        if (offset === undefined) continue;
        // The first data record at or after the offset (a transaction marker has no timestamp of its own).
        const record = answer.errorCode === 0 ? answer.records.find((r) => r.offset >= offset) : undefined;
        this.times.set(
          recordKey(cluster, topic, answer.partition, offset),
          record ? record.timestampMs : null,
        );
      }
    }
  }
}
