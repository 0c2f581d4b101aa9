/** The console's consume-from-beginning check: progress for the check pane, then a count on the other cluster. */
import type { Connection } from '../config/connection.js';
import { remoteTopicName } from '../config/replication-policy.js';
import { describeKafkaError } from '../kafka/errors.js';
import { WireCluster } from '../kafka/wire-cluster.js';
import type { ClusterRole } from '../monitor/snapshot.js';
import { escapeBytes, truncateDisplay } from '../util/escape.js';
import {
  type CompareProgress,
  compareTopic,
  isCompacted,
  type PartitionComparison,
  type PositionReader,
  reachedLine,
} from './compare.js';
import { type ConsumeRange, captureRange, consumeRange, UnknownTopicError } from './consume.js';
import type { CheckComparison, CheckHandle, CheckProgress, CheckRecord } from './types.js';

const LAST_RECORDS = 8;
const PROGRESS_EVERY_MS = 250;
/** How long the comparison waits for MM2 to copy the captured range. */
const COMPARE_TIMEOUT_MS = 60_000;

function topicOn(connection: Connection, cluster: ClusterRole, sourceTopic: string): string {
  return cluster === 'source'
    ? sourceTopic
    : remoteTopicName(connection.policy, connection.source.alias, sourceTopic);
}

function wireFor(connection: Connection, cluster: ClusterRole): WireCluster {
  const c = connection[cluster];
  return new WireCluster(
    { name: cluster, brokers: c.bootstrap, security: c.security },
    `mirrorwatch-check-${cluster}`,
    { retries: 1 },
  );
}

function describe(connection: Connection, cluster: ClusterRole, topic: string, error: unknown): string {
  if (error instanceof UnknownTopicError) return `unknown topic '${topic}' on the ${cluster} cluster`;
  let text = describeKafkaError(error, `${cluster} cluster`, connection[cluster].bootstrap);
  for (const secret of connection.secrets) if (secret) text = text.split(secret).join('***');
  return text;
}

