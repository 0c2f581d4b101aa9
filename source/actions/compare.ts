/**
 * Compares a source topic with MM2's copy on the target, record by record. The source range is fixed at
 * the start (earliest up to the end offsets captured then); the target is read until it holds that
 * range — MM2's stored position has reached the range's last record — or the deadline passes. Records
 * written after the captured end are read only to recognise their copies at the end of the target,
 * never counted. Both sides are read in bounded chunks through group-less fetches and compared as they
 * arrive: no partition is held in memory.
 */
import kafkajs from 'kafkajs';
import type { Connection } from '../config/connection.js';
import { remoteTopicName } from '../config/replication-policy.js';
import type { PartitionFetch, WireCluster } from '../kafka/wire-cluster.js';
import { type AlignmentResult, RecordAligner } from '../model/record-compare.js';
import type { Snapshot } from '../monitor/snapshot.js';
import { type ConsumeRange, captureRange, UnknownTopicError } from './consume.js';

/** MM2's stored position (offset of the last source record replicated) per source partition; null: unknown. */
export type PositionReader = (sourceTopic: string) => Promise<Map<number, number | null> | null>;

export class BadPartitionError extends Error {
  override name = 'BadPartitionError';
}

export interface PartitionComparison extends AlignmentResult {
  partition: number;
  equal: boolean;
  /** The target held the whole range (false: the deadline passed first, or the compare was stopped). */
  complete: boolean;
  sourceStartOffset: number;
  sourceEndOffset: number;
  /** How far the target holds the source, as a source offset (exclusive): MM2's position + 1 or the last match + 1. */
  targetReachedSourceOffset: number | null;
}

export interface CompareResult {
  topic: string;
  targetTopic: string;
  equal: boolean;
  partitions: PartitionComparison[];
  elapsedMs: number;
  stopped: boolean;
}

export interface CompareProgress {
  partition: number;
  /** reading: comparing what both sides hold; waiting: the target does not hold the range yet. */
  phase: 'reading' | 'waiting';
  sourceEndOffset: number;
  targetReachedSourceOffset: number | null;
  elapsedMs: number;
  /** How long this partition has waited for the target. */
  waitingMs: number;
  done: PartitionComparison[];
}

export interface CompareOptions {
  /** Only this partition. */
  partition?: number;
  deadlineMs: number;
  positions: PositionReader;
  signal?: AbortSignal;
  /** The source range, when already captured (the console's check). */
  sourceRange?: ConsumeRange;
  /** cleanup.policy of the source topic includes compact. */
  compacted?: boolean;
  onProgress?: (progress: CompareProgress) => void;
  now?: () => number;
  window?: number;
  pollMs?: number;
}

const CHUNK_BYTES = 256 * 1024;
// kafkajs is CommonJS: its enums are not visible as named ESM exports.
const { ConfigResourceTypes } = kafkajs;

/** MM2's positions for `sourceTopic` as a snapshot holds them; null when the snapshot has none. */
export function positionsIn(
  snapshot: Snapshot | null,
  sourceTopic: string,
): Map<number, number | null> | null {
  const mirror = snapshot?.mirror.topics.find((t) => t.source === sourceTopic);
  if (!mirror) return null;
  return new Map(mirror.partitions.map((p) => [p.partition, p.mm2Position]));
}

/** Whether the source topic's cleanup.policy includes compact (older versions of a key may be gone). */
export async function isCompacted(wire: WireCluster, topic: string): Promise<boolean> {
  const admin = wire.kafka.admin();
  await admin.connect();
  try {
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['cleanup.policy'] }],
    });
    const policy = described.resources[0]?.configEntries.find((e) => e.configName === 'cleanup.policy');
    return (policy?.configValue ?? '').includes('compact');
  } finally {
    await admin.disconnect();
  }
}

/** How far the target holds the source, in words an SRE reads: "target reached source offset X of Y after 30 s". */
export function reachedLine(
  partition: number,
  reached: number | null,
  end: number,
  elapsedMs: number,
): string {
  const at = reached === null ? 'an unknown offset' : `offset ${reached}`;
  return `partition ${partition}: target reached source ${at} of ${end} after ${Math.round(elapsedMs / 1000)} s`;
}

export function targetTopicOf(connection: Connection, sourceTopic: string): string {
  return remoteTopicName(connection.policy, connection.source.alias, sourceTopic);
}

