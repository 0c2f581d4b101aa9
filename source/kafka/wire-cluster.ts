/**
 * Low-level access to one cluster through kafkajs' internal Cluster object, for what kafkajs' public
 * admin API cannot do efficiently or at all:
 * - ListOffsets for many topics in one request per leader broker (admin.fetchTopicOffsets is per topic);
 * - group-less Fetch of chosen partitions from chosen offsets (kafkajs has no assign(): its consumers
 *   always join a group, which would leave our groups on the operator's clusters), like kcat -C;
 * - the brokers' ApiVersions, to tell which Kafka version answers;
 * - a count of every request sent, for `--debug`.
 * The internal API used is pinned by the kafkajs version in package.json (2.2.4).
 */
import { createRequire } from 'node:module';
import type { Kafka } from 'kafkajs';
import { type ClientTimeouts, type ClusterEndpoint, createKafka } from './client.js';

const require = createRequire(import.meta.url);
const InstrumentationEventEmitter = require('kafkajs/src/instrumentation/emitter') as new () => {
  addListener(event: string, listener: () => void): () => void;
};

export interface ApiVersionRange {
  minVersion: number;
  maxVersion: number;
}

export interface RawRecord {
  offset: number;
  timestampMs: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | Buffer[] | undefined>;
}

export interface PartitionFetch {
  partition: number;
  highWatermark: number;
  logStartOffset: number | null;
  errorCode: number;
  records: RawRecord[];
  /** One past the last offset the answer covered, transaction markers included; null when it held none. */
  nextOffset: number | null;
}

interface InternalPartitionMetadata {
  partitionId: number;
  leader: number;
  replicas: number[];
  isr: number[];
  partitionErrorCode: number;
}

export interface InternalTopicMetadata {
  topic: string;
  isInternal?: boolean;
  topicErrorCode: number;
  partitionMetadata: InternalPartitionMetadata[];
}

export interface ClusterMetadata {
  brokers: Array<{ nodeId: number; host: string; port: number; rack?: string | null }>;
  controllerId: number | null;
  clusterId: string | null;
  topicMetadata: InternalTopicMetadata[];
}

interface InternalMessage {
  isControlRecord?: boolean;
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer | Buffer[] | undefined>;
}

export interface GroupListing {
  groupId: string;
  protocolType: string;
}

export interface GroupDescription {
  groupId: string;
  errorCode: number;
  state: string;
  protocolType: string;
  protocol: string;
  members: Array<{ memberId: string; clientId: string; clientHost: string; memberAssignment: Buffer }>;
}

export interface CommittedOffset {
  topic: string;
  partition: number;
  offset: number | null;
  metadata: string | null;
}

interface InternalBroker {
  versions: Record<string, ApiVersionRange> | null;
  listGroups(): Promise<{ groups: GroupListing[] }>;
  describeGroups(request: { groupIds: string[] }): Promise<{ groups: GroupDescription[] }>;
  offsetFetch(request: { groupId: string; topics: unknown[] }): Promise<{
    responses: Array<{
      topic: string;
      partitions: Array<{ partition: number; offset: string; metadata: string | null; errorCode: number }>;
    }>;
  }>;
  listOffsets(request: unknown): Promise<{ responses: unknown[] }>;
  fetch(request: unknown): Promise<{
    responses: Array<{
      topicName: string;
      partitions: Array<{
        partition: number;
        errorCode: number;
        highWatermark: string;
        logStartOffset?: string;
        messages: InternalMessage[];
      }>;
    }>;
  }>;
}

interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  isConnected(): boolean;
  metadata(options?: { topics?: string[] }): Promise<ClusterMetadata>;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  refreshMetadata(): Promise<void>;
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(options: { nodeId: string | number }): Promise<InternalBroker>;
  findGroupCoordinator(options: { groupId: string }): Promise<InternalBroker & { nodeId: number }>;
  getNodeIds(): number[];
  fetchTopicsOffset(
    topics: Array<{ topic: string; partitions: Array<{ partition: number }>; fromBeginning: boolean }>,
  ): Promise<Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>>;
  brokerPool: { versions?: Record<string, ApiVersionRange> | null; seedBroker?: InternalBroker };
}

