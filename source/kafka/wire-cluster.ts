/**
 * Low-level access to one cluster through kafkajs' internal Cluster object, for what kafkajs' public
 * admin API cannot do efficiently or at all:
 * - ListOffsets for many topics in one request per leader broker (admin.fetchTopicOffsets is per topic);
 * - group-less Fetch of chosen partitions from chosen offsets (kafkajs has no assign(): its consumers
 *   always join a group, which would leave our groups on the operator's clusters), like kcat -C;
 * - the brokers' ApiVersions, to tell which Kafka version answers;
 * - ConsumerGroupDescribe (KIP-848 groups), which kafkajs does not speak, sent through its connections;
 * - OffsetFetch for many groups and FindCoordinator for many groups in one request each (versions
 *   kafkajs does not speak either), so that requests grow with brokers, not with groups;
 * - a count of every request sent, per API, for `--debug`.
 * The internal API used is pinned by the kafkajs version in package.json (2.2.4).
 */
import { createRequire } from 'node:module';
import kafkajs, { type Kafka } from 'kafkajs';
import { type ClientTimeouts, type ClusterEndpoint, createKafka } from './client.js';
import { kafkaErrorType } from './errors.js';
import { createErrorFromCode, LEADER_NOT_AVAILABLE, tolerantMetadataParse } from './offline-partitions.js';
import {
  CONSUMER_GROUP_DESCRIBE_API_KEY,
  CONSUMER_GROUP_DESCRIBE_MAX_VERSION,
  type ConsumerGroupDescription,
  consumerGroupDescribe,
  GROUP_ERRORS,
} from './protocol/consumer-group-describe.js';
import {
  DESCRIBE_GROUPS_API_KEY,
  DESCRIBE_GROUPS_MAX_VERSION,
  DESCRIBE_GROUPS_MIN_VERSION,
  type DescribedGroup,
  type DescribeGroupsCache,
  describeGroupsRequest,
} from './protocol/describe-groups.js';
import {
  FIND_COORDINATOR_API_KEY,
  FIND_COORDINATOR_BATCH_MAX_VERSION,
  FIND_COORDINATOR_BATCH_MIN_VERSION,
  findGroupCoordinators,
} from './protocol/find-coordinator.js';
import type { FlexibleProtocolRequest } from './protocol/flexible.js';
import {
  EARLIEST_TIMESTAMP,
  LATEST_TIMESTAMP,
  LIST_OFFSETS_API_KEY,
  LIST_OFFSETS_MAX_VERSION,
  LIST_OFFSETS_MIN_VERSION,
  type ListedTopicOffsets,
  listOffsets,
} from './protocol/list-offsets.js';
import {
  METADATA_API_KEY,
  METADATA_MAX_VERSION,
  METADATA_MIN_VERSION,
  type MetadataResponse,
  type MetadataTopicCache,
  metadataForAllTopics,
} from './protocol/metadata.js';
import {
  type CommittedTopicOffsets,
  type FetchedGroupOffsets,
  OFFSET_FETCH_API_KEY,
  OFFSET_FETCH_BATCH_MAX_VERSION,
  OFFSET_FETCH_BATCH_MIN_VERSION,
  OffsetFetchGroupCache,
  offsetFetchGroups,
} from './protocol/offset-fetch.js';
import {
  type CutBatch,
  decodeFetchV11,
  decodeRecordSet,
  type FetchedPartition,
  recordSetEnd,
} from './record-batches.js';

const require = createRequire(import.meta.url);

/** Errors that say the metadata held is out of date: a new leader, or a topic just created. */
const STALE_LEADERSHIP = new Set([
  'NOT_LEADER_FOR_PARTITION',
  'NOT_LEADER_OR_FOLLOWER',
  'LEADER_NOT_AVAILABLE',
  'UNKNOWN_TOPIC_OR_PARTITION',
]);
const InstrumentationEventEmitter = require('kafkajs/src/instrumentation/emitter') as new () => {
  addListener(event: string, listener: (event: { payload?: { apiName?: string } }) => void): () => void;
};

/** Groups per batched OffsetFetch: bounds one answer (a few MB at most for groups of 1,000 partitions). */
export const OFFSET_FETCH_GROUPS_PER_REQUEST = 250;
/** Keys per batched FindCoordinator (an answer is ~30 bytes per key). */
export const FIND_COORDINATOR_KEYS_PER_REQUEST = 1000;

/** Requests sent, in total and per API name as Kafka names them (`OffsetFetch`, `Metadata`). */
export interface RequestCounts {
  total: number;
  byApi: Record<string, number>;
}

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
  /** The batch the answer stopped inside (its size limit), from the batch's header; null when none. */
  cutBatch: CutBatch | null;
  /** Bytes of record data in the answer (0 where kafkajs decoded it, on brokers without Fetch v11). */
  bytes: number;
}

interface InternalPartitionMetadata {
  partitionId: number;
  leader: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
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

export type GroupDescription = DescribedGroup;

export type { CommittedTopicOffsets } from './protocol/offset-fetch.js';

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
  offsetCommit(request: {
    groupId: string;
    groupGenerationId: number;
    memberId: string;
    retentionTime?: number;
    topics: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>;
  }): Promise<{ responses: Array<{ partitions: Array<{ partition: number; errorCode: number }> }> }>;
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
  brokerPool: {
    refreshMetadataIfNecessary(topics: string[]): Promise<void>;
    /** The callback's answer from the first broker where it does not throw; null when none. */
    withBroker<T>(callback: (options: { broker: InternalBroker }) => Promise<T>): Promise<T | null>;
    versions?: Record<string, ApiVersionRange> | null;
    seedBroker?: InternalBroker;
    /** What kafkajs refreshed last (a new object each time); undefined before the first. */
    metadata?: {
      topicMetadata?: Array<{ topic: string; partitionMetadata: InternalPartitionMetadata[] }>;
    } | null;
    /** When kafkajs reads its metadata again (ms since the epoch). */
    metadataExpireAt?: number | null;
  };
}

