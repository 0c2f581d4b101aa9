/**
 * Snapshots modelled on the lab's seed data (topic1, topic2 with 20,000 records, DmmAccess with 6
 * partitions, apache-logs with 15; a lagging and a caught-up group), and in-memory doubles of the
 * console's own interfaces (SnapshotFeed, ConsoleActions) and of the terminal's streams for component
 * tests.
 */
import { EventEmitter } from 'node:events';
import type { PartitionComparison } from '../../source/actions/compare.js';
import type {
  ActionOutcome,
  CheckComparison,
  CheckHandle,
  CheckProgress,
  CheckRecord,
  ConsoleActions,
  CutoverReads,
  MirrorControl,
  PlannedTopic,
} from '../../source/actions/types.js';
import type { Mm2Metrics, PartitionMetrics } from '../../source/mm2/mm2-metrics.js';
import { GroupPartitions } from '../../source/model/group-partitions.js';
import type { GroupTranslations } from '../../source/model/group-translations.js';
import { partitionTimings, summariseTimings } from '../../source/model/replication-timing.js';
import type { SnapshotFeed } from '../../source/monitor/feed.js';
import type {
  ClusterRole,
  DataSourceHealth,
  DataSourceName,
  GroupInfo,
  GroupPartition,
  MirrorPartition,
  MirrorTopic,
  ProbeState,
  Snapshot,
  TopicInfo,
} from '../../source/monitor/snapshot.js';
import { NO_TRANSLATIONS, translationsOf } from '../helpers/group-partitions.js';

/** The fixed "now" of every fixture and of the App's clock in tests. */
export const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
export const clock = (): number => NOW;

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface SeedTopic {
  name: string;
  partitions: number;
  records: number;
  /** Records MM2 has not replicated yet, spread over the partitions. */
  lag: number;
  /** Not created on the target. */
  missing?: boolean;
  /** Nothing replicated in MM2's metric window (seeded once, no traffic since). */
  idle?: boolean;
}

export const SEED: readonly SeedTopic[] = [
  { name: 'topic1', partitions: 1, records: 300, lag: 0 },
  { name: 'topic2', partitions: 1, records: 20_000, lag: 0, idle: true },
  { name: 'DmmAccess', partitions: 6, records: 600, lag: 0 },
  { name: 'apache-logs', partitions: 15, records: 900, lag: 150 },
  { name: 'audit-events', partitions: 3, records: 90, lag: 90, missing: true },
];

export interface FixtureOptions {
  /** The target cluster's last read failed 12 s ago. */
  targetStale?: boolean;
  /** Extra source topics (e.g. with hostile names), mirrored in sync. */
  extraTopics?: string[];
  /** No MM2 partition metrics in the scrape (only these families found). */
  metricFamiliesOnly?: string[];
  /** The end-to-end probe's state (`--probe`). */
  probe?: ProbeState;
}

function split(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, i) => base + (i < total % parts ? 1 : 0));
}

function topicInfo(name: string, perPartition: number[]): TopicInfo {
  return {
    name,
    internal: false,
    replicationFactor: 3,
    partitions: perPartition.map((n, partition) => ({
      partition,
      leader: (partition % 3) + 1,
      replicas: 3,
      isr: 3,
      earliest: 0,
      latest: n,
    })),
    records: perPartition.reduce((a, b) => a + b, 0),
  };
}

function mirrorTopic(seed: SeedTopic): MirrorTopic {
  const counts = split(seed.records, seed.partitions);
  const lags = split(seed.lag, seed.partitions);
  const partitions: MirrorPartition[] = counts.map((n, partition) => {
    const lag = lags[partition] ?? 0;
    const copied = seed.missing ? null : n - lag;
    return {
      partition,
      sourceEarliest: 0,
      sourceLatest: n,
      targetEarliest: seed.missing ? null : 0,
      targetLatest: copied,
      mm2Position: copied === null || copied === 0 ? null : copied - 1,
      lag: seed.missing ? null : lag,
      recordCount: copied,
      recordAgeMs: seed.missing || seed.idle ? null : 180 + partition,
      replicationLatencyMs: seed.missing || seed.idle ? null : 40 + partition,
      idle: seed.missing ? null : seed.idle === true,
    };
  });
  const state = seed.missing ? 'missing' : seed.lag > 0 ? 'mirroring' : 'in-sync';
  return {
    source: seed.name,
    target: `A.${seed.name}`,
    state,
    sourcePartitions: seed.partitions,
    targetPartitions: seed.missing ? null : seed.partitions,
    sourceRecords: seed.records,
    targetRecords: seed.missing ? null : seed.records - seed.lag,
    lag: seed.missing ? null : seed.lag,
    partitions,
  };
}

