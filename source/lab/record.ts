import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { ReplicationPolicyName } from './config-files.js';
import { DEFAULT_PORTS, type LabPorts, SOURCE_VERSIONS, type SourceVersion } from './layout.js';

export type MirrorMode = 'connect' | 'dedicated';
/** Which MirrorMaker the lab runs: MM2 (in Connect or dedicated, see MirrorMode) or the original MM1. */
export type MirrorKind = 'mm2' | 'mm1';

export interface LabSettings {
  mm2: MirrorMode;
  secure: boolean;
  policy: ReplicationPolicyName;
  portOffset: number;
  /** Brokers per cluster (node 1 is also the KRaft controller). Absent in labs recorded before it existed: 1. */
  brokers?: number;
  /** Maximum heap of each broker, as the JVM takes it (`2g`). */
  brokerHeap?: string;
  /**
   * MM2's refresh, checkpoint and group-sync intervals in seconds. Absent: 5 (the tests' pace; see
   * DEFAULT_MM2_INTERVAL_SECONDS).
   */
  mm2IntervalSeconds?: number;
  /** Kafka line of the source: 3.9 (KRaft, the default) or 2.8 (ZooKeeper). */
  sourceVersion?: SourceVersion;
  /** Absent: mm2. */
  mirror?: MirrorKind;
  /** `both`: MM2 also mirrors new->old (active/active, as Kafka's sample mm2.properties). Absent: `one`. */
  flows?: LabFlows;
}

export type LabFlows = 'one' | 'both';

export function flowsOf(settings: LabSettings): LabFlows {
  return settings.flows ?? 'one';
}

export type ClusterName = 'source' | 'target';
/** Brokers after the first of a cluster: `source-2`, `target-3`. Node 1 keeps the cluster's name. */
export type ExtraBroker = `${ClusterName}-${number}`;
export type Component = ClusterName | ExtraBroker | 'connect' | 'mm2' | 'mm1' | 'zookeeper' | 'traffic';

export const DEFAULT_BROKER_HEAP = '2g';
/**
 * The lab's MM2 looks for new topics and groups, emits checkpoints and syncs group offsets every 5 s, as
 * seed 003 runs it, so that tests see a change within seconds. Kafka's defaults are 600 s for the
 * refreshes and 60 s for the others; at 5,000 partitions and 1,000 groups a side, 5 s keeps three brokers
 * a side busy enough to saturate a 2-core machine (the bench's lab uses 60).
 */
export const DEFAULT_MM2_INTERVAL_SECONDS = 5;

export function brokersOf(settings: LabSettings): number {
  return settings.brokers ?? 1;
}

export function sourceVersionOf(settings: LabSettings): SourceVersion {
  return settings.sourceVersion ?? '3.9';
}

export function sourceKafkaVersion(settings: LabSettings): string {
  return SOURCE_VERSIONS[sourceVersionOf(settings)];
}

/** A 2.8 source runs on ZooKeeper, not KRaft. */
export function sourceUsesZooKeeper(settings: LabSettings): boolean {
  return sourceVersionOf(settings) === '2.8';
}

export function mirrorKindOf(settings: LabSettings): MirrorKind {
  return settings.mirror ?? 'mm2';
}

/** The process that mirrors: MM1, the Connect worker or the dedicated MM2. */
export function mirrorComponentOf(settings: LabSettings): 'mm1' | 'connect' | 'mm2' {
  if (mirrorKindOf(settings) === 'mm1') return 'mm1';
  return settings.mm2 === 'connect' ? 'connect' : 'mm2';
}

export function zookeeperPortOf(ports: LabPorts): number {
  return (
    ports.zookeeper ?? (DEFAULT_PORTS.zookeeper as number) + (ports.sourceBroker - DEFAULT_PORTS.sourceBroker)
  );
}

export function brokerHeapOf(settings: LabSettings): string {
  return settings.brokerHeap ?? DEFAULT_BROKER_HEAP;
}

export function mm2IntervalOf(settings: LabSettings): number {
  return settings.mm2IntervalSeconds ?? DEFAULT_MM2_INTERVAL_SECONDS;
}

/** The process component of broker `nodeId` (1-based) of a cluster. */
export function brokerComponent(cluster: ClusterName, nodeId: number): ClusterName | ExtraBroker {
  return nodeId === 1 ? cluster : `${cluster}-${nodeId}`;
}

/** Replication factor of the lab's topics, internal ones included: min(3, brokers). */
export function labReplicationFactor(settings: LabSettings): number {
  return Math.min(3, brokersOf(settings));
}

/** What `lab up` recorded in the state directory: enough for `status`, `down` and `mirror` to find everything. */
export interface LabRecord {
  settings: LabSettings;
  ports: LabPorts;
  clusterIds: { source: string; target: string };
  pids: Partial<Record<Component, number>>;
  seeded: boolean;
  /** The mirror was stopped on purpose (`lab mirror stop`): `up` must not restart it behind the operator's back. */
  mirrorStopped?: boolean;
  /** Brokers stopped on purpose (`lab broker stop`), as components: the lab counts as running without them. */
  stoppedBrokers?: Array<ClusterName | ExtraBroker>;
}

export function readLabRecord(file: string): LabRecord | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as LabRecord;
}

export function writeLabRecord(file: string, record: LabRecord): void {
  writeFileSync(`${file}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}