type CreateCluster = (options: {
  metadataMaxAge?: number;
  allowAutoTopicCreation?: boolean;
  instrumentationEmitter?: unknown;
  isolationLevel?: number;
}) => InternalCluster;

const READ_UNCOMMITTED = 0;

function internalCreateCluster(kafka: Kafka): CreateCluster {
  const symbol = Object.getOwnPropertySymbols(kafka).find(
    (s) => s.description === 'private:Kafka:createCluster',
  );
  if (!symbol) throw new Error('unsupported kafkajs version: internal cluster factory not found');
  return (kafka as unknown as Record<symbol, CreateCluster>)[symbol]!;
}

export class WireCluster {
  readonly kafka: Kafka;
  private readonly cluster: InternalCluster;
  private requests = 0;
  /** groupId -> coordinator node: FindCoordinator is asked once per group, not on every refresh. */
  private readonly coordinators = new Map<string, number>();

  constructor(
    readonly endpoint: ClusterEndpoint,
    clientId = 'mirrorwatch',
    timeouts: ClientTimeouts = {},
  ) {
    this.kafka = createKafka(endpoint, clientId, timeouts);
    const emitter = new InstrumentationEventEmitter();
    emitter.addListener('network.request', () => {
      this.requests++;
    });
    this.cluster = internalCreateCluster(this.kafka)({
      metadataMaxAge: 60_000,
      allowAutoTopicCreation: false,
      instrumentationEmitter: emitter,
      isolationLevel: READ_UNCOMMITTED,
    });
  }

  /** Requests sent since the last call (and resets the count). */
  takeRequestCount(): number {
    const n = this.requests;
    this.requests = 0;
    return n;
  }

  async connect(): Promise<void> {
    if (!this.cluster.isConnected()) await this.cluster.connect();
  }

  async disconnect(): Promise<void> {
    await this.cluster.disconnect().catch(() => {});
  }

  /** ApiVersions of the broker we bootstrapped from. */
  apiVersions(): Record<string, ApiVersionRange> | null {
    return this.cluster.brokerPool.versions ?? this.cluster.brokerPool.seedBroker?.versions ?? null;
  }

  /** Metadata for every topic (one request), and leaders known for offsets and fetches. */
  async metadata(): Promise<ClusterMetadata> {
    await this.connect();
    const all = await this.cluster.metadata();
    await this.cluster.addMultipleTargetTopics(all.topicMetadata.map((t) => t.topic));
    return all;
  }

  /** Metadata for the named topics only. */
  async topicMetadata(topics: string[]): Promise<ClusterMetadata> {
    await this.connect();
    await this.cluster.addMultipleTargetTopics(topics);
    return this.cluster.metadata({ topics });
  }

  /**
   * Earliest and latest offsets of every partition of `topics`, in one ListOffsets request per leader
   * broker for each of the two (not one per topic or partition).
   */
  async offsets(
    topics: Array<{ topic: string; partitions: number[] }>,
  ): Promise<Map<string, Map<number, { earliest: number; latest: number }>>> {
    const result = new Map<string, Map<number, { earliest: number; latest: number }>>();
    const withPartitions = topics.filter((t) => t.partitions.length > 0);
    if (withPartitions.length === 0) return result;
    const request = (fromBeginning: boolean) =>
      this.cluster.fetchTopicsOffset(
        withPartitions.map((t) => ({
          topic: t.topic,
          fromBeginning,
          partitions: t.partitions.map((partition) => ({ partition })),
        })),
      );
    const [earliest, latest] = await Promise.all([request(true), request(false)]);
    for (const t of earliest) {
      const partitions = new Map<number, { earliest: number; latest: number }>();
      for (const p of t.partitions)
        partitions.set(p.partition, { earliest: Number(p.offset), latest: Number.NaN });
      result.set(t.topic, partitions);
    }
    for (const t of latest) {
      const partitions = result.get(t.topic) ?? new Map();
      for (const p of t.partitions) {
        const entry = partitions.get(p.partition) ?? { earliest: Number.NaN, latest: Number.NaN };
        entry.latest = Number(p.offset);
        partitions.set(p.partition, entry);
      }
      result.set(t.topic, partitions);
    }
    return result;
  }