/** Reads one partition forward in chunks, stepping over transaction markers and compacted gaps. */
class PartitionReader {
  constructor(
    private readonly wire: WireCluster,
    private readonly topic: string,
    private readonly partition: number,
    public next: number,
  ) {}

  /** Records from `next` below `bound` (one fetch); [] when none is there yet. */
  async read(bound: number, maxWaitMs: number): Promise<PartitionFetch['records']> {
    if (this.next >= bound) return [];
    const [answer] = await this.wire.fetch(this.topic, new Map([[this.partition, this.next]]), {
      maxBytesPerPartition: CHUNK_BYTES,
      maxWaitMs,
    });
    if (!answer) return [];
    if (answer.errorCode === 1 && answer.logStartOffset !== null) {
      // Deleted by retention while we read: continue at the new start.
      this.next = Math.max(this.next, answer.logStartOffset);
      return [];
    }
    if (answer.errorCode !== 0)
      throw new Error(`fetch of ${this.topic}[${this.partition}] failed: error code ${answer.errorCode}`);
    const records = answer.records.filter((r) => r.offset < bound);
    if (answer.nextOffset !== null) this.next = Math.min(bound, Math.max(this.next, answer.nextOffset));
    else if (answer.highWatermark >= bound && bound !== Number.POSITIVE_INFINITY) this.next = bound;
    return records;
  }
}

