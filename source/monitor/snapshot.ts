/**
 * The immutable picture of a migration that the poller builds on every refresh. Commands print it,
 * the console renders it: nothing here knows the wire or the screen.
 */
import type { AutoOffsetReset, MirrorKind } from '../config/mirror-kind.js';
import type { ReplicationPolicy } from '../config/replication-policy.js';
import type { Mm2Metrics } from '../mm2/mm2-metrics.js';
import type { GroupPartitions } from '../model/group-partitions.js';
import type { GroupTranslations } from '../model/group-translations.js';
import type { OffsetHistory } from '../model/offset-history.js';
import type { RecordTimes } from '../model/record-times.js';

export type ClusterRole = 'source' | 'target';

/** Every place data comes from, each with its own freshness. */
export type DataSourceName = 'source' | 'target' | 'mm2-internal' | 'metrics' | 'connect';

export interface DataSourceHealth {
  name: DataSourceName;
  /** What it is, for the operator: `source cluster 127.0.0.1:19092`, `metrics http://...`. */
  label: string;
  /** Not configured (no metrics URL given, say): neither fresh nor stale. */
  configured: boolean;
  ok: boolean;
  lastSuccessMs: number | null;
  lastError: string | null;
  lastErrorMs: number | null;
  /** Requests the last read cost (Kafka requests, or HTTP calls). */
  requests: number;
  /** The Kafka requests of the last read per API (`OffsetFetch`, `Metadata`); absent for HTTP sources. */
  requestsByApi?: Readonly<Record<string, number>>;
  durationMs: number | null;
  /** The last read failed by running out of time against a source that was there (a slow exporter). */
  timedOut?: boolean;
}

export interface PartitionInfo {
  partition: number;
  leader: number;
  replicas: number;
  isr: number;
  /** Log-start offset (ListOffsets earliest); null when unknown. */
  earliest: number | null;
  /** Log-end offset (ListOffsets latest, the high watermark); null when unknown. */
  latest: number | null;
}

export interface TopicInfo {
  name: string;
  internal: boolean;
  replicationFactor: number;
  partitions: PartitionInfo[];
  /**
   * Offset span: sum over partitions of latest − earliest; null while any offset is unknown. Not a
   * record count: transaction markers and compaction take offsets without records.
   */
  records: number | null;
}

export interface GroupPartition {
  topic: string;
  partition: number;
  /** Committed offset; null when the group has none for this partition. */
  committed: number | null;
  logEnd: number | null;
  /**
   * committed < log-start offset: retention (or DeleteRecords) removed records the group had not read.
   * Its next fetch is out of range and the consumer resets per auto.offset.reset, skipping the rest or
   * reading from the start; LAG still counts from the committed offset, as kafka-consumer-groups does.
   */
  belowLogStart: boolean;
  /** LAG as kafka-consumer-groups defines it; null when unknown (`-`). */
  lag: number | null;
  /** committed > log end: truncated log, or an offset MM2 translated too far (KAFKA-12635). */
  negative: boolean;
  /** The member that owns the partition, when the group is active. */
  owner: PartitionOwner | null;
}

export interface PartitionOwner {
  memberId: string;
  clientId: string;
  host: string;
}

/** What MM2 recorded for a target-side group partition: the checkpoint it translated from. */
export interface Translation {
  /** Target-side topic name. */
  topic: string;
  partition: number;
  upstreamOffset: number;
  downstreamOffset: number;
  /** When the checkpoint record was written (its record timestamp). */
  recordTimestampMs: number;
}

/**
 * `classic`: the JoinGroup/SyncGroup protocol (protocol type `consumer`, or empty for groups MM2
 * synced); `consumer`: the new consumer protocol (KIP-848, `group.protocol=consumer`).
 */
export type GroupProtocol = 'classic' | 'consumer';

/** Copied field by field in attachTranslations (model/mirror.ts): a new field, optional ones above all, goes there too. */
export interface GroupInfo {
  cluster: ClusterRole;
  group: string;
  /** As kafka-consumer-groups --describe --state prints it (Stable, Empty, Reconciling, Dead...). */
  state: string;
  /** The protocol type ListGroups reports. */
  protocolType: string;
  protocol: GroupProtocol;
  members: number;
  /** As columns (model/group-partitions.ts): `at(i)` or iteration gives GroupPartition objects. */
  partitions: GroupPartitions<PartitionOwner>;
  /** Sum of known partition lags; null when no partition has a committed offset. */
  totalLag: number | null;
  /** Target groups: checkpoints MM2 wrote for this group (translated offsets), per partition, as columns. */
  translations: GroupTranslations;
}

export interface ClusterView {
  role: ClusterRole;
  alias: string;
  bootstrap: string[];
  clusterId: string | null;
  controllerId: number | null;
  brokers: Array<{ nodeId: number; host: string; port: number }>;
  /** Kafka version inferred from the brokers' ApiVersions (e.g. `3.9`, `4.x`), or null. */
  version: string | null;
  /** Sorted by name. */
  topics: TopicInfo[];
  /** Sorted by name. */
  groups: GroupInfo[];
}

/** `not-mirrored`: the flow's topic filters (`topics`, `topics.exclude`) leave the topic out; MM2 does not copy it. */
export type MirrorState =
  | 'missing'
  | 'partition-mismatch'
  | 'mirroring'
  | 'in-sync'
  | 'unknown'
  | 'not-mirrored';

