/**
 * Timestamps of the records at given offsets: the seconds behind of a partition whose log end passed its
 * committed offset before the offset history began (see model/convergence.ts). One bounded Fetch per
 * topic and leader for at most MAX_PER_READ partitions a read, each from the lowest offset wanted there;
 * a record's timestamp never changes, so each is read once and kept while it is still wanted.
 */
import { createErrorFromCode } from '../kafka/offline-partitions.js';
import { WHOLE_BATCH_BYTES } from '../kafka/record-batches.js';
import type { PartitionFetch, WireCluster } from '../kafka/wire-cluster.js';
import { forEachRecordWanted, type RecordWantedPass } from '../model/convergence.js';
import type { OffsetHistory } from '../model/offset-history.js';
import {
  keptRecordTimes,
  NO_RECORD_TIMES,
  type RecordTime,
  type RecordTimeRead,
  type RecordTimes,
  recordTimesTopicKey,
  withRecordTimes,
} from '../model/record-times.js';
import { keepHiddenClass } from '../util/hidden-class.js';
import type { ClusterRole } from './snapshot.js';

/** Enough for the batch holding the offset in most topics; a larger first batch is returned whole (KIP-74). */
const BYTES_PER_PARTITION = 32 * 1024;
/**
 * At most 16 MB a read, 512 partitions: with 64 a read, 1,000 lagging groups a side on 5,000 partitions
 * (166,000 group partitions to date) left LAG TIME unknown for about 25 minutes on the scaled lab. Each
 * timestamp is read once, so the reads stay this large only while that backlog lasts.
 */
const MAX_PER_READ = (16 * 1024 * 1024) / BYTES_PER_PARTITION;
/**
 * A partition whose batch at the offset is larger than BYTES_PER_PARTITION, and is not the first of the
 * answer, comes back empty (Kafka sends no part of a batch that does not fit). Compressed topics written
 * with linger batch that large (lz4 batches of 130 KB on the lab), and their LAG TIME stayed unknown. Such
 * partitions are asked again for whole batches (up to Kafka's default max.message.bytes, the largest a
 * topic takes unless raised), RETRY_BYTES_PER_READ a read in all: the broker stops filling an answer at
 * its total, and the partitions it left empty wait for a later read.
 */
const RETRY_BYTES_PER_READ = 16 * 1024 * 1024;

/** A timestamp read, with the last pass that still wanted it (only this module reads `pass`). */
interface KeptTime extends RecordTime {
  pass: number;
}

interface TopicToRead {
  cluster: ClusterRole;
  topic: string;
  /** partition -> offsets wanted there, not read yet. */
  offsets: Map<number, Set<number>>;
}

/**
 * One pass over the records the history wants: which of them have a kept timestamp (marked as still
 * wanted), and per topic and partition the offsets to read (at most MAX_PER_READ partitions). A class,
 * not closures made per pass (convergence.ts, RecordWantedPass).
 */
class WantedPass implements RecordWantedPass {
  readonly toRead = new Map<string, TopicToRead>();
  private partitionsToRead = 0;
  private lastToRead: TopicToRead | undefined;
  // The pass goes topic by topic: the topic's map is looked up once per run of its partitions.
  private clusterOf: ClusterRole | null = null;
  private topicOf: string | null = null;
  private partitionsOf: ReadonlyMap<number, ReadonlyMap<number, RecordTime>> | undefined;

  constructor(
    private readonly times: RecordTimes,
    private readonly pass: number,
    private readonly readable: (cluster: ClusterRole) => boolean,
  ) {}

  dated(cluster: ClusterRole, topic: string, partition: number, offset: number): boolean {
    if (!this.readable(cluster)) return true;
    if (this.clusterOf !== cluster || this.topicOf !== topic) {
      this.clusterOf = cluster;
      this.topicOf = topic;
      this.partitionsOf = this.times.get(recordTimesTopicKey(cluster, topic));
    }
    const kept = this.partitionsOf?.get(partition)?.get(offset) as KeptTime | undefined;
    if (kept === undefined) return false;
    kept.pass = this.pass;
    return true;
  }

  visit(cluster: ClusterRole, topic: string, partition: number, offset: number): void {
    // Per partition the offsets not read yet; one fetch from the lowest covers the others it reaches.
    const last = this.lastToRead;
    let entry = last?.cluster === cluster && last.topic === topic ? last : undefined;
    if (!entry) {
      const id = recordTimesTopicKey(cluster, topic);
      entry = this.toRead.get(id);
      if (!entry) {
        if (this.partitionsToRead >= MAX_PER_READ) return;
        entry = { cluster, topic, offsets: new Map() };
        this.toRead.set(id, entry);
      }
      this.lastToRead = entry;
    }
    const offsets = entry.offsets.get(partition);
    if (offsets) {
      offsets.add(offset);
      return;
    }
    if (this.partitionsToRead >= MAX_PER_READ) return;
    this.partitionsToRead++;
    entry.offsets.set(partition, new Set<number>().add(offset));
  }
}