const NO_LEADERS: ReadonlyMap<number, number> = new Map();

/** A topic's leader by partition number (-1: none, offline). */
function leaderMap(partitions: readonly InternalPartitionMetadata[]): Map<number, number> {
  return new Map(partitions.map((p) => [p.partitionId, p.leader ?? -1]));
}

type CreateCluster = (options: {
  metadataMaxAge?: number;
  allowAutoTopicCreation?: boolean;
  instrumentationEmitter?: unknown;
  isolationLevel?: number;
}) => InternalCluster;

const READ_UNCOMMITTED = 0;
/** How long kafkajs uses the metadata it holds before reading it again. */
const METADATA_MAX_AGE_MS = 60_000;

type SendRequest = <T>(protocolRequest: FlexibleProtocolRequest<T>) => Promise<T>;

/** kafkajs' Broker sends through this private method: it also drops a connection the broker closed. */
function sendThrough(broker: InternalBroker): SendRequest {
  const symbol = Object.getOwnPropertySymbols(Object.getPrototypeOf(broker)).find(
    (s) => s.description === 'private:Broker:sendRequest',
  );
  if (!symbol) throw new Error('unsupported kafkajs version: broker request sender not found');
  const send = (broker as unknown as Record<symbol, (protocolRequest: object) => Promise<unknown>>)[symbol]!;
  return <T>(protocolRequest: FlexibleProtocolRequest<T>) => send.call(broker, protocolRequest) as Promise<T>;
}

/** The highest version both the broker and we speak, at least `min`; null when there is none. */
function commonVersion(broker: InternalBroker, apiKey: number, min: number, max: number): number | null {
  const range = broker.versions?.[apiKey];
  if (!range || range.maxVersion < min || range.minVersion > max) return null;
  return Math.min(range.maxVersion, max);
}

/**
 * Whether the answers for one topic (a piece per leader) give exactly the ranges of `previous`: every
 * partition of it answered once for each end, with the same offset.
 */
export function sameRanges(
  previous: ReadonlyMap<number, { earliest: number; latest: number }>,
  earliest: readonly ListedTopicOffsets[],
  latest: readonly ListedTopicOffsets[],
): boolean {
  for (const [pieces, end] of [
    [earliest, 'earliest'],
    [latest, 'latest'],
  ] as const) {
    let answered = 0;
    for (const t of pieces)
      for (let k = 0; k < t.partitions.length; k++) {
        if (previous.get(t.partitions[k] as number)?.[end] !== t.offsets[k]) return false;
        answered++;
      }
    if (answered !== previous.size) return false;
  }
  return true;
}

/** ListOffsets answers by topic, a piece per leader, for each end. */
type ListedPieces = Map<string, { earliest: ListedTopicOffsets[]; latest: ListedTopicOffsets[] }>;

/*
 * The loops over partitions are in functions of the module, not in the closures a read makes: V8 keeps
 * the optimized code of a closure only while that closure lives, so a closure made per read was compiled
 * again, read after read (tens of milliseconds of V8's compiler a refresh at 10,000 partitions).
 */

/** One ListOffsets answer added to `pieces`; the first partition error fails the read, as kafkajs' does (leadership moved: asked again). */
function addListedPieces(
  pieces: ListedPieces,
  topics: readonly ListedTopicOffsets[],
  end: 'earliest' | 'latest',
): void {
  for (const t of topics) {
    for (let k = 0; k < t.partitions.length; k++)
      if (t.errorCodes[k] !== 0) throw createErrorFromCode(t.errorCodes[k] as number);
    let topicPieces = pieces.get(t.topic);
    if (!topicPieces) {
      topicPieces = { earliest: [], latest: [] };
      pieces.set(t.topic, topicPieces);
    }
    topicPieces[end].push(t);
  }
}

/** A topic's offset ranges by partition from its pieces; an end no piece answered stays NaN. */
function rangesOf(
  earliest: readonly ListedTopicOffsets[],
  latest: readonly ListedTopicOffsets[],
): Map<number, { earliest: number; latest: number }> {
  const ranges = new Map<number, { earliest: number; latest: number }>();
  for (const t of earliest)
    for (let k = 0; k < t.partitions.length; k++)
      rangeOf(ranges, t.partitions[k] as number).earliest = t.offsets[k] as number;
  for (const t of latest)
    for (let k = 0; k < t.partitions.length; k++)
      rangeOf(ranges, t.partitions[k] as number).latest = t.offsets[k] as number;
  return ranges;
}

function rangeOf(
  ranges: Map<number, { earliest: number; latest: number }>,
  partition: number,
): { earliest: number; latest: number } {
  let range = ranges.get(partition);
  if (!range) {
    range = { earliest: Number.NaN, latest: Number.NaN };
    ranges.set(partition, range);
  }
  return range;
}