export function startCheck(
  connection: Connection,
  cluster: ClusterRole,
  sourceTopic: string,
  onProgress: (progress: CheckProgress) => void,
  positions: PositionReader = async () => null,
  now: () => number = Date.now,
): CheckHandle {
  const abort = new AbortController();
  const topic = topicOn(connection, cluster, sourceTopic);
  let progress: CheckProgress = {
    cluster,
    topic,
    startedAtMs: now(),
    endOffsets: {},
    startOffsets: {},
    counts: {},
    total: 0,
    expected: 0,
    recordsPerSecond: 0,
    last: [],
    done: false,
    stopped: false,
    error: null,
    comparison: null,
  };
  let lastEmit = 0;
  const emit = (changes: Partial<CheckProgress>, force = false) => {
    progress = { ...progress, ...changes };
    const t = now();
    if (force || t - lastEmit >= PROGRESS_EVERY_MS) {
      lastEmit = t;
      onProgress(progress);
    }
  };

  const run = async () => {
    const wire = wireFor(connection, cluster);
    let last: CheckRecord[] = [];
    try {
      const range = await captureRange(wire, topic);
      const expected = Object.keys(range.endOffsets).reduce(
        (sum, p) =>
          sum + Math.max(0, (range.endOffsets[Number(p)] ?? 0) - (range.startOffsets[Number(p)] ?? 0)),
        0,
      );
      emit({ startOffsets: range.startOffsets, endOffsets: range.endOffsets, expected }, true);
      const result = await consumeRange(wire, topic, range, {
        signal: abort.signal,
        onRecords: (partition, records) => {
          const newest = records.slice(-LAST_RECORDS).map((r) => ({
            partition,
            offset: r.offset,
            timestampMs: r.timestampMs,
            key: r.key === null ? '-' : truncateDisplay(escapeBytes(r.key), 60),
            value: r.value === null ? '-' : truncateDisplay(escapeBytes(r.value), 200),
          }));
          last = [...last, ...newest].slice(-LAST_RECORDS);
        },
        onProgress: (counts, total) => {
          const seconds = Math.max(0.001, (now() - progress.startedAtMs) / 1000);
          emit({ counts: { ...counts }, total, last, recordsPerSecond: Math.round(total / seconds) });
        },
      });
      const seconds = Math.max(0.001, (now() - progress.startedAtMs) / 1000);
      const other: ClusterRole = cluster === 'source' ? 'target' : 'source';
      emit(
        {
          counts: { ...result.counts },
          total: result.total,
          last,
          recordsPerSecond: Math.round(result.total / seconds),
          done: !abort.signal.aborted,
          stopped: abort.signal.aborted,
          comparison: abort.signal.aborted
            ? null
            : comparisonOf(other, topicOn(connection, other, sourceTopic), []),
        },
        true,
      );
      if (abort.signal.aborted) return;
      await compare(cluster === 'source' ? range : undefined);
    } catch (error) {
      emit({ error: describe(connection, cluster, topic, error), done: true }, true);
    } finally {
      await wire.disconnect();
    }
  };

  const comparisonOf = (
    other: ClusterRole,
    otherTopic: string,
    partitions: PartitionComparison[],
    changes: Partial<CheckComparison> = {},
  ): CheckComparison => {
    const counts: Record<number, number> = {};
    for (const p of partitions) counts[p.partition] = other === 'target' ? p.targetRecords : p.sourceRecords;
    return {
      cluster: other,
      topic: otherTopic,
      counts,
      total: Object.values(counts).reduce((a, b) => a + b, 0),
      partitions,
      running: true,
      note: null,
      equal: false,
      error: null,
      ...changes,
    };
  };

  /** The source range compared record by record with the target copy (the compare engine). */
  const compare = async (sourceRange: ConsumeRange | undefined) => {
    const other: ClusterRole = cluster === 'source' ? 'target' : 'source';
    const otherTopic = topicOn(connection, other, sourceTopic);
    const targetTopic = topicOn(connection, 'target', sourceTopic);
    const source = wireFor(connection, 'source');
    const target = wireFor(connection, 'target');
    let role: ClusterRole = 'source';
    try {
      await source.connect();
      role = 'target';
      await target.connect();
      role = 'source';
      const compacted = await isCompacted(source, sourceTopic).catch(() => false);
      const onProgress = (p: CompareProgress) => {
        const note =
          p.phase === 'waiting'
            ? `${reachedLine(p.partition, p.targetReachedSourceOffset, p.sourceEndOffset, p.elapsedMs)}`
            : null;
        emit({ comparison: comparisonOf(other, otherTopic, p.done, { note }) });
      };
      const result = await compareTopic(source, target, sourceTopic, targetTopic, {
        deadlineMs: now() + COMPARE_TIMEOUT_MS,
        positions,
        signal: abort.signal,
        compacted,
        onProgress,
        now,
        ...(sourceRange ? { sourceRange } : {}),
      });
      const incomplete = result.partitions.find((p) => !p.complete);
      const note = result.stopped
        ? 'stopped'
        : incomplete
          ? `${reachedLine(incomplete.partition, incomplete.targetReachedSourceOffset, incomplete.sourceEndOffset, result.elapsedMs)}: not fully copied yet`
          : null;
      emit(
        {
          stopped: result.stopped,
          comparison: comparisonOf(other, otherTopic, result.partitions, {
            running: false,
            equal: result.equal,
            note,
          }),
        },
        true,
      );
    } catch (error) {
      const there = role === 'source' ? sourceTopic : targetTopic;
      const text =
        error instanceof UnknownTopicError ? error.message : describe(connection, role, there, error);
      emit({ comparison: comparisonOf(other, otherTopic, [], { running: false, error: text }) }, true);
    } finally {
      await Promise.all([source.disconnect(), target.disconnect()]);
    }
  };

  void run();
  return {
    stop: () => {
      if (progress.done && progress.comparison && !progress.comparison.running) return;
      abort.abort();
      emit({ stopped: true }, true);
    },
  };
}