// Lives only during a pass: its map is kept between passes (hidden-class.ts).
keepHiddenClass(new WantedPass(new Map(), 0, () => true));

export class RecordTimestamps {
  private times: RecordTimes = NO_RECORD_TIMES;
  private pass = 0;

  /** The timestamps read, for EvaluateOptions.recordTimestamps: the same object while none changed. */
  known(): RecordTimes {
    return this.times;
  }

  /**
   * Reads the timestamps the history wants (on clusters `readable` allows) that were not read before, at
   * most MAX_PER_READ partitions a read; forgets those no longer wanted.
   */
  async read(
    wires: Record<ClusterRole, WireCluster>,
    history: OffsetHistory,
    readable: (cluster: ClusterRole) => boolean,
  ): Promise<void> {
    const pass = ++this.pass;
    const wantedPass = new WantedPass(this.times, pass, readable);
    forEachRecordWanted(history, wantedPass);
    const toRead = wantedPass.toRead;
    // Entries not visited are no longer wanted.
    this.times = keptRecordTimes(this.times, (entry) => (entry as KeptTime).pass === pass);
    // One topic after the other, as MarkerTails does: concurrent first fetches leave a socket open. A topic
    // that fails (deleted meanwhile, leader moving) does not keep the others from being read.
    let retryBytes = RETRY_BYTES_PER_READ;
    for (const { cluster, topic, offsets: wanted } of toRead.values()) {
      const offsets = new Map(
        [...wanted].map(([partition, set]) => [partition, [...set].sort((a, b) => a - b)]),
      );
      const from = new Map([...offsets].map(([partition, list]) => [partition, list[0] as number]));
      const fetch = (positions: Map<number, number>, maxBytesPerPartition: number, maxBytes?: number) =>
        wires[cluster]
          .fetch(topic, positions, { maxBytesPerPartition, ...(maxBytes ? { maxBytes } : {}) })
          .catch(() => []);
      const answers = await fetch(from, BYTES_PER_PARTITION);
      // An answer that stopped short of a data record is asked again, from where it stopped.
      const again = new Map<number, number>();
      for (const a of answers) {
        const at = stoppedShort(a, from.get(a.partition) ?? 0);
        if (at !== null) again.set(a.partition, at);
      }
      const whole = again.size > 0 && retryBytes > 0 ? await fetch(again, WHOLE_BATCH_BYTES, retryBytes) : [];
      for (const answer of whole) retryBytes -= answer.bytes;
      const reads: RecordTimeRead[] = [];
      for (const answer of [...answers.filter((a) => !again.has(a.partition)), ...whole]) {
        // Still short (the answer's total reached, or a batch past Kafka's default limit), or an error that
        // passes (a leader moving, a partition offline): not settled, read again by a later pass.
        if (stoppedShort(answer, from.get(answer.partition) ?? 0) !== null) continue;
        if (answer.errorCode !== 0 && isRetriable(answer.errorCode)) continue;
        const list = offsets.get(answer.partition) ?? [];
        list.forEach((offset, i) => {
          // The first data record at or after the offset (a transaction marker has no timestamp of its own).
          const record = answer.errorCode === 0 ? answer.records.find((r) => r.offset >= offset) : undefined;
          // The lowest offset is settled by its answer; the others only when the answer reached them.
          if (record || i === 0) {
            const entry: KeptTime = { timestampMs: record?.timestampMs ?? null, pass };
            reads.push({ partition: answer.partition, offset, entry });
          }
        });
      }
      this.times = withRecordTimes(this.times, cluster, topic, reads);
    }
  }
}

/** Kafka's own word on whether an error code passes (kafkajs keeps the protocol's table). */
function isRetriable(code: number): boolean {
  return (createErrorFromCode(code) as Error & { retriable?: boolean }).retriable === true;
}

/**
 * Where to ask again when an answer holds no data record at or after `offset` though the log goes on
 * (the high watermark is past where it stopped); null when the answer settles the offset. The broker
 * sends nothing of a batch larger than a partition's share, so the answer stops before it: right at
 * the offset, or after a transaction marker that sits there.
 */
function stoppedShort(answer: PartitionFetch, offset: number): number | null {
  if (answer.errorCode !== 0 || (answer.records.at(-1)?.offset ?? -1) >= offset) return null;
  const next = Math.max(answer.nextOffset ?? offset, offset);
  return next < answer.highWatermark ? next : null;
}
