/**
 * One refresh's Snapshot from what each source last read: the join of clusters, MM2's internal topics,
 * Connect and the metrics scrape. Pure (no wire, no clock of its own), so the poller publishes through
 * it and the scale simulation (test/bench/simulate.ts) times exactly what a refresh computes.
 */

import type { Connection } from '../config/connection.js';
import { compileMm1Include, MM2_MIRROR } from '../config/mirror-kind.js';
import { remoteTopicNaming } from '../config/replication-policy.js';
import type { Mm2Metrics } from '../mm2/mm2-metrics.js';
import { ageMs } from '../model/freshness.js';
import { attachTranslations, buildMirrorTopics, summariseCheckpoints } from '../model/mirror.js';
import { mm1Committed } from '../model/mm1.js';
import { compareNames } from '../model/name-order.js';
import type { ScrapeTimings } from '../model/replication-timing.js';
import { type ConnectReading, connectorsFromMetrics, connectorsOfFlow } from './read-endpoints.js';
import type { Mm2InternalState } from './read-mm2-internal.js';
import type {
  ClusterRole,
  ClusterView,
  DataSourceHealth,
  DataSourceName,
  MetricsHistoryPoint,
  ProbeState,
  Snapshot,
} from './snapshot.js';

export interface SnapshotParts {
  seq: number;
  takenAtMs: number;
  startedAtMs: number;
  connection: Pick<Connection, 'source' | 'target' | 'policy' | 'flow' | 'connectUrl' | 'mirror'>;
  /** Each source's last good data (null before its first read) and its health. */
  source: ClusterView | null;
  target: ClusterView | null;
  internal: Mm2InternalState | null;
  connect: ConnectReading | null;
  metrics: Mm2Metrics | null;
  health: Record<DataSourceName, DataSourceHealth>;
  timings: ScrapeTimings;
  /** Per source partition, the offset after its last data record when a marker tail follows it. */
  dataEnds: ReadonlyMap<string, number>;
  metricsHistory: MetricsHistoryPoint[];
  probe?: ProbeState;
}

/** A cluster not read yet: its alias and bootstrap, nothing else. */
export function emptyCluster(role: ClusterRole, alias: string, bootstrap: string[]): ClusterView {
  return {
    role,
    alias,
    bootstrap,
    clusterId: null,
    controllerId: null,
    brokers: [],
    version: null,
    topics: [],
    groups: [],
  };
}

/** MM2's positions: from Connect REST when it has them, else from the Connect offsets topic. */
export function mm2Positions(
  connect: ConnectReading | null,
  internal: Mm2InternalState | null,
): ReadonlyMap<string, number | null> | null {
  const restPositions = connect && connect.positions.size > 0 ? connect.positions : null;
  const topicPositions = internal?.positionsTopic ? internal.positions : null;
  return restPositions ?? topicPositions;
}

/** One empty list, so that the join's per-scrape index stays the same while there is no scrape. */
const NO_METRIC_PARTITIONS: Mm2Metrics['partitions'] = [];
const NO_CHECKPOINTS: Mm2InternalState['checkpoints'] = new Map();

export function assembleSnapshot(parts: SnapshotParts): Snapshot {
  const c = parts.connection;
  const { metrics, internal, connect } = parts;
  const now = parts.takenAtMs;
  const timing = metrics ? parts.timings.summary() : undefined;
  const sourceRaw = parts.source ?? emptyCluster('source', c.source.alias, c.source.bootstrap);
  const mirrorSettings = c.mirror ?? MM2_MIRROR;
  const mm1 = mirrorSettings.mm1;
  // MM1's group is the mirror, not one of the operator's groups.
  const mm1Group = mm1 ? sourceRaw.groups.find((g) => g.group === mm1.group) : undefined;
  const source = mm1 ? { ...sourceRaw, groups: sourceRaw.groups.filter((g) => g !== mm1Group) } : sourceRaw;
  const targetRaw = parts.target ?? emptyCluster('target', c.target.alias, c.target.bootstrap);
  const target = {
    ...targetRaw,
    groups: attachTranslations(targetRaw.groups, internal?.checkpoints ?? NO_CHECKPOINTS),
  };
  const restPositions = connect && connect.positions.size > 0 ? connect.positions : null;
  const topicPositions = internal?.positionsTopic ? internal.positions : null;
  const mirrorTopics = buildMirrorTopics({
    ...(mm1
      ? {
          mm1: {
            committed: mm1Committed(mm1Group),
            include: mm1.include ? compileMm1Include(mm1.include) : null,
          },
        }
      : {}),
    source,
    target,
    dataEnds: parts.dataEnds,
    sourceAlias: c.source.alias,
    policy: c.policy,
    positions: mm2Positions(connect, internal),
    metricPartitions: metrics?.partitions ?? NO_METRIC_PARTITIONS,
    timings: parts.timings,
    flow: c.flow,
    targetAlias: c.target.alias,
  });
  let totalLag: number | null = null;
  for (const t of mirrorTopics) if (t.lag !== null) totalLag = (totalLag ?? 0) + t.lag;
  const checkpoints = summariseCheckpoints(
    internal?.checkpoints ?? NO_CHECKPOINTS,
    source.groups,
    remoteTopicNaming(c.policy, c.source.alias),
    now,
  );
  const connectors = connectorsOfFlow(
    connect?.connectors ?? (metrics ? connectorsFromMetrics(metrics) : []),
    c.source.alias,
    c.target.alias,
  );
  return {
    seq: parts.seq,
    takenAtMs: now,
    flow: { source: c.source.alias, target: c.target.alias, policy: c.policy },
    source,
    target,
    mirror: {
      kind: mirrorSettings.kind,
      autoOffsetReset: mirrorSettings.autoOffsetReset,
      ...(mm1
        ? {
            mm1: {
              group: mm1.group,
              include: mm1.include,
              state: mm1Group?.state ?? null,
              members: mm1Group?.members ?? 0,
              committedPartitions: mm1Group?.partitions.committedCount() ?? 0,
            },
          }
        : {}),
      topics: mirrorTopics,
      totalLag,
      positionsFrom: mm1
        ? parts.health.source.ok
          ? `group ${mm1.group} on ${c.source.alias}`
          : null
        : restPositions
          ? `Connect REST ${c.connectUrl}`
          : topicPositions
            ? `topic ${internal?.positionsTopic}`
            : null,
    },
    heartbeats: (internal?.heartbeats ?? [])
      .map((h) => ({ ...h, ageMs: ageMs(now, h.timestampMs) ?? 0 }))
      .sort((a, b) => compareNames(`${a.source}->${a.target}`, `${b.source}->${b.target}`)),
    checkpoints,
    metrics,
    metricsHistory: parts.metricsHistory,
    ...(timing ? { timing } : {}),
    ...(parts.probe ? { probe: parts.probe } : {}),
    connectors,
    health: parts.health,
    requests: Object.values(parts.health).reduce((sum, h) => sum + h.requests, 0),
    refreshMs: now - parts.startedAtMs,
  };
}