function firstFailed<G extends { errorCode: number }>(groups: readonly G[]): G | undefined {
  for (const g of groups) if (g.errorCode !== 0) return g;
  return undefined;
}

function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/**
 * Committed offsets row by row (kafkajs' per-group answer, tests) as topics of side-by-side arrays,
 * in the order the rows come; a null offset is -1, "nothing committed".
 */
export function committedTopics(
  rows: ReadonlyArray<{ topic: string; partition: number; offset: number | null }>,
): CommittedTopicOffsets[] {
  const byTopic = new Map<string, Array<{ partition: number; offset: number | null }>>();
  for (const row of rows) {
    let list = byTopic.get(row.topic);
    if (!list) {
      list = [];
      byTopic.set(row.topic, list);
    }
    list.push(row);
  }
  return [...byTopic].map(([topic, list]) => ({
    topic,
    partitions: Int32Array.from(list, (r) => r.partition),
    offsets: Float64Array.from(list, (r) => (r.offset !== null && r.offset >= 0 ? r.offset : -1)),
  }));
}

/** A group's offsets from a batched answer; null when the group or a partition carries an error. */
export function fetchedOffsets(group: FetchedGroupOffsets): CommittedTopicOffsets[] | null {
  return group.errorCode === 0 && group.partitionErrorCode === 0 ? group.topics : null;
}

function isCoordinatorMoved(errorCode: number): boolean {
  return errorCode === GROUP_ERRORS.notCoordinator || errorCode === GROUP_ERRORS.coordinatorNotAvailable;
}

function internalCreateCluster(kafka: Kafka): CreateCluster {
  const symbol = Object.getOwnPropertySymbols(kafka).find(
    (s) => s.description === 'private:Kafka:createCluster',
  );
  if (!symbol) throw new Error('unsupported kafkajs version: internal cluster factory not found');
  return (kafka as unknown as Record<symbol, CreateCluster>)[symbol]!;
}

interface FetchRequest {
  replicaId: number;
  isolationLevel: number;
  maxWaitTime: number;
  minBytes: number;
  maxBytes: number;
  topics: Array<{
    topic: string;
    partitions: Array<{ partition: number; fetchOffset: string; maxBytes: number }>;
  }>;
}

interface ProtocolRequest {
  response: unknown;
}

const FETCH_API_KEY = 1;
const fetchRequests = require('kafkajs/src/protocol/requests/fetch') as unknown;
const fetchV11Response = require('kafkajs/src/protocol/requests/fetch/v11/response') as unknown;
const decodeMessages = require('kafkajs/src/protocol/requests/fetch/v4/decodeMessages') as (
  decoder: unknown,
) => Promise<InternalMessage[]>;
const KafkajsDecoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => unknown;

function decompressWithKafkajsCodec(codec: number, data: Buffer): Promise<Buffer> {
  const codecs = kafkajs.CompressionCodecs as Record<
    number,
    () => { decompress(b: Buffer): Promise<Buffer> }
  >;
  const lookup = codecs[codec];
  if (!lookup) throw new Error(`unknown compression codec ${codec}`);
  return lookup().decompress(data);
}

/** A pre-0.11 message set, decoded by kafkajs. */
function decodeOldMessageSet(recordSet: Buffer): Promise<InternalMessage[]> {
  const sized = Buffer.alloc(4 + recordSet.length);
  sized.writeInt32BE(recordSet.length);
  recordSet.copy(sized, 4);
  return decodeMessages(new KafkajsDecoder(sized));
}

/**
 * Sends a Fetch through the broker's kafkajs connection (its versions, auth, timeouts, request count)
 * but decodes the answer with our record-batch decoder, when kafkajs speaks Fetch v11 with it (every
 * broker since Kafka 2.3). Null otherwise: the caller falls back to kafkajs' own decoding.
 */
async function fetchRecordSets(
  broker: InternalBroker,
  request: FetchRequest,
): Promise<FetchedPartition[] | null> {
  const internal = broker as unknown as Record<string | symbol, unknown>;
  const lookup = internal.lookupRequest as (
    apiKey: number,
    definitions: unknown,
  ) => (r: FetchRequest) => ProtocolRequest;
  const send = Object.getOwnPropertySymbols(Object.getPrototypeOf(broker)).find(
    (s) => s.description === 'private:Broker:sendRequest',
  );
  if (typeof lookup !== 'function' || !send) return null;
  const protocolRequest = lookup.call(broker, FETCH_API_KEY, fetchRequests)(request);
  if (protocolRequest.response !== fetchV11Response) return null;
  const decoded = (await (internal[send] as (r: unknown) => Promise<ReturnType<typeof decodeFetchV11>>).call(
    broker,
    {
      ...protocolRequest,
      response: {
        decode: async (payload: Buffer) => ({ clientSideThrottleTime: payload.readInt32BE(0), payload }),
        parse: async ({ payload }: { payload: Buffer }) => decodeFetchV11(payload),
      },
    },
  )) as ReturnType<typeof decodeFetchV11>;
  const failed =
    decoded.errorCode !== 0
      ? decoded.errorCode
      : decoded.partitions.find((p) => p.errorCode !== 0)?.errorCode;
  if (failed !== undefined) throw createErrorFromCode(failed);
  return decoded.partitions;
}

/**
 * The data records of a fetch answer at or after `from`: a fetch answers whole batches, so the records
 * of a batch before the asked offset are dropped, and so are control records (transaction markers).
 * One pass, no intermediate arrays: on a large read this loop runs once per record.
 */
