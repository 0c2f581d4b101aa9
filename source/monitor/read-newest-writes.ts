/**
 * When each topic was last written: the newest record timestamp at the end of its partitions. A
 * one-shot command cannot watch a log end for half a minute, but the last records carry their time
 * (CreateTime is the producer's clock, LogAppendTime the broker's). The last few offsets of every
 * partition are read once, one Fetch per topic and leader, and again for whole batches where a batch
 * was larger than the first Fetch's share of a partition.
 */

import { WHOLE_BATCH_BYTES } from '../kafka/record-batches.js';
import type { WireCluster } from '../kafka/wire-cluster.js';
import type { TopicInfo } from './snapshot.js';

/** Offsets read back from the log end: transaction markers at the end hold no timestamp we can see. */
const TAIL_OFFSETS = 16;
const TAIL_BYTES = 64 * 1024;

function seen(newest: Map<string, number>, topic: string, timestampMs: number): void {
  const known = newest.get(topic);
  if (known === undefined || timestampMs > known) newest.set(topic, timestampMs);
}

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
    // A partition whose batch is larger than its share comes back empty (or, after whole batches, cut
    // off: the cut batch's header still gives its newest timestamp and where the next batch starts), and
    // a read stops at the end of a log segment: each is asked again, from where its answer stopped, for
    // whole batches. The rounds are bounded; what is still unread then leaves the topic undated.
    let unread = false;
    for (let round = 0; positions.size > 0 && round <= TAIL_OFFSETS; round++) {
      const asked = new Map(positions);
      const answers = await wire.fetch(topic.name, asked, {
        maxBytesPerPartition: round === 0 ? TAIL_BYTES : WHOLE_BATCH_BYTES,
      });
      positions.clear();
      for (const answer of answers) {
        const end = ends.get(answer.partition);
        const from = asked.get(answer.partition);
        if (end === undefined || from === undefined) continue;
        if (answer.errorCode !== 0) {
          unread = true;
          continue;
        }
        for (const record of answer.records)
          if (record.offset < end) seen(newest, topic.name, record.timestampMs);
        const cut = answer.cutBatch;
        if (cut !== null && cut.baseOffset < end) seen(newest, topic.name, cut.maxTimestampMs);
        const last = answer.records.at(-1)?.offset;
        const next =
          cut !== null ? cut.lastOffset + 1 : (answer.nextOffset ?? (last === undefined ? null : last + 1));
        if (next === null) positions.set(answer.partition, from);
        else if (next < end) positions.set(answer.partition, next);
      }
    }
    // A partition whose end could not be read: no newest write rather than one that may be too old (the
    // runbook then dates the topic by the watch, the safe side for "producers quiet").
    if (unread || positions.size > 0) newest.delete(topic.name);
  }
  return newest;
}