function groupPartitions(
  topic: string,
  ends: number[],
  committed: (p: number, end: number) => number,
): GroupPartition[] {
  return ends.map((end, partition) => {
    const c = committed(partition, end);
    return {
      topic,
      partition,
      committed: c,
      logEnd: end,
      belowLogStart: false,
      lag: Math.max(0, end - c),
      negative: c > end,
      owner: null,
    };
  });
}

function group(
  cluster: ClusterRole,
  id: string,
  state: string,
  members: number,
  rows: GroupPartition[],
): GroupInfo {
  const partitions = GroupPartitions.of(rows);
  return {
    cluster,
    group: id,
    state,
    protocolType: 'consumer',
    protocol: 'classic',
    members,
    partitions,
    totalLag: partitions.totalLag(),
    translations: NO_TRANSLATIONS,
  };
}

function translations(
  partitions: GroupPartition[],
  upstream: (p: number) => number,
  ageMs: number,
): GroupTranslations {
  return translationsOf(
    partitions.map((p) => ({
      topic: p.topic,
      partition: p.partition,
      upstreamOffset: upstream(p.partition),
      downstreamOffset: p.committed ?? 0,
      recordTimestampMs: NOW - ageMs,
    })),
  );
}

function health(
  name: DataSourceName,
  label: string,
  overrides: Partial<DataSourceHealth> = {},
): DataSourceHealth {
  return {
    name,
    label,
    configured: true,
    ok: true,
    lastSuccessMs: NOW - 1000,
    lastError: null,
    lastErrorMs: null,
    requests: 4,
    durationMs: 35,
    ...overrides,
  };
}

function metricsFor(topics: readonly MirrorTopic[], familiesOnly?: string[]): Mm2Metrics {
  if (familiesOnly) {
    return { partitions: [], connectors: [], families: familiesOnly, totalRecordCount: 0 };
  }
  const partitions: PartitionMetrics[] = topics
    .filter((t) => t.state !== 'missing')
    .flatMap((t) =>
      t.partitions.map((p) => ({
        source: 'A',
        target: 'B',
        topic: t.target,
        partition: p.partition,
        recordCount: p.recordCount ?? 0,
        recordAgeMsMax: p.recordAgeMs ?? undefined,
        replicationLatencyMsMax: p.replicationLatencyMs ?? undefined,
        // an idle partition keeps its last value in the un-windowed gauges: 15 s after seeding
        recordAgeMs: p.idle ? 15_900 : (p.recordAgeMs ?? undefined),
        windowed: true,
      })),
    );
  return {
    partitions,
    connectors: [],
    families: [
      'kafka_connect_mirror_mirrorsourceconnector_record_count',
      'kafka_connect_mirror_mirrorsourceconnector_record_age_ms_max',
    ],
    totalRecordCount: partitions.reduce((sum, p) => sum + (p.recordCount ?? 0), 0),
  };
}