/** Where the next fetch of a partition starts: after the last offset answered, never before `from`. */
function nextAfter(next: number | null, from: number): number | null {
  return next === null ? null : Math.max(from, next);
}

function dataRecordsFrom(messages: InternalMessage[], from: number): RawRecord[] {
  const records: RawRecord[] = [];
  for (const m of messages) {
    if (m.isControlRecord === true) continue;
    const offset = Number(m.offset);
    if (offset < from) continue;
    records.push({
      offset,
      timestampMs: Number(m.timestamp),
      key: m.key,
      value: m.value,
      headers: m.headers ?? {},
    });
  }
  return records;
}

export class WireCluster {
  readonly kafka: Kafka;
  private readonly cluster: InternalCluster;
  private requests = new Map<string, number>();
  /** groupId -> coordinator node: FindCoordinator is asked once per group, not on every refresh. */
  private readonly coordinators = new Map<string, number>();
  /** groupId -> its coordinator's node id, while a FindCoordinator for it is under way. */
  private readonly lookups = new Map<string, Promise<number>>();
  /**
   * The topics of the newest all-topic metadata this client read (`metadata()`), by name: where
   * leaders are looked up first. kafkajs is told of a topic only when one is read that this does not
   * list; handed every topic, it kept a decoded copy of all of them (about 1 MB a side at 5,000
   * partitions) and decoded them all again every minute.
   */
  private ownTopics: ReadonlyMap<string, InternalTopicMetadata> | null = null;
  /** A topic's leaders by partition, per partition list (kept while the topic's metadata is unchanged). */
  private readonly leaderMaps = new WeakMap<readonly InternalPartitionMetadata[], Map<number, number>>();
  /** Partition leaders by topic, for the metadata object kafkajs held when it was built. */
  private leaderIndex: { metadata: unknown; byTopic: Map<string, Map<number, number>> } | null = null;
  /** The offsets read last, per topic: handed out again for a topic whose offsets did not move. */
  private lastRanges = new Map<string, Map<number, { earliest: number; latest: number }>>();
  /** Each group's bytes in the last DescribeGroups answers (protocol/describe-groups.ts). */
  private readonly groupDescriptions: DescribeGroupsCache = new Map();
  /** Each group's bytes in the last OffsetFetch answers (protocol/offset-fetch.ts). */
  private readonly groupOffsetBytes = new OffsetFetchGroupCache();
  /** Each topic's bytes in the last Metadata answer, for the version they were read in. */
  private metadataTopics: { version: number; topics: MetadataTopicCache } = {
    version: -1,
    topics: new Map(),
  };

  constructor(
    readonly endpoint: ClusterEndpoint,
    clientId = 'mirrorwatch',
    timeouts: ClientTimeouts = {},
  ) {
    this.kafka = createKafka(endpoint, clientId, timeouts);
    const emitter = new InstrumentationEventEmitter();
    emitter.addListener('network.request', (event) => {
      const name = event.payload?.apiName ?? 'unknown';
      // kafkajs names FindCoordinator by its old name; the batched one is sent under Kafka's.
      const api = name === 'GroupCoordinator' ? 'FindCoordinator' : name;
      this.requests.set(api, (this.requests.get(api) ?? 0) + 1);
    });
    this.cluster = internalCreateCluster(this.kafka)({
      metadataMaxAge: METADATA_MAX_AGE_MS,
      allowAutoTopicCreation: false,
      instrumentationEmitter: emitter,
      isolationLevel: READ_UNCOMMITTED,
    });
  }

  /** Requests sent since the last call (and resets the count). */
  takeRequestCount(): number {
    return this.takeRequestCounts().total;
  }

  /** Requests sent since the last call, in total and per API (and resets the counts). */
  takeRequestCounts(): RequestCounts {
    const byApi = Object.fromEntries(this.requests);
    this.requests = new Map();
    return { total: Object.values(byApi).reduce((sum, n) => sum + n, 0), byApi };
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
    // Any failure of ours (a broker that just died and is still listed, say) is asked again by kafkajs,
    // whose metadata() retries with backoff, as every refresh did before.
    const all = (await this.metadataOfAllTopics().catch(() => null)) ?? (await this.cluster.metadata());
    this.ownTopics = new Map(all.topicMetadata.map((t) => [t.topic, t]));
    await this.shareWithKafkajs(all);
    return all;
  }

  /**
   * Hands kafkajs this answer as the metadata it holds, fresh for another `metadataMaxAge`: one decoded
   * copy of every topic instead of two, and kafkajs no longer reads and decodes all topics again every
   * minute. kafkajs makes and drops its broker connections from its own reads, so one is asked first
   * when the answer lists other brokers than kafkajs knows (one stopped or back).
   */
  private async shareWithKafkajs(all: ClusterMetadata): Promise<void> {
    const known = new Set(this.cluster.getNodeIds().map(String));
    if (all.brokers.length !== known.size || all.brokers.some((b) => !known.has(String(b.nodeId))))
      await this.cluster.refreshMetadata().catch(() => {}); // asked again on the next read
    const pool = this.cluster.brokerPool;
    pool.metadata = all;
    pool.metadataExpireAt = Date.now() + METADATA_MAX_AGE_MS;
  }

