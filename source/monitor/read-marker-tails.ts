/**
 * Transaction markers at the end of a source partition. A transactional producer ends every
 * transaction with a control record (commit or abort marker) that takes an offset; MM2 copies data
 * records only, so its stored position stays one or more offsets below the log end forever and the
 * replication lag reads 1 on a partition that is fully copied (Burrow's #591 is the same trap for
 * consumer lag). For partitions whose lag is small, this reads the few offsets between MM2's position
 * and the log end once (one Fetch per topic and leader, cached until either end moves) and says where
 * the data really ends.
 */
import type { WireCluster } from '../kafka/wire-cluster.js';
import { partitionKey } from '../model/partition-key.js';
import type { ClusterView } from './snapshot.js';

/** Tails longer than this are real lag: they are not read. */
const MAX_TAIL = 16;
const TAIL_BYTES = 64 * 1024;

interface Tail {
  from: number;
  end: number;
  /** The offset after the last data record below `end`; `from` when the tail holds markers only. */
  dataEnd: number;
}

export class MarkerTails {
  private readonly tails = new Map<string, Tail>();

  /** `topic\0partition` -> the end of the data, for partitions whose log ends in markers. */
  dataEnds(): Map<string, number> {
    const ends = new Map<string, number>();
    for (const [key, tail] of this.tails) if (tail.dataEnd < tail.end) ends.set(key, tail.dataEnd);
    return ends;
  }

  /** Reads the tails that changed since the last read (a tail is read once until either end moves). */
  async read(
    wire: WireCluster,
    source: ClusterView,
    positions: ReadonlyMap<string, number | null> | null,
  ): Promise<void> {
    const wanted = new Map<string, Map<number, { from: number; end: number }>>();
    const seen = new Set<string>();
    for (const topic of source.topics) {
      for (const p of topic.partitions) {
        const key = partitionKey(topic.name, p.partition);
        const position = positions?.get(key);
        if (position === null || position === undefined || p.latest === null) continue;
        const from = position + 1;
        const end = p.latest;
        if (end <= from || end - from > MAX_TAIL) continue;
        seen.add(key);
        const known = this.tails.get(key);
        if (known && known.from === from && known.end === end) continue;
        const partitions = wanted.get(topic.name) ?? new Map();
        partitions.set(p.partition, { from, end });
        wanted.set(topic.name, partitions);
      }
    }
    for (const key of this.tails.keys()) if (!seen.has(key)) this.tails.delete(key);
    // One topic after the other: kafkajs opens a broker's fetch connection lazily, and two fetches
    // racing to open it leave one socket behind that disconnect() never closes.
    for (const [topic, partitions] of wanted) {
      const answers = await wire.fetch(
        topic,
        new Map([...partitions].map(([partition, range]) => [partition, range.from])),
        { maxBytesPerPartition: TAIL_BYTES },
      );
      for (const answer of answers) {
        const range = partitions.get(answer.partition);
        // Only a read that covered the whole tail says anything about it.
        if (!range || answer.errorCode !== 0 || (answer.nextOffset ?? -1) < range.end) continue;
        const data = answer.records.filter((r) => r.offset < range.end);
        const dataEnd = data.length > 0 ? (data.at(-1)?.offset ?? range.from) + 1 : range.from;
        this.tails.set(partitionKey(topic, answer.partition), { ...range, dataEnd });
      }
    }
  }
}