export function buildSnapshot(options: FixtureOptions = {}): Snapshot {
  const seeds: SeedTopic[] = [
    ...SEED,
    ...(options.extraTopics ?? []).map((name) => ({ name, partitions: 1, records: 10, lag: 0 })),
  ];
  const mirrors = seeds.map(mirrorTopic);

  const apacheEnds = split(900, 15);
  const dmmEnds = split(600, 6);
  const indexerSource = groupPartitions('apache-logs', apacheEnds, (_p, end) => end - 30);
  const readerSource = groupPartitions('DmmAccess', dmmEnds, (_p, end) => end);
  const indexerTarget = groupPartitions('A.apache-logs', split(750, 15), (_p, end) => end - 20);
  // partition 2 translated one record too far: committed beyond the log end (KAFKA-12635)
  const readerTarget = groupPartitions('A.DmmAccess', dmmEnds, (p, end) => (p === 2 ? end + 1 : end));

  const targetGroups = [
    {
      ...group('target', 'apache-logs-indexer', 'Empty', 0, indexerTarget),
      translations: translations(indexerTarget, (p) => (apacheEnds[p] ?? 0) - 30, 12_000),
    },
    {
      ...group('target', 'dmm-access-reader', 'Empty', 0, readerTarget),
      translations: translations(readerTarget, (p) => dmmEnds[p] ?? 0, 20_000),
    },
  ];

  const metrics = metricsFor(mirrors, options.metricFamiliesOnly);
  const history = Array.from({ length: 12 }, (_, i) => ({
    atMs: NOW - (11 - i) * 5000,
    recordCount: 21_000 + i * 250,
    maxRecordAgeMs: 150 + ((i * 37) % 90),
    maxReplicationLatencyMs: 30 + ((i * 13) % 40),
  }));

  return {
    seq: 42,
    takenAtMs: NOW,
    flow: { source: 'A', target: 'B', policy: { kind: 'default', separator: '.' } },
    source: {
      role: 'source',
      alias: 'A',
      bootstrap: ['127.0.0.1:19092'],
      clusterId: 'source-cluster-id',
      controllerId: 1,
      brokers: [1, 2, 3].map((nodeId) => ({ nodeId, host: '127.0.0.1', port: 19091 + nodeId })),
      version: '3.9',
      topics: seeds.map((s) => topicInfo(s.name, split(s.records, s.partitions))),
      groups: [
        group('source', 'apache-logs-indexer', 'Stable', 2, indexerSource),
        group('source', 'dmm-access-reader', 'Empty', 0, readerSource),
      ],
    },
    target: {
      role: 'target',
      alias: 'B',
      bootstrap: ['127.0.0.1:29092'],
      clusterId: 'target-cluster-id',
      controllerId: 1,
      brokers: [{ nodeId: 1, host: '127.0.0.1', port: 29092 }],
      version: '4.x',
      topics: mirrors
        .filter((m) => m.state !== 'missing')
        .map((m) =>
          topicInfo(
            m.target,
            m.partitions.map((p) => p.targetLatest ?? 0),
          ),
        ),
      groups: targetGroups,
    },
    mirror: {
      topics: mirrors,
      totalLag: mirrors.reduce((sum, m) => sum + (m.lag ?? 0), 0),
      positionsFrom: 'mm2-offsets.A.internal',
    },
    heartbeats: [
      { source: 'A', target: 'B', timestampMs: NOW - 2000, recordTimestampMs: NOW - 2000, ageMs: 2000 },
    ],
    checkpoints: [
      {
        group: 'apache-logs-indexer',
        partitions: 15,
        newestTimestampMs: NOW - 12_000,
        ageMs: 12_000,
        current: true,
      },
      {
        group: 'dmm-access-reader',
        partitions: 6,
        newestTimestampMs: NOW - 20_000,
        ageMs: 20_000,
        current: false,
      },
    ],
    metrics,
    metricsHistory: history,
    timing: summariseTimings(partitionTimings(metrics.partitions, null).values()),
    ...(options.probe ? { probe: options.probe } : {}),
    connectors: ['MirrorSourceConnector', 'MirrorCheckpointConnector', 'MirrorHeartbeatConnector'].map(
      (kind, i) => ({
        name: `A->B.${kind}`,
        state: 'RUNNING',
        type: 'source',
        tasks: Array.from({ length: i === 0 ? 2 : 1 }, (_, id) => ({ id, state: 'RUNNING', trace: null })),
        from: 'connect-rest' as const,
      }),
    ),
    health: {
      source: health('source', 'source cluster 127.0.0.1:19092'),
      target: health(
        'target',
        'target cluster 127.0.0.1:29092',
        options.targetStale
          ? {
              ok: false,
              lastSuccessMs: NOW - 12_000,
              lastError: 'Connection timeout to 127.0.0.1:29092',
              lastErrorMs: NOW - 1000,
            }
          : {},
      ),
      'mm2-internal': health('mm2-internal', 'MM2 internal topics on B'),
      metrics: health('metrics', 'metrics http://127.0.0.1:19404/metrics'),
      connect: health('connect', 'connect http://127.0.0.1:18083'),
    },
    requests: 31,
    refreshMs: 140,
  };
}

