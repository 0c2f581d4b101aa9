/**
 * Timestamps of records at given offsets, read from the wire where the offset history cannot date an
 * offset (see convergence.ts, lagSeconds). Nested by cluster and topic, partition, offset rather than
 * keyed by one string: at 1,000 groups of 100 partitions a string key per group partition, built on
 * every pass and every lookup, was a tenth of what the console allocated.
 *
 * A RecordTimes is never changed once handed out: an update copies the topic it touches and the outer
 * map (one entry per cluster and topic), and shares everything else.
 */
export interface RecordTime {
  /** null: the record is gone (retention) or was not in the answer. */
  readonly timestampMs: number | null;
}

export type RecordTimes = ReadonlyMap<string, ReadonlyMap<number, ReadonlyMap<number, RecordTime>>>;

export const NO_RECORD_TIMES: RecordTimes = new Map();

/** Each cluster's keys by topic, made once: a reading pass looks a key up per wanted record. */
const topicKeys = { source: new Map<string, string>(), target: new Map<string, string>() };
/** Bounds the cache when topics come and go. */
const MAX_CACHED_TOPICS = 200_000;

export function recordTimesTopicKey(cluster: 'source' | 'target', topic: string): string {
  const keys = topicKeys[cluster];
  let key = keys.get(topic);
  if (key === undefined) {
    if (keys.size >= MAX_CACHED_TOPICS) keys.clear();
    key = `${cluster}\u0000${topic}`;
    keys.set(topic, key);
  }
  return key;
}

export function recordTimeEntry(
  times: RecordTimes | undefined,
  cluster: 'source' | 'target',
  topic: string,
  partition: number,
  offset: number,
): RecordTime | undefined {
  return times?.get(recordTimesTopicKey(cluster, topic))?.get(partition)?.get(offset);
}

/** The timestamp of the record at `offset`, or null when none was read. */
export function recordTimeAt(
  times: RecordTimes | undefined,
  cluster: 'source' | 'target',
  topic: string,
  partition: number,
  offset: number,
): number | null {
  return recordTimeEntry(times, cluster, topic, partition, offset)?.timestampMs ?? null;
}

export interface RecordTimeRead {
  partition: number;
  offset: number;
  entry: RecordTime;
}

/** `times` with the reads of one topic added: the topic's partitions that changed are copied, no more. */
export function withRecordTimes(
  times: RecordTimes,
  cluster: 'source' | 'target',
  topic: string,
  reads: readonly RecordTimeRead[],
): RecordTimes {
  if (reads.length === 0) return times;
  const key = recordTimesTopicKey(cluster, topic);
  const partitions = new Map(times.get(key));
  for (const read of reads) {
    const offsets = new Map(partitions.get(read.partition));
    offsets.set(read.offset, read.entry);
    partitions.set(read.partition, offsets);
  }
  const out = new Map(times);
  out.set(key, partitions);
  return out;
}

/**
 * `times` without the entries `keep` rejects; the same object when it keeps them all, and a topic's
 * maps are shared when that topic lost none.
 */
export function keptRecordTimes(times: RecordTimes, keep: (entry: RecordTime) => boolean): RecordTimes {
  // forEach rather than for..of: a map's entries iterator makes a [key, value] array per entry, and this
  // walks every timestamp kept (166,000 on the scaled lab) on each pass.
  let out: Map<string, ReadonlyMap<number, ReadonlyMap<number, RecordTime>>> | null = null;
  times.forEach((partitions, key) => {
    let newPartitions: Map<number, ReadonlyMap<number, RecordTime>> | null = null;
    partitions.forEach((offsets, partition) => {
      let newOffsets: Map<number, RecordTime> | null = null;
      offsets.forEach((entry, offset) => {
        if (keep(entry)) return;
        newOffsets ??= new Map(offsets);
        newOffsets.delete(offset);
      });
      if (!newOffsets) return;
      newPartitions ??= new Map(partitions);
      if ((newOffsets as Map<number, RecordTime>).size === 0) newPartitions.delete(partition);
      else newPartitions.set(partition, newOffsets);
    });
    if (!newPartitions) return;
    out ??= new Map(times);
    if ((newPartitions as Map<number, ReadonlyMap<number, RecordTime>>).size === 0) out.delete(key);
    else out.set(key, newPartitions);
  });
  return out ?? times;
}
