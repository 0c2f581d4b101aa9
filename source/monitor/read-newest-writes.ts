/**
 * When each topic was last written: the newest record timestamp at the end of its partitions. A
 * one-shot command cannot watch a log end for half a minute, but the last records carry their time
 * (CreateTime is the producer's clock, LogAppendTime the broker's). The last few offsets of every
 * partition are read once, one Fetch per topic and leader.
 */
import type { WireCluster } from '../kafka/wire-cluster.js';
import type { TopicInfo } from './snapshot.js';

/** Offsets read back from the log end: transaction markers at the end hold no timestamp we can see. */
const TAIL_OFFSETS = 16;
const TAIL_BYTES = 64 * 1024;

/** Topic → the newest record timestamp at the end of its partitions; topics without data are absent. */
export async function readNewestWrites(
  wire: WireCluster,
  topics: readonly TopicInfo[],
): Promise<Map<string, number>> {
  const newest = new Map<string, number>();
  if (topics.length === 0) return newest;
  await wire.topicMetadata(topics.map((t) => t.name));
  // One topic after the other (see read-marker-tails.ts: racing first fetches leave a socket open).
  for (const topic of topics) {
    const ends = new Map<number, number>();
    const positions = new Map<number, number>();
    for (const p of topic.partitions) {
      if (p.latest === null || p.earliest === null || p.latest <= p.earliest) continue;
      ends.set(p.partition, p.latest);
      positions.set(p.partition, Math.max(p.earliest, p.latest - TAIL_OFFSETS));
    }
    if (positions.size === 0) continue;
    const answers = await wire.fetch(topic.name, positions, { maxBytesPerPartition: TAIL_BYTES });
    for (const answer of answers) {
      const end = ends.get(answer.partition);
      if (answer.errorCode !== 0 || end === undefined) continue;
      for (const record of answer.records) {
        if (record.offset >= end) continue;
        const known = newest.get(topic.name);
        if (known === undefined || record.timestampMs > known) newest.set(topic.name, record.timestampMs);
      }
    }
  }
  return newest;
}
