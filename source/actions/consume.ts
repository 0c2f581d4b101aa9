/**
 * The consume-from-beginning check the seeds run with kafka-console-consumer: read a topic from its
 * earliest offsets up to the end offsets captured at the start, without a consumer group (like kcat),
 * counting per partition. Used by `mirrorwatch consume` and the console's check pane.
 */
import { hasLeader } from '../kafka/offline-partitions.js';
import type { RawRecord, WireCluster } from '../kafka/wire-cluster.js';

export class UnknownTopicError extends Error {
  override name = 'UnknownTopicError';
}

export interface ConsumeRange {
  startOffsets: Record<number, number>;
  endOffsets: Record<number, number>;
  /** Partitions without a leader (every replica's broker down): nothing can be read from them. */
  offline?: number[];
}

export interface ConsumeResult extends ConsumeRange {
  counts: Record<number, number>;
  total: number;
  /** Stopped early: by --max, or by the caller. */
  truncated: boolean;
}

export interface ConsumeOptions {
  /** Stop after this many records in all. */
  max?: number;
  /** Called with each batch of records read from one partition, in offset order. */
  onRecords?: (partition: number, records: RawRecord[]) => void;
  /** Called after every fetch round with the running counts. */
  onProgress?: (counts: Readonly<Record<number, number>>, total: number) => void;
  signal?: AbortSignal;
}

/** Earliest and latest offsets of every partition of `topic`, or UnknownTopicError. */
export async function captureRange(wire: WireCluster, topic: string): Promise<ConsumeRange> {
  const metadata = await wire.topicMetadata([topic]).catch((error: { type?: string }) => {
    if (error?.type === 'UNKNOWN_TOPIC_OR_PARTITION') throw new UnknownTopicError(`unknown topic '${topic}'`);
    throw error;
  });
  const described = metadata.topicMetadata.find((t) => t.topic === topic);
  if (!described || described.topicErrorCode === 3 || described.partitionMetadata.length === 0) {
    throw new UnknownTopicError(`unknown topic '${topic}'`);
  }
  const partitions = described.partitionMetadata.map((p) => p.partitionId).sort((a, b) => a - b);
  const offline = described.partitionMetadata
    .filter((p) => !hasLeader(p))
    .map((p) => p.partitionId)
    .sort((a, b) => a - b);
  const offsets = (await wire.offsets([{ topic, partitions }])).get(topic);
  const startOffsets: Record<number, number> = {};
  const endOffsets: Record<number, number> = {};
  for (const partition of partitions) {
    const range = offsets?.get(partition);
    startOffsets[partition] = range?.earliest ?? 0;
    endOffsets[partition] = range?.latest ?? 0;
  }
  return { startOffsets, endOffsets, offline };
}

export async function consumeRange(
  wire: WireCluster,
  topic: string,
  range: ConsumeRange,
  options: ConsumeOptions = {},
): Promise<ConsumeResult> {
  const next = new Map<number, number>();
  const counts: Record<number, number> = {};
  for (const [partition, start] of Object.entries(range.startOffsets)) {
    next.set(Number(partition), start);
    counts[Number(partition)] = 0;
  }
  let total = 0;
  let truncated = false;
  const behind = () => {
    const pending = new Map<number, number>();
    for (const [partition, at] of next)
      if (at < (range.endOffsets[partition] ?? 0)) pending.set(partition, at);
    return pending;
  };
  let stalls = 0;
  for (let pending = behind(); pending.size > 0; pending = behind()) {
    if (options.signal?.aborted) {
      truncated = true;
      break;
    }
    const answers = await wire.fetch(topic, pending, { maxBytesPerPartition: 1024 * 1024, maxWaitMs: 100 });
    let progressed = false;
    for (const answer of answers) {
      const end = range.endOffsets[answer.partition] ?? 0;
      if (answer.errorCode === 1 && answer.logStartOffset !== null) {
        next.set(answer.partition, answer.logStartOffset);
        progressed = true;
        continue;
      }
      let records = answer.records.filter((r) => r.offset < end);
      if (options.max !== undefined && total + records.length > options.max) {
        records = records.slice(0, Math.max(0, options.max - total));
        truncated = true;
      }
      if (records.length > 0) {
        counts[answer.partition] = (counts[answer.partition] ?? 0) + records.length;
        total += records.length;
        options.onRecords?.(answer.partition, records);
        next.set(answer.partition, (records.at(-1)?.offset ?? 0) + 1);
        progressed = true;
      }
      // Compacted or transactional logs have offsets without records: reaching the high watermark
      // without records means this partition is done.
      if (answer.records.length === 0 && answer.errorCode === 0 && answer.highWatermark >= end) {
        next.set(answer.partition, end);
        progressed = true;
      } else if (answer.records.length > 0 && (answer.records.at(-1)?.offset ?? 0) + 1 >= end) {
        next.set(answer.partition, Math.max(next.get(answer.partition) ?? 0, end));
      }
    }
    options.onProgress?.(counts, total);
    if (truncated) break;
    stalls = progressed ? 0 : stalls + 1;
    if (stalls >= 50) throw new Error(`topic '${topic}': no progress reading up to the end offsets`);
  }
  return { ...range, counts, total, truncated };
}