/** A feed that hands out the snapshots a test pushes. */
export class FakeFeed implements SnapshotFeed {
  readonly intervalMs = 5000;
  refreshes = 0;
  private paused = false;
  private readonly listeners = new Set<(snapshot: Snapshot) => void>();

  constructor(private snapshot: Snapshot | null) {}

  current(): Snapshot | null {
    return this.snapshot;
  }

  subscribe(listener: (snapshot: Snapshot) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  refreshNow(): void {
    this.refreshes++;
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
  }

  isPaused(): boolean {
    return this.paused;
  }

  push(snapshot: Snapshot): void {
    this.snapshot = snapshot;
    for (const listener of this.listeners) listener(snapshot);
  }
}

export class FakeMirror implements MirrorControl {
  stops = 0;
  resumes = 0;

  describeStop(): string {
    return 'PUT http://127.0.0.1:18083/connectors/A->B.MirrorSourceConnector/stop';
  }

  describeResume(): string {
    return 'PUT http://127.0.0.1:18083/connectors/A->B.MirrorSourceConnector/resume';
  }

  async stop(): Promise<ActionOutcome> {
    this.stops++;
    return { ok: true, message: 'A->B.MirrorSourceConnector stopped' };
  }

  async resume(): Promise<ActionOutcome> {
    this.resumes++;
    return { ok: true, message: 'A->B.MirrorSourceConnector resumed' };
  }
}

export interface StartedCheck {
  cluster: ClusterRole;
  topic: string;
  onProgress: (progress: CheckProgress) => void;
  stopped: boolean;
}

export class FakeActions implements ConsoleActions {
  readonly created: PlannedTopic[][] = [];
  readonly checks: StartedCheck[] = [];
  planCalls = 0;
  mirror: FakeMirror | null;
  /** What the runbook's wire reads answer: no config drift, no newest write known by default. */
  cutover: CutoverReads = { configDrift: [], newestWrites: new Map() };

  constructor(
    readonly plan: PlannedTopic[] = [PLANNED_AUDIT_EVENTS],
    mirror: FakeMirror | null = new FakeMirror(),
  ) {
    this.mirror = mirror;
  }

  async planMissingTopics(): Promise<PlannedTopic[]> {
    this.planCalls++;
    return this.plan;
  }

  async createTopics(plan: PlannedTopic[]): Promise<ActionOutcome[]> {
    this.created.push(plan);
    return plan.map((t) => ({ ok: true, message: `created ${t.target} (${t.partitions} partitions)` }));
  }

  cutoverReadCalls = 0;

  async cutoverReads(): Promise<CutoverReads> {
    this.cutoverReadCalls++;
    return this.cutover;
  }

  async close(): Promise<void> {}

