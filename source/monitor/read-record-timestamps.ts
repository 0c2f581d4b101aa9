/**
 * Timestamps of the records at given offsets: the seconds behind of a partition whose log end passed its
 * committed offset before the offset history began (see model/convergence.ts). One bounded Fetch per
 * topic and leader for at most MAX_PER_READ partitions a read, each from the lowest offset wanted there; a record's timestamp never changes, so each
 * is read once and kept while it is still wanted.
 */
import type { WireCluster } from '../kafka/wire-cluster.js';
import { type RecordWanted, recordKey } from '../model/convergence.js';
import type { ClusterRole } from './snapshot.js';

const MAX_PER_READ = 64;
/** Enough for the batch holding the offset in most topics; a larger first batch is returned whole (KIP-74). */
const BYTES_PER_PARTITION = 32 * 1024;

export class RecordTimestamps {
  /** recordKey -> timestamp, or null when the record is gone (retention) or was not in the answer. */
  private readonly times = new Map<string, number | null>();
  /** What known() last handed out, until a timestamp is read or forgotten. */
  private knownCache: Map<string, number> | null = null;

  /** The timestamps read, for EvaluateOptions.recordTimestamps: the same map while none changed. */
  known(): Map<string, number> {
    if (this.knownCache) return this.knownCache;
    const out = new Map<string, number>();
    for (const [key, ts] of this.times) if (ts !== null) out.set(key, ts);
    this.knownCache = out;
    return out;
  }

  /** Reads the wanted timestamps not read before; forgets those no longer wanted. */
  async read(wires: Record<ClusterRole, WireCluster>, wanted: readonly RecordWanted[]): Promise<void> {
    const keys = new Set(wanted.map((w) => recordKey(w.cluster, w.topic, w.partition, w.offset)));
    for (const key of this.times.keys())
      if (!keys.has(key)) {
        this.times.delete(key);
        this.knownCache = null;
      }
    // Per partition the offsets not read yet; one fetch from the lowest covers the others it reaches.
    const byPartition = new Map<
      string,
      { cluster: ClusterRole; topic: string; partition: number; offsets: number[] }
    >();
    for (const w of wanted) {
      if (this.times.has(recordKey(w.cluster, w.topic, w.partition, w.offset))) continue;
      const id = recordKey(w.cluster, w.topic, w.partition, -1);
      const entry = byPartition.get(id) ?? {
        cluster: w.cluster,
        topic: w.topic,
        partition: w.partition,
        offsets: [],
      };
      entry.offsets.push(w.offset);
      byPartition.set(id, entry);
    }
    const byTopic = new Map<
      string,
      { cluster: ClusterRole; topic: string; offsets: Map<number, number[]> }
    >();
    for (const p of [...byPartition.values()].slice(0, MAX_PER_READ)) {
      const id = `${p.cluster}\u0000${p.topic}`;
      const entry = byTopic.get(id) ?? { cluster: p.cluster, topic: p.topic, offsets: new Map() };
      entry.offsets.set(
        p.partition,
        p.offsets.sort((a, b) => a - b),
      );
      byTopic.set(id, entry);
    }
    // One topic after the other, as MarkerTails does: concurrent first fetches leave a socket open. A topic
    // that fails (deleted meanwhile, leader moving) does not keep the others from being read.
    for (const { cluster, topic, offsets } of byTopic.values()) {
      const from = new Map([...offsets].map(([partition, list]) => [partition, list[0] as number]));
      const answers = await wires[cluster]
        .fetch(topic, from, { maxBytesPerPartition: BYTES_PER_PARTITION })
        .catch(() => []);
      for (const answer of answers) {
        const list = offsets.get(answer.partition) ?? [];
        list.forEach((offset, i) => {
          // The first data record at or after the offset (a transaction marker has no timestamp of its own).
          const record = answer.errorCode === 0 ? answer.records.find((r) => r.offset >= offset) : undefined;
          // The lowest offset is settled by its answer; the others only when the answer reached them.
          if (record || i === 0) {
            this.times.set(recordKey(cluster, topic, answer.partition, offset), record?.timestampMs ?? null);
            this.knownCache = null;
          }
        });
      }
    }
  }
}