  /**
   * Metadata through protocol/metadata.ts, where topics that did not change keep their objects: from
   * the first broker that answers without an error. Null when none does or none speaks version 4+.
   */
  private async metadataOfAllTopics(): Promise<MetadataResponse | null> {
    const pool = this.cluster.brokerPool;
    // What kafkajs' own metadata() does first: its view of the leaders, refreshed when it has aged.
    await pool.refreshMetadataIfNecessary([]);
    const parse = async (data: MetadataResponse) => {
      await tolerantMetadataParse(data);
      return data;
    };
    return pool.withBroker(async ({ broker }) => {
      const version = commonVersion(broker, METADATA_API_KEY, METADATA_MIN_VERSION, METADATA_MAX_VERSION);
      if (version === null) throw new Error('Metadata version 4 or later not supported');
      // Bytes of one version say nothing about another's (version 8 adds a field per topic).
      if (this.metadataTopics.version !== version) this.metadataTopics = { version, topics: new Map() };
      return sendThrough(broker)(metadataForAllTopics(version, this.metadataTopics.topics, parse));
    });
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
    // Leadership moves while MM2 creates topics or a broker restarts: kafkajs then fails the whole
    // request. Twice at most, the metadata is read again and the request sent again.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.offsetsOnce(topics);
      } catch (error) {
        if (attempt >= 2 || !STALE_LEADERSHIP.has(kafkaErrorType(error) ?? '')) throw error;
        await new Promise((resolve) => setTimeout(resolve, 300 * (attempt + 1)));
        await this.refreshLeaders();
      }
    }
  }

  private async offsetsOnce(
    topics: Array<{ topic: string; partitions: number[] }>,
  ): Promise<Map<string, Map<number, { earliest: number; latest: number }>>> {
    // The loops are in synchronous methods: this async one, compiled again whenever V8 drops its code,
    // stays small (it took 40-76 ms of V8's compiler each time with them inlined).
    const byLeader = this.partitionsByLeader(topics);
    if (byLeader.size === 0) return new Map();
    const leaders = await Promise.all(
      [...byLeader.keys()].map(async (nodeId) => this.cluster.findBroker({ nodeId })),
    );
    const versions = leaders.map((broker) =>
      commonVersion(broker, LIST_OFFSETS_API_KEY, LIST_OFFSETS_MIN_VERSION, LIST_OFFSETS_MAX_VERSION),
    );
    if (versions.some((v) => v === null)) return this.offsetsThroughKafkajs(topics);
    const pieces: ListedPieces = new Map();
    await Promise.all(
      [...byLeader.values()].flatMap((perTopic, i) => {
        const asked = [...perTopic].map(([topic, partitions]) => ({ topic, partitions }));
        return [EARLIEST_TIMESTAMP, LATEST_TIMESTAMP].map(async (timestamp) => {
          const answer = await sendThrough(leaders[i] as InternalBroker)(
            listOffsets(asked, timestamp, READ_UNCOMMITTED, versions[i] as number),
          );
          addListedPieces(pieces, answer.topics, timestamp === EARLIEST_TIMESTAMP ? 'earliest' : 'latest');
        });
      }),
    );
    const result = this.rangesFromPieces(pieces);
    this.lastRanges = result;
    return result;
  }

  /**
   * Per leader, the partitions it leads; a partition without a leader answers no ListOffsets and stays
   * out of the result (unknown).
   */
  private partitionsByLeader(topics: ReadonlyArray<{ topic: string; partitions: number[] }>) {
    const byLeader = new Map<number, Map<string, number[]>>();
    for (const t of topics) {
      const leaders = this.leadersOf(t.topic);
      for (const partition of t.partitions) {
        const leader = leaders.get(partition) ?? -1;
        if (leader < 0) continue;
        let perTopic = byLeader.get(leader);
        if (!perTopic) {
          perTopic = new Map();
          byLeader.set(leader, perTopic);
        }
        let list = perTopic.get(t.topic);
        if (!list) {
          list = [];
          perTopic.set(t.topic, list);
        }
        list.push(partition);
      }
    }
    return byLeader;
  }

  private rangesFromPieces(
    pieces: ListedPieces,
  ): Map<string, Map<number, { earliest: number; latest: number }>> {
    const result = new Map<string, Map<number, { earliest: number; latest: number }>>();
    for (const [topic, { earliest, latest }] of pieces) {
      // A topic whose offsets did not move keeps the map it had: no object per partition and refresh,
      // and readers downstream see by identity that nothing changed.
      const previous = this.lastRanges.get(topic);
      if (previous && sameRanges(previous, earliest, latest)) result.set(topic, previous);
      else {
        const ranges = rangesOf(earliest, latest);
        if (ranges.size > 0) result.set(topic, ranges);
      }
    }
    return result;
  }

  /** Brokers older than Kafka 0.11 (ListOffsets before version 2): kafkajs asks them. */
  private async offsetsThroughKafkajs(
    topics: Array<{ topic: string; partitions: number[] }>,
  ): Promise<Map<string, Map<number, { earliest: number; latest: number }>>> {
    const result = new Map<string, Map<number, { earliest: number; latest: number }>>();
    const withPartitions = topics
      .map((t) => ({ ...t, partitions: t.partitions.filter((p) => this.leaderOf(t.topic, p) >= 0) }))
      .filter((t) => t.partitions.length > 0);
    if (withPartitions.length === 0) return result;
    // kafkajs looks the leaders up in its own metadata, which holds only the topics it was told of.
    await this.cluster.addMultipleTargetTopics(withPartitions.map((t) => t.topic));
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
   * Reads the leaders again: this client's all-topic metadata when it reads it (which also refreshes
   * what kafkajs holds, and kafkajs' brokers when they changed), else kafkajs' own.
   */
  private async refreshLeaders(): Promise<void> {
    if (this.ownTopics !== null) await this.metadata();
    else await this.cluster.refreshMetadata();
  }

  /**
   * Each partition's leader (-1: none, offline), from the newest all-topic metadata when it lists the
   * topic, else from what kafkajs holds; empty when neither knows the topic.
   */
  private leadersOf(topic: string): ReadonlyMap<number, number> {
    const own = this.ownTopics?.get(topic);
    if (own === undefined) return this.kafkajsLeadersOf(topic);
    let leaders = this.leaderMaps.get(own.partitionMetadata);
    if (leaders === undefined) {
      leaders = leaderMap(own.partitionMetadata);
      this.leaderMaps.set(own.partitionMetadata, leaders);
    }
    return leaders;
  }

  /** leadersOf for a topic kafkajs may not have been told of yet: tells it first. */
  private async leadersOfAny(topic: string): Promise<ReadonlyMap<number, number>> {
    const leaders = this.leadersOf(topic);
    if (leaders !== NO_LEADERS) return leaders;
    await this.cluster.addMultipleTargetTopics([topic]);
    return this.leadersOf(topic);
  }

  /**
   * Each partition's leader from the metadata kafkajs holds (-1: none, offline); empty when unknown.
   * Indexed once per metadata kafkajs holds: its own lookup scans every topic, once per topic asked.
   */
  private kafkajsLeadersOf(topic: string): ReadonlyMap<number, number> {
    const metadata = this.cluster.brokerPool.metadata;
    let index = this.leaderIndex;
    if (index === null || index.metadata !== metadata) {
      const byTopic = new Map<string, Map<number, number>>();
      for (const t of metadata?.topicMetadata ?? []) byTopic.set(t.topic, leaderMap(t.partitionMetadata));
      index = { metadata, byTopic };
      this.leaderIndex = index;
    }
    return index.byTopic.get(topic) ?? NO_LEADERS;
  }

  /** The partition's leader from the metadata kafkajs holds; -1 when it has none (offline) or is unknown. */
  private leaderOf(topic: string, partition: number): number {
    return this.leadersOf(topic).get(partition) ?? -1;
  }

  /**
   * Reads records from the given partitions starting at the given offsets, without a consumer group:
   * one Fetch per leader broker. Returns what the brokers answered (possibly nothing new).
   */
  async fetch(
    topic: string,
    positions: Map<number, number>,
    options: { maxBytesPerPartition?: number; maxBytes?: number; maxWaitMs?: number; minBytes?: number } = {},
  ): Promise<PartitionFetch[]> {
    await this.connect();
    const leaderOf = await this.leadersOfAny(topic);
    const byLeader: Record<string, number[]> = {};
    for (const partition of positions.keys()) {
      const leader = leaderOf.get(partition);
      if (leader === undefined) continue; // not in the metadata: nothing to ask, as kafkajs did
      const led = byLeader[leader];
      if (led) led.push(partition);
      else byLeader[leader] = [partition];
    }
    const offline = (byLeader['-1'] ?? []).map((partition) => ({
      partition,
      errorCode: LEADER_NOT_AVAILABLE,
      highWatermark: -1,
      logStartOffset: null,
      nextOffset: null,
      cutBatch: null,
      bytes: 0,
      records: [] as RawRecord[],
    }));
    delete byLeader['-1'];
    const leaders = Object.keys(byLeader).length;
    const answers = await Promise.all(
      Object.entries(byLeader).map(async ([nodeId, partitions]) => {
        const broker = await this.cluster.findBroker({ nodeId });
        const request: FetchRequest = {
          replicaId: -1,
          isolationLevel: READ_UNCOMMITTED,
          maxWaitTime: options.maxWaitMs ?? 0,
          // minBytes 1 with maxWaitMs: the broker answers as soon as a record arrives (a long poll).
          minBytes: options.minBytes ?? 0,
          // The answer's total: past it the broker leaves the remaining partitions empty, except the first
          // batch of the first partition with data (KIP-74). `maxBytes` is the whole call's, shared by the
          // leaders asked.
          maxBytes: options.maxBytes ? Math.max(1, Math.floor(options.maxBytes / leaders)) : 32 * 1024 * 1024,
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
        };
        const fetched = await fetchRecordSets(broker, request);
        if (fetched)
          return Promise.all(fetched.map((p) => this.decodePartition(p, positions.get(p.partition) ?? 0)));
        const response = await broker.fetch(request);
        return response.responses.flatMap((r) =>
          r.partitions.map((p) => ({
            partition: p.partition,
            errorCode: p.errorCode,
            highWatermark: Number(p.highWatermark),
            logStartOffset: p.logStartOffset === undefined ? null : Number(p.logStartOffset),
            nextOffset: nextAfter(
              p.messages.length > 0 ? Number(p.messages.at(-1)?.offset) + 1 : null,
              positions.get(p.partition) ?? 0,
            ),
            cutBatch: null,
            bytes: 0,
            records: dataRecordsFrom(p.messages, positions.get(p.partition) ?? 0),
          })),
        );
      }),
    );
    return [...answers.flat(), ...offline];
  }

  private async decodePartition(p: FetchedPartition, from: number): Promise<PartitionFetch> {
    const records =
      (await decodeRecordSet(p.recordSet, from, decompressWithKafkajsCodec)) ??
      dataRecordsFrom(await decodeOldMessageSet(p.recordSet), from);
    const end = recordSetEnd(p.recordSet);
    return {
      partition: p.partition,
      errorCode: p.errorCode,
      highWatermark: p.highWatermark,
      logStartOffset: p.logStartOffset,
      nextOffset: nextAfter(end.next, from),
      cutBatch: end.cut,
      bytes: p.recordSet.length,
      records,
    };
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
    this.lookUpCoordinators([groupId]);
    return this.cluster.findBroker({ nodeId: await this.lookups.get(groupId)! });
  }

  /**
   * Starts one batched FindCoordinator for the groups whose coordinator is neither known nor being
   * looked up (DescribeGroups and OffsetFetch ask for the same new groups at the same time: they share
   * it). Groups the batch could not place, and brokers without version 4, fall back to kafkajs'
   * per-group lookup, which retries while a coordinator loads.
   */
  private lookUpCoordinators(groupIds: readonly string[]): void {
    const unknown: string[] = [];
    for (const g of new Set(groupIds)) if (!this.coordinators.has(g) && !this.lookups.has(g)) unknown.push(g);
    if (unknown.length === 0) return;
    // A failed batch (its broker just went away, say) leaves every group to kafkajs' lookup, which
    // picks another broker and retries.
    const batch = this.findCoordinators(unknown).catch(() => new Map<string, number>());
    for (const groupId of unknown) {
      const lookup = batch
        .then(async (found) => {
          const nodeId = found.get(groupId) ?? (await this.cluster.findGroupCoordinator({ groupId })).nodeId;
          // Known before the lookup is forgotten, so that no one starts another one in between.
          this.coordinators.set(groupId, nodeId);
          return nodeId;
        })
        .finally(() => this.lookups.delete(groupId));
      // Awaited by whoever asked; this only keeps a failed lookup nobody reached from crashing Node.
      lookup.catch(() => {});
      this.lookups.set(groupId, lookup);
    }
  }

  /** groupId -> coordinator node for what batched FindCoordinator requests placed; empty without v4. */
  private async findCoordinators(groupIds: readonly string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    await this.connect();
    const nodeIds = this.cluster.getNodeIds();
    if (nodeIds.length === 0) return found;
    const broker = await this.cluster.findBroker({ nodeId: nodeIds[0]! });
    const version = commonVersion(
      broker,
      FIND_COORDINATOR_API_KEY,
      FIND_COORDINATOR_BATCH_MIN_VERSION,
      FIND_COORDINATOR_BATCH_MAX_VERSION,
    );
    if (version === null) return found;
    const answers = await Promise.all(
      chunks(groupIds, FIND_COORDINATOR_KEYS_PER_REQUEST).map(
        async (keys) => await sendThrough(broker)(findGroupCoordinators(keys, version)),
      ),
    );
    for (const { coordinators } of answers)
      for (const c of coordinators) if (c.errorCode === 0 && c.nodeId >= 0) found.set(c.key, c.nodeId);
    return found;
  }

  /**
   * The groups by coordinator: each known coordinator's broker is found once, not once per group (and
   * each group appended in place; a copy of the list per group was quadratic at 1,000 groups).
   */
  private async byCoordinator(groupIds: string[]): Promise<Map<InternalBroker, string[]>> {
    this.lookUpCoordinators(groupIds);
    const byNode = new Map<number, string[]>();
    const unplaced: string[] = [];
    for (const groupId of groupIds) {
      const nodeId = this.coordinators.get(groupId);
      if (nodeId === undefined) unplaced.push(groupId);
      else appendTo(byNode, nodeId, groupId);
    }
    const result = new Map<InternalBroker, string[]>();
    for (const [nodeId, ids] of byNode) {
      try {
        const broker = await this.cluster.findBroker({ nodeId });
        for (const groupId of ids) appendTo(result, broker, groupId);
      } catch {
        // The broker went away: its groups are looked up again, as coordinatorOf does for one.
        for (const groupId of ids) this.coordinators.delete(groupId);
        unplaced.push(...ids);
      }
    }
    for (const groupId of unplaced) appendTo(result, await this.coordinatorOf(groupId), groupId);
    return result;
  }

  /**
   * DescribeGroups batched per coordinator, through protocol/describe-groups.ts where groups that did
   * not change keep their objects (kafkajs' request for a broker older than version 1). A group that
   * answers with an error fails the read, as kafkajs' does, once a moved coordinator is forgotten.
   */
  async describeGroups(groupIds: string[]): Promise<GroupDescription[]> {
    const answers = await Promise.all(
      [...(await this.byCoordinator(groupIds))].map(async ([coordinator, ids]) => {
        const version = commonVersion(
          coordinator,
          DESCRIBE_GROUPS_API_KEY,
          DESCRIBE_GROUPS_MIN_VERSION,
          DESCRIBE_GROUPS_MAX_VERSION,
        );
        if (version === null) return (await coordinator.describeGroups({ groupIds: ids })).groups;
        const { groups } = await sendThrough(coordinator)(
          describeGroupsRequest(ids, version, this.groupDescriptions),
        );
        this.forgetMovedCoordinators(groups);
        const failed = firstFailed(groups);
        if (failed) throw createErrorFromCode(failed.errorCode);
        return groups;
      }),
    );
    const asked = new Set(groupIds);
    for (const groupId of this.groupDescriptions.keys())
      if (!asked.has(groupId)) this.groupDescriptions.delete(groupId);
    return answers.flat();
  }

  /**
   * ConsumerGroupDescribe (KIP-848 groups) batched per coordinator: one request per coordinator whose
   * ApiVersions lists API key 69; groups on other coordinators are left out of the answer. Each group
   * carries its own error code (a classic group answers GROUP_ID_NOT_FOUND).
   */
  async describeConsumerGroups(groupIds: string[]): Promise<ConsumerGroupDescription[]> {
    const answers = await Promise.all(
      [...(await this.byCoordinator(groupIds))].map(async ([coordinator, ids]) => {
        const range = coordinator.versions?.[CONSUMER_GROUP_DESCRIBE_API_KEY];
        if (!range || range.minVersion > CONSUMER_GROUP_DESCRIBE_MAX_VERSION) return [];
        const version = Math.min(range.maxVersion, CONSUMER_GROUP_DESCRIBE_MAX_VERSION);
        const { groups } = await sendThrough(coordinator)(consumerGroupDescribe(ids, version));
        this.forgetMovedCoordinators(groups);
        return groups;
      }),
    );
    return answers.flat();
  }

  /**
   * Every offset each group committed: one OffsetFetch (version 8+, all topics) per coordinator and
   * per OFFSET_FETCH_GROUPS_PER_REQUEST groups. A coordinator without version 8, and a group the batch
   * answered with an error (its coordinator moved, say), are asked one group at a time.
   */
  async committedOffsetsOfGroups(groupIds: string[]): Promise<Map<string, CommittedTopicOffsets[]>> {
    const result = new Map<string, CommittedTopicOffsets[]>();
    const oneByOne: string[] = [];
    await Promise.all(
      [...(await this.byCoordinator(groupIds))].map(async ([coordinator, ids]) => {
        const version = commonVersion(
          coordinator,
          OFFSET_FETCH_API_KEY,
          OFFSET_FETCH_BATCH_MIN_VERSION,
          OFFSET_FETCH_BATCH_MAX_VERSION,
        );
        if (version === null) {
          oneByOne.push(...ids);
          return;
        }
        await Promise.all(
          chunks(ids, OFFSET_FETCH_GROUPS_PER_REQUEST).map(async (batch) => {
            const { groups } = await sendThrough(coordinator)(
              offsetFetchGroups(batch, version, this.groupOffsetBytes),
            );
            this.takeFetchedOffsets(batch, groups, result, oneByOne);
          }),
        );
      }),
    );
    const asked = new Set(groupIds);
    for (const groupId of this.groupOffsetBytes.keys())
      if (!asked.has(groupId)) this.groupOffsetBytes.delete(groupId);
    const single = await Promise.all(oneByOne.map((g) => this.committedOffsets(g)));
    oneByOne.forEach((groupId, i) => {
      result.set(groupId, single[i]!);
    });
    return result;
  }

  /** A batched OffsetFetch answer into `result`; the groups it did not answer go to `oneByOne`. */
  private takeFetchedOffsets(
    batch: readonly string[],
    groups: ReadonlyArray<Parameters<typeof fetchedOffsets>[0]>,
    result: Map<string, CommittedTopicOffsets[]>,
    oneByOne: string[],
  ): void {
    const answered = new Set<string>();
    const asked = new Set(batch);
    for (const group of groups) {
      if (!asked.has(group.groupId)) continue;
      if (isCoordinatorMoved(group.errorCode)) this.coordinators.delete(group.groupId);
      const offsets = fetchedOffsets(group);
      if (offsets === null) continue;
      result.set(group.groupId, offsets);
      answered.add(group.groupId);
    }
    for (const groupId of batch) if (!answered.has(groupId)) oneByOne.push(groupId);
  }

  private forgetMovedCoordinators(groups: ReadonlyArray<{ groupId: string; errorCode: number }>): void {
    for (const g of groups) if (isCoordinatorMoved(g.errorCode)) this.coordinators.delete(g.groupId);
  }

  /** Every offset a group committed (OffsetFetch with all topics, kafkajs' version): one request. */
  async committedOffsets(groupId: string): Promise<CommittedTopicOffsets[]> {
    const coordinator = await this.coordinatorOf(groupId);
    try {
      const { responses } = await coordinator.offsetFetch({ groupId, topics: [] });
      return committedTopics(
        responses.flatMap((t) =>
          t.partitions.map((p) => ({ topic: t.topic, partition: p.partition, offset: Number(p.offset) })),
        ),
      );
    } catch (error) {
      this.coordinators.delete(groupId);
      throw error;
    }
  }

  /**
   * Commits offsets for a group that has no members, as `kafka-consumer-groups --reset-offsets` does
   * (generation -1, no member id): no join, one request. For the lab and tests that seed groups at
   * scale; mirrorwatch itself never commits.
   */
  async commitOffsets(
    groupId: string,
    offsets: Array<{ topic: string; partition: number; offset: number }>,
  ): Promise<void> {
    const coordinator = await this.coordinatorOf(groupId);
    const byTopic = new Map<string, Array<{ partition: number; offset: string }>>();
    for (const o of offsets)
      byTopic.set(o.topic, [
        ...(byTopic.get(o.topic) ?? []),
        { partition: o.partition, offset: String(o.offset) },
      ]);
    await coordinator.offsetCommit({
      groupId,
      groupGenerationId: -1,
      memberId: '',
      topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
    });
  }
}