  startCheck(
    cluster: ClusterRole,
    topic: string,
    onProgress: (progress: CheckProgress) => void,
  ): CheckHandle {
    const check: StartedCheck = { cluster, topic, onProgress, stopped: false };
    this.checks.push(check);
    return {
      stop: () => {
        check.stopped = true;
      },
    };
  }
}

export const PLANNED_AUDIT_EVENTS: PlannedTopic = {
  source: 'audit-events',
  target: 'A.audit-events',
  partitions: 3,
  replicationFactor: 3,
  configs: { 'cleanup.policy': 'delete', 'retention.ms': '604800000' },
};

export interface ProgressOptions {
  cluster?: ClusterRole;
  topic?: string;
  /** Expected records per partition (end − start). */
  expected: number[];
  /** Records read per partition. */
  read: number[];
  done?: boolean;
  /** The other cluster's records compared record by record, once done. */
  other?: number[];
  /** Overrides of the comparison (running, note, partition results). */
  comparison?: Partial<CheckComparison>;
  last?: CheckRecord[];
}

/** The compare engine's result for partitions whose records are equal up to the shorter side. */
export function partitionComparison(
  partition: number,
  sourceRecords: number,
  targetRecords: number,
): PartitionComparison {
  const missing = Math.max(0, sourceRecords - targetRecords);
  const extra = Math.max(0, targetRecords - sourceRecords);
  const matched = Math.min(sourceRecords, targetRecords);
  return {
    partition,
    sourceRecords,
    targetRecords,
    matched,
    missing,
    extra,
    different: 0,
    duplicates: 0,
    explainedByCompaction: 0,
    equal: missing + extra === 0,
    complete: true,
    sourceStartOffset: 0,
    sourceEndOffset: sourceRecords,
    targetReachedSourceOffset: sourceRecords,
    firstDifference:
      missing + extra === 0
        ? null
        : missing > 0
          ? { sourceOffset: matched, targetOffset: null }
          : { sourceOffset: null, targetOffset: matched },
  };
}

function comparisonOf(cluster: ClusterRole, topic: string, read: number[], other: number[]): CheckComparison {
  const partitions = read.map((n, p) =>
    cluster === 'source'
      ? partitionComparison(p, n, other[p] ?? 0)
      : partitionComparison(p, other[p] ?? 0, n),
  );
  return {
    cluster: cluster === 'source' ? 'target' : 'source',
    topic: `A.${topic}`,
    counts: Object.fromEntries(other.map((v, p) => [p, v])),
    total: other.reduce((a, b) => a + b, 0),
    partitions,
    running: false,
    note: null,
    equal: partitions.every((p) => p.equal),
    error: null,
  };
}

export function checkProgress(o: ProgressOptions): CheckProgress {
  const record = (values: number[]) => Object.fromEntries(values.map((v, p) => [p, v]));
  const total = o.read.reduce((a, b) => a + b, 0);
  const cluster = o.cluster ?? 'source';
  return {
    cluster,
    topic: o.topic ?? 'DmmAccess',
    startedAtMs: NOW - 4000,
    startOffsets: record(o.expected.map(() => 0)),
    endOffsets: record(o.expected),
    counts: record(o.read),
    total,
    expected: o.expected.reduce((a, b) => a + b, 0),
    recordsPerSecond: 150,
    last: o.last ?? [],
    done: o.done ?? false,
    stopped: false,
    error: null,
    comparison: o.other
      ? { ...comparisonOf(cluster, o.topic ?? 'DmmAccess', o.read, o.other), ...o.comparison }
      : null,
  };
}

/** A terminal's output stream for Ink, handing every write (as text) to `onWrite`. */
export class FakeStdout extends EventEmitter {
  readonly rows: number;
  readonly columns: number;
  readonly isTTY: boolean;
  private readonly onWrite: (data: string) => void;

  constructor(options: { rows: number; columns: number; isTTY: boolean; onWrite: (data: string) => void }) {
    super();
    this.rows = options.rows;
    this.columns = options.columns;
    this.isTTY = options.isTTY;
    this.onWrite = options.onWrite;
  }

  write(data: string | Uint8Array) {
    this.onWrite(typeof data === 'string' ? data : Buffer.from(data).toString('utf8'));
    return true;
  }
}

/** A non-TTY stdout of the given size that keeps the last frame Ink wrote (render with `debug: true`). */
export function frameRecorder(
  rows: number,
  columns: number,
): { stdout: NodeJS.WriteStream; last: () => string } {
  let last = '';
  const stdout = new FakeStdout({
    rows,
    columns,
    isTTY: false,
    onWrite: (frame) => {
      last = frame;
    },
  });
  return { stdout: stdout as unknown as NodeJS.WriteStream, last: () => last };
}

/** A TTY's input stream, in raw mode as Ink reads it: each `type` is one read. */
export class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  private data: string | null = null;
  type(data: string) {
    this.data = data;
    this.emit('readable');
  }
  read() {
    const data = this.data;
    this.data = null;
    return data;
  }
  setRawMode() {}
  setEncoding() {}
  ref() {}
  unref() {}
}