  /**
   * Reads records from the given partitions starting at the given offsets, without a consumer group:
   * one Fetch per leader broker. Returns what the brokers answered (possibly nothing new).
   */
  async fetch(
    topic: string,
    positions: Map<number, number>,
    options: { maxBytesPerPartition?: number; maxWaitMs?: number } = {},
  ): Promise<PartitionFetch[]> {
    await this.connect();
    const byLeader = this.cluster.findLeaderForPartitions(topic, [...positions.keys()]);
    const answers = await Promise.all(
      Object.entries(byLeader).map(async ([nodeId, partitions]) => {
        const broker = await this.cluster.findBroker({ nodeId });
        const response = await broker.fetch({
          replicaId: -1,
          isolationLevel: READ_UNCOMMITTED,
          maxWaitTime: options.maxWaitMs ?? 0,
          minBytes: 0,
          maxBytes: 32 * 1024 * 1024,
          topics: [
            {
              topic,
              partitions: partitions.map((partition) => ({
                partition,
                fetchOffset: String(positions.get(partition) ?? 0),
                maxBytes: options.maxBytesPerPartition ?? 1024 * 1024,
              })),
            },
          ],
        });
        return response.responses.flatMap((r) => r.partitions);
      }),
    );
    return answers.flat().map((p) => {
      const from = positions.get(p.partition) ?? 0;
      const lastOffset = p.messages.at(-1)?.offset;
      return {
        partition: p.partition,
        errorCode: p.errorCode,
        highWatermark: Number(p.highWatermark),
        logStartOffset: p.logStartOffset === undefined ? null : Number(p.logStartOffset),
        nextOffset: lastOffset === undefined ? null : Math.max(from, Number(lastOffset) + 1),
        // A fetch answers whole batches: drop the records of a batch that come before the asked offset.
        records: p.messages
          .filter((m) => m.isControlRecord !== true)
          .map((m) => ({
            offset: Number(m.offset),
            timestampMs: Number(m.timestamp),
            key: m.key,
            value: m.value,
            headers: m.headers ?? {},
          }))
          .filter((m) => m.offset >= from),
      };
    });
  }

  /** Every group on every broker: one ListGroups per broker. */
  async listGroups(): Promise<GroupListing[]> {
    await this.connect();
    const nodeIds = this.cluster.getNodeIds();
    const answers = await Promise.all(
      nodeIds.map(async (nodeId) => (await (await this.cluster.findBroker({ nodeId })).listGroups()).groups),
    );
    return answers.flat();
  }

  private async coordinatorOf(groupId: string): Promise<InternalBroker> {
    const known = this.coordinators.get(groupId);
    if (known !== undefined) {
      try {
        return await this.cluster.findBroker({ nodeId: known });
      } catch {
        this.coordinators.delete(groupId);
      }
    }
    const coordinator = await this.cluster.findGroupCoordinator({ groupId });
    this.coordinators.set(groupId, coordinator.nodeId);
    return coordinator;
  }

  /** DescribeGroups batched per coordinator. */
  async describeGroups(groupIds: string[]): Promise<GroupDescription[]> {
    const byCoordinator = new Map<InternalBroker, string[]>();
    for (const groupId of groupIds) {
      const coordinator = await this.coordinatorOf(groupId);
      byCoordinator.set(coordinator, [...(byCoordinator.get(coordinator) ?? []), groupId]);
    }
    const answers = await Promise.all(
      [...byCoordinator].map(async ([coordinator, ids]) => {
        const { groups } = await coordinator.describeGroups({ groupIds: ids });
        for (const g of groups)
          if (g.errorCode === 16 || g.errorCode === 15) this.coordinators.delete(g.groupId);
        return groups;
      }),
    );
    return answers.flat();
  }

  /** Every offset a group committed (OffsetFetch with all topics): one request per group. */
  async committedOffsets(groupId: string): Promise<CommittedOffset[]> {
    const coordinator = await this.coordinatorOf(groupId);
    try {
      const { responses } = await coordinator.offsetFetch({ groupId, topics: [] });
      return responses.flatMap((t) =>
        t.partitions.map((p) => {
          const offset = Number(p.offset);
          return {
            topic: t.topic,
            partition: p.partition,
            offset: offset >= 0 ? offset : null,
            metadata: p.metadata,
          };
        }),
      );
    } catch (error) {
      this.coordinators.delete(groupId);
      throw error;
    }
  }
}
