import { emptyCluster } from '../../source/monitor/assemble-snapshot.js';
import type {
  ClusterView,
  DataSourceHealth,
  DataSourceName,
  GroupInfo,
  MirrorState,
  MirrorTopic,
  Snapshot,
  TopicInfo,
} from '../../source/monitor/snapshot.js';

/** A healthy snapshot of a small migration, for pure tests; override what a test is about. */
export function health(name: DataSourceName, ok: boolean, lastError: string | null = null): DataSourceHealth {
  return {
    name,
    label: name,
    configured: true,
    ok,
    lastSuccessMs: ok ? 1 : null,
    lastError,
    lastErrorMs: null,
    requests: 1,
    durationMs: 1,
  };
}

export function snapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  const view = (role: 'source' | 'target') => emptyCluster(role, role, []);
  return {
    seq: 1,
    takenAtMs: 100_000,
    flow: { source: 'old', target: 'new', policy: { kind: 'identity', separator: '.' } },
    source: view('source'),
    target: view('target'),
    mirror: { topics: [], totalLag: 0, positionsFrom: 'x' },
    heartbeats: [
      { source: 'old', target: 'new', timestampMs: 99_000, recordTimestampMs: 99_000, ageMs: 1000 },
    ],
    checkpoints: [],
    metrics: {
      partitions: [{ topic: 't', partition: 0, recordCount: 1 }],
      connectors: [],
      families: ['f'],
      totalRecordCount: 1,
    },
    metricsHistory: [],
    connectors: [
      {
        name: 'old->new.MirrorSourceConnector',
        state: 'RUNNING',
        type: 'source',
        tasks: [{ id: 0, state: 'RUNNING', trace: null }],
        from: 'connect-rest',
      },
    ],
    health: {
      source: health('source', true),
      target: health('target', true),
      'mm2-internal': health('mm2-internal', true),
      metrics: health('metrics', true),
      connect: health('connect', true),
    },
    requests: 5,
    refreshMs: 10,
    ...overrides,
  };
}

/** A one-broker cluster view (`old` source, `new` target) holding `topics` and `groups`. */
export function clusterView(
  role: 'source' | 'target',
  topics: TopicInfo[],
  groups: GroupInfo[] = [],
): ClusterView {
  return {
    role,
    alias: role === 'source' ? 'old' : 'new',
    bootstrap: ['x:1'],
    clusterId: null,
    controllerId: 1,
    brokers: [{ nodeId: 1, host: 'x', port: 1 }],
    version: '4.x',
    topics,
    groups,
  };
}

/** A one-partition mirrored topic with 10 source offsets and MM2 `lag` behind (null: position unknown). */
export function mirrorTopic(
  name: string,
  lag: number | null,
  options: { state?: MirrorState; targetLatest?: number } = {},
): MirrorTopic {
  const state = options.state ?? (lag === 0 ? 'in-sync' : 'mirroring');
  const targetLatest = options.targetLatest ?? 10;
  return {
    source: name,
    target: name,
    state,
    sourcePartitions: 1,
    targetPartitions: state === 'missing' ? null : 1,
    sourceRecords: 10,
    targetRecords: targetLatest,
    lag,
    partitions: [
      {
        partition: 0,
        sourceEarliest: 0,
        sourceLatest: 10,
        targetEarliest: 0,
        targetLatest,
        mm2Position: lag === null ? null : 9 - lag,
        lag,
        recordCount: null,
        recordAgeMs: null,
        replicationLatencyMs: null,
      },
    ],
  };
}