export interface MirrorPartition {
  partition: number;
  sourceEarliest: number | null;
  sourceLatest: number | null;
  targetEarliest: number | null;
  targetLatest: number | null;
  /** Offset MM2 stored for this source partition (last record replicated); null when none. */
  mm2Position: number | null;
  /** Source records MM2 has not replicated yet; null when MM2's position is unknown. */
  lag: number | null;
  recordCount: number | null;
  /** Highest over MM2's metric window (the last value with exporters lacking `-max`); null when idle or unknown. */
  recordAgeMs: number | null;
  replicationLatencyMs: number | null;
  /** No record replicated in MM2's metric window; null or absent when unknown. */
  idle?: boolean | null;
  /** MirrorMaker 1: its group's committed offset (the next offset it copies); absent with MM2. */
  mm1Committed?: number | null;
}

export interface MirrorTopic {
  source: string;
  /** Name on the target through the replication policy. */
  target: string;
  state: MirrorState;
  sourcePartitions: number;
  targetPartitions: number | null;
  /** Offset spans (latest − earliest) on each side, not record counts: see TopicInfo.records. */
  sourceRecords: number | null;
  targetRecords: number | null;
  /** Sum of partition lags; null when no position is known. */
  lag: number | null;
  partitions: MirrorPartition[];
}

export interface HeartbeatInfo {
  source: string;
  target: string;
  /** The timestamp inside the heartbeat (the emitting MM2 host's clock). */
  timestampMs: number;
  /** The record's own timestamp (the broker's or producer's clock). */
  recordTimestampMs: number;
  ageMs: number;
}

export interface CheckpointSummary {
  group: string;
  partitions: number;
  newestTimestampMs: number;
  ageMs: number;
  /**
   * Every offset the source group committed is checkpointed: MM2 writes a checkpoint only when a
   * group's offset moves, so an idle group's old checkpoint is current, not stale.
   */
  current: boolean;
}

export interface ConnectorView {
  name: string;
  /** RUNNING, PAUSED, STOPPED, FAILED, UNASSIGNED, RESTARTING (upper case, as Connect says). */
  state: string;
  type: string | null;
  tasks: Array<{ id: number; state: string; trace: string | null }>;
  /** Where the state was read: the Connect REST API or the exporter's status metrics. */
  from: 'connect-rest' | 'metrics';
}

/** `windowed`: MM2's windowed max (or avg); `last-value`: the last record's gauge (exporters without `-max`). */
export type TimingBasis = 'windowed' | 'last-value';

export interface TimingSummary {
  /** Maximum over the partitions that replicated recently; null when none did. */
  recordAgeMs: number | null;
  replicationLatencyMs: number | null;
  /** `last-value` as soon as one partition had no windowed attributes. */
  basis: TimingBasis | null;
  /** Partitions that replicated in the window, that were idle, and whose idleness is unknown. */
  replicating: number;
  idle: number;
  unknown: number;
}

/** The end-to-end probe: marker records written to a source topic, timed until they appear on the target. */
export interface ProbeState {
  /** Source-side topic the markers are written to (partition 0), and its copy on the target. */
  topic: string;
  targetTopic: string;
  partition: number;
  /** Send-to-arrival time of the newest marker that arrived; null before the first. */
  lastLatencyMs: number | null;
  lastArrivedAtMs: number | null;
  /** When the marker in flight was sent; null when none is in flight. */
  pendingSinceMs: number | null;
  sent: number;
  arrived: number;
  /** The last round's error (topic missing, cluster unreachable); null after a good round. */
  error: string | null;
  /** When this state was read (a one-shot probe ends after the snapshot was taken). */
  atMs: number;
}

export interface MetricsHistoryPoint {
  atMs: number;
  recordCount: number;
  maxRecordAgeMs: number | null;
  maxReplicationLatencyMs: number | null;
}

/** MirrorMaker 1 as the mirror: its consumer group on the source, kept apart from the ordinary groups. */
export interface Mm1View {
  group: string;
  include: string | null;
  /** The group as kafka-consumer-groups sees it; null when the source has no such group. */
  state: string | null;
  members: number;
  /** Partitions with a committed offset. */
  committedPartitions: number;
}

export interface Snapshot {
  seq: number;
  takenAtMs: number;
  flow: { source: string; target: string; policy: ReplicationPolicy };
  source: ClusterView;
  target: ClusterView;
  mirror: {
    /** Absent in snapshots built before MM1 existed: mm2. */
    kind?: MirrorKind;
    mm1?: Mm1View;
    /** auto.offset.reset of the operator's groups, for where a group moved to the target starts. */
    autoOffsetReset?: AutoOffsetReset;
    topics: MirrorTopic[];
    totalLag: number | null;
    /** Where MM2's positions were read, or null when they are unknown. */
    positionsFrom: string | null;
    /**
     * Target name of a missing topic → why the target refuses to create it with the configs MM2 copies
     * (monitor/read-refused-topics.ts); absent when none is refused or it was not asked.
     */
    refusedTopics?: ReadonlyMap<string, string>;
  };
  heartbeats: HeartbeatInfo[];
  checkpoints: CheckpointSummary[];
  metrics: Mm2Metrics | null;
  metricsHistory: MetricsHistoryPoint[];
  /** Record age and replication latency over the partitions that replicated recently. */
  timing?: TimingSummary;
  /** The end-to-end probe (`--probe TOPIC`); absent when not asked for. */
  probe?: ProbeState;
  connectors: ConnectorView[];
  health: Record<DataSourceName, DataSourceHealth>;
  /** Kafka requests and HTTP calls this refresh cost, all sources together. */
  requests: number;
  refreshMs: number;
  /** Offsets over the poller's sliding window, this snapshot's included (absent in hand-built snapshots). */
  offsetHistory?: OffsetHistory;
  /** Timestamps of records the offset history cannot date (see model/record-times.ts and Poller). */
  recordTimestamps?: RecordTimes;
}