async function latestOffset(wire: WireCluster, topic: string, partition: number): Promise<number> {
  const offsets = await wire.offsets([{ topic, partitions: [partition] }]);
  return offsets.get(topic)?.get(partition)?.latest ?? 0;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

interface PartitionJob {
  partition: number;
  sourceStart: number;
  sourceEnd: number;
  targetStart: number;
}

async function comparePartition(
  source: WireCluster,
  target: WireCluster,
  topic: string,
  targetTopic: string,
  job: PartitionJob,
  options: CompareOptions,
  report: (phase: CompareProgress['phase'], reached: number | null, waitingMs: number) => void,
): Promise<PartitionComparison> {
  const now = options.now ?? Date.now;
  const pollMs = options.pollMs ?? 500;
  const aligner = new RecordAligner({
    ...(options.window !== undefined ? { window: options.window } : {}),
    compacted: options.compacted ?? false,
  });
  const src = new PartitionReader(source, topic, job.partition, job.sourceStart);
  const tgt = new PartitionReader(target, targetTopic, job.partition, job.targetStart);
  let lastInRange: number | null = null;
  let reached: number | null = null;
  const aborted = () => options.signal?.aborted === true;
  const outcome = (complete: boolean): PartitionComparison => {
    const result = aligner.result();
    return {
      partition: job.partition,
      ...result,
      equal: complete && result.missing + result.extra + result.different === 0,
      complete,
      sourceStartOffset: job.sourceStart,
      sourceEndOffset: job.sourceEnd,
      targetReachedSourceOffset: reached,
    };
  };
  /** Reads each side up to the look-ahead window (or its bound); true when anything moved. */
  const fill = async (sourceBound: number, targetBound: number): Promise<boolean> => {
    let moved = false;
    while (!aligner.full('source') && src.next < sourceBound) {
      const before = src.next;
      const inRange = src.next < job.sourceEnd;
      const records = await src.read(inRange ? job.sourceEnd : sourceBound, 0);
      aligner.addSource(records, inRange);
      if (inRange && records.length > 0) lastInRange = records.at(-1)!.offset;
      if (src.next === before && records.length === 0) break;
      moved = true;
    }
    while (!aligner.full('target') && tgt.next < targetBound) {
      const before = tgt.next;
      const records = await tgt.read(targetBound, 0);
      aligner.addTarget(records);
      if (tgt.next === before && records.length === 0) break;
      moved = true;
    }
    return moved;
  };
  const reachedFrom = (position: number | null) =>
    position !== null
      ? position + 1
      : aligner.lastResolvedSourceOffset === null
        ? null
        : aligner.lastResolvedSourceOffset + 1;

  // 1. Compare what both sides hold, until the target holds the range: every record of the range has
  // its copy, or MM2's position reached the range's last record.
  const waitStarted = now();
  for (;;) {
    if (aborted()) return outcome(false);
    const moved = await fill(job.sourceEnd, Number.POSITIVE_INFINITY);
    aligner.align(false, false);
    const sourceRead = src.next >= job.sourceEnd;
    if (sourceRead && (lastInRange === null || aligner.unresolvedInRange === 0)) break;
    if (moved) continue;
    const position = (await options.positions(topic).catch(() => null))?.get(job.partition) ?? null;
    reached = reachedFrom(position);
    if (sourceRead && position !== null && lastInRange !== null && position >= lastInRange) break;
    const lastBuffered = aligner.lastBufferedSourceOffset;
    if (position !== null && lastBuffered !== null && position >= lastBuffered) {
      // MM2 copied everything buffered: what the target lacks now (read after the position) is missing.
      await fill(job.sourceEnd, Number.POSITIVE_INFINITY);
      aligner.align(false, true);
      continue;
    }
    if (now() >= options.deadlineMs) return outcome(false);
    report('waiting', reached, now() - waitStarted);
    await sleep(pollMs, options.signal);
  }
  if (now() - waitStarted > pollMs) report('reading', job.sourceEnd, 0);
  reached = Math.max(reached ?? job.sourceEnd, job.sourceEnd);

  // 2. The target up to its end now, against the source up to its end after that: records written
  // after the captured end are read only to recognise their copies; anything else is extra.
  const targetEnd = await latestOffset(target, targetTopic, job.partition);
  const sourceNow = await latestOffset(source, topic, job.partition);
  for (;;) {
    if (aborted()) return outcome(false);
    const moved = await fill(sourceNow, targetEnd);
    const sourceFinal = src.next >= sourceNow || (!moved && !aligner.full('source'));
    const targetFinal = tgt.next >= targetEnd || (!moved && !aligner.full('target'));
    aligner.align(sourceFinal, targetFinal);
    if (aligner.bufferedTarget === 0 && targetFinal && aligner.unresolvedInRange === 0) break;
  }
  return outcome(true);
}

/**
 * The range to compare per partition (source earliest and captured end), the target's start; throws
 * UnknownTopicError or BadPartitionError for bad input.
 */
async function plan(
  source: WireCluster,
  target: WireCluster,
  topic: string,
  targetTopic: string,
  options: CompareOptions,
): Promise<PartitionJob[]> {
  // A range captured elsewhere still needs the topic's leaders known on this connection.
  if (options.sourceRange) await source.topicMetadata([topic]);
  const sourceRange =
    options.sourceRange ??
    (await captureRange(source, topic).catch((error) => {
      if (error instanceof UnknownTopicError)
        throw new UnknownTopicError(`unknown topic '${topic}' on the source cluster`);
      throw error;
    }));
  const targetRange = await captureRange(target, targetTopic).catch((error) => {
    if (error instanceof UnknownTopicError)
      throw new UnknownTopicError(`topic '${topic}' has no copy '${targetTopic}' on the target cluster`);
    throw error;
  });
  const partitions = Object.keys(sourceRange.endOffsets)
    .map(Number)
    .sort((a, b) => a - b);
  if (options.partition !== undefined && !partitions.includes(options.partition))
    throw new BadPartitionError(
      `topic '${topic}' has no partition ${options.partition} (partitions 0..${partitions.length - 1})`,
    );
  const chosen = options.partition !== undefined ? [options.partition] : partitions;
  return chosen.map((partition) => {
    const targetStart = targetRange.startOffsets[partition];
    if (targetStart === undefined)
      throw new BadPartitionError(
        `partition ${partition} of '${topic}' is not on the target copy '${targetTopic}'`,
      );
    return {
      partition,
      sourceStart: sourceRange.startOffsets[partition] ?? 0,
      sourceEnd: sourceRange.endOffsets[partition] ?? 0,
      targetStart,
    };
  });
}

export async function compareTopic(
  source: WireCluster,
  target: WireCluster,
  topic: string,
  targetTopic: string,
  options: CompareOptions,
): Promise<CompareResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const jobs = await plan(source, target, topic, targetTopic, options);
  const partitions: PartitionComparison[] = [];
  for (const job of jobs) {
    const report = (phase: CompareProgress['phase'], reached: number | null, waitingMs: number) =>
      options.onProgress?.({
        partition: job.partition,
        phase,
        sourceEndOffset: job.sourceEnd,
        targetReachedSourceOffset: reached,
        elapsedMs: now() - started,
        waitingMs,
        done: [...partitions],
      });
    report('reading', null, 0);
    partitions.push(await comparePartition(source, target, topic, targetTopic, job, options, report));
    if (options.signal?.aborted) break;
  }
  return {
    topic,
    targetTopic,
    equal: partitions.length === jobs.length && partitions.every((p) => p.equal),
    partitions,
    elapsedMs: now() - started,
    stopped: options.signal?.aborted === true,
  };
}
