/** The console's consume-from-beginning check: progress for the check pane, then a count on the other cluster. */
import type { Connection } from '../config/connection.js';
import { remoteTopicName } from '../config/replication-policy.js';
import { describeKafkaError } from '../kafka/errors.js';
import { WireCluster } from '../kafka/wire-cluster.js';
import type { ClusterRole } from '../monitor/snapshot.js';
import { escapeBytes, truncateDisplay } from '../util/escape.js';
import { captureRange, consumeRange, UnknownTopicError } from './consume.js';
import type { CheckHandle, CheckProgress, CheckRecord } from './types.js';

const LAST_RECORDS = 8;
const PROGRESS_EVERY_MS = 250;

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
      emit(
        {
          counts: { ...result.counts },
          total: result.total,
          last,
          recordsPerSecond: Math.round(result.total / seconds),
          done: !abort.signal.aborted,
          stopped: abort.signal.aborted,
        },
        true,
      );
      if (abort.signal.aborted) return;
      await compare();
    } catch (error) {
      emit({ error: describe(connection, cluster, topic, error), done: true }, true);
    } finally {
      await wire.disconnect();
    }
  };

  const compare = async () => {
    const other: ClusterRole = cluster === 'source' ? 'target' : 'source';
    const otherTopic = topicOn(connection, other, sourceTopic);
    const wire = wireFor(connection, other);
    try {
      const range = await captureRange(wire, otherTopic);
      const result = await consumeRange(wire, otherTopic, range, { signal: abort.signal });
      const partitions = new Set([...Object.keys(result.counts), ...Object.keys(progress.counts)]);
      const equal = [...partitions].every(
        (p) => (result.counts[Number(p)] ?? 0) === (progress.counts[Number(p)] ?? 0),
      );
      emit(
        {
          comparison: {
            cluster: other,
            topic: otherTopic,
            counts: { ...result.counts },
            total: result.total,
            equal,
            error: null,
          },
        },
        true,
      );
    } catch (error) {
      emit(
        {
          comparison: {
            cluster: other,
            topic: otherTopic,
            counts: {},
            total: 0,
            equal: false,
            error: describe(connection, other, otherTopic, error),
          },
        },
        true,
      );
    } finally {
      await wire.disconnect();
    }
  };

  void run();
  return {
    stop: () => {
      if (progress.done && progress.comparison) return;
      abort.abort();
      emit({ stopped: true }, true);
    },
  };
}
