/**
 * Metadata (API key 3) for every topic, versions 4 to 8 (Kafka 1.0+; Kafka 4 removed 0 to 3), read
 * by a decoder that hands back the previous refresh's topic object when the topic's bytes did not
 * change. kafkajs 2.2.4 builds an object and three arrays per partition on every answer: at 10,000
 * partitions a side and a refresh every 2 s, that was the largest single part of what the console
 * allocated, for topics that almost never change. Non-flexible versions: request header v1 and
 * response header v0, which kafkajs writes and strips.
 */
import { ClassicReader } from './classic-reader.js';
import { classicProtocolRequest, type FlexibleProtocolRequest } from './flexible.js';

export const METADATA_API_KEY = 3;
/** Version 4 adds allow_auto_topic_creation; Kafka 4 speaks 4 and later. */
export const METADATA_MIN_VERSION = 4;
/** Version 9 is flexible; 8 holds everything mirrorwatch reads. */
export const METADATA_MAX_VERSION = 8;

export interface MetadataPartition {
  partitionErrorCode: number;
  partitionId: number;
  /** -1 when the partition has no leader (offline). */
  leader: number;
  /** Shared between partitions with the same list (see {@link brokerList}): read, never change. */
  replicas: readonly number[];
  isr: readonly number[];
  /** Version 5+; empty before. */
  offlineReplicas: readonly number[];
}

export interface MetadataTopic {
  topicErrorCode: number;
  topic: string;
  isInternal: boolean;
  partitionMetadata: MetadataPartition[];
}

export interface MetadataResponse {
  throttleTimeMs: number;
  brokers: Array<{ nodeId: number; host: string; port: number; rack: string | null }>;
  clusterId: string | null;
  controllerId: number;
  topicMetadata: MetadataTopic[];
}

/** Each topic's bytes in the last answer and what they decoded to; kept between answers. */
export type MetadataTopicCache = Map<string, { bytes: Buffer; topic: MetadataTopic }>;

/** The request body for every topic (null topics), no automatic topic creation. */
export function encodeMetadataRequest(version: number): Buffer {
  const buffer = Buffer.alloc(4 + 1 + (version >= 8 ? 2 : 0));
  buffer.writeInt32BE(-1, 0); // topics: null, every topic
  // allow_auto_topic_creation false, and (version 8) neither kind of authorized operations.
  return buffer;
}

/**
 * Broker lists decoded so far, by their ids: every partition with the same replicas (or ISR) shares
 * one frozen array. At 10,000 partitions a side these were 30,000 arrays of a few ids each, kept
 * for as long as the topic did not change (about 1.5 MB), where a cluster has a few hundred distinct
 * lists. Bounded: past the bound a list is decoded into its own array.
 */
const brokerLists = new Map<string, readonly number[]>();
const BROKER_LISTS_BOUND = 4096;
const NO_BROKERS: readonly number[] = Object.freeze([]);

function brokerList(r: ClassicReader, what: string): readonly number[] {
  const ids = r.int32s(what);
  if (ids.length === 0) return NO_BROKERS;
  const key = ids.join(',');
  const known = brokerLists.get(key);
  if (known) return known;
  if (brokerLists.size >= BROKER_LISTS_BOUND) return ids;
  const list = Object.freeze(ids);
  brokerLists.set(key, list);
  return list;
}

function readTopic(r: ClassicReader, version: number, topicErrorCode: number, topic: string): MetadataTopic {
  const isInternal = r.int8('is_internal') !== 0;
  const count = r.count('partitions', 18);
  const partitionMetadata: MetadataPartition[] = [];
  for (let i = 0; i < count; i++) {
    const partitionErrorCode = r.int16('partition error_code');
    const partitionId = r.int32('partition_index');
    const leader = r.int32('leader_id');
    if (version >= 7) r.int32('leader_epoch');
    const replicas = brokerList(r, 'replica_nodes');
    const isr = brokerList(r, 'isr_nodes');
    const offlineReplicas = version >= 5 ? brokerList(r, 'offline_replicas') : NO_BROKERS;
    partitionMetadata.push({ partitionErrorCode, partitionId, leader, replicas, isr, offlineReplicas });
  }
  if (version >= 8) r.int32('topic_authorized_operations');
  return { topicErrorCode, topic, isInternal, partitionMetadata };
}

/**
 * The response body after the correlation id. A topic whose bytes equal its bytes in the last answer
 * (`cache`) is the last answer's object; `cache` is updated to this answer's topics.
 */
export function decodeMetadataResponse(
  payload: Buffer,
  version: number,
  cache: MetadataTopicCache = new Map(),
): MetadataResponse {
  const r = new ClassicReader(payload, 'Metadata');
  const throttleTimeMs = r.int32('throttle_time_ms');
  const brokers: MetadataResponse['brokers'] = [];
  for (let n = r.count('brokers', 12); n > 0; n--) {
    const nodeId = r.int32('node_id');
    const host = r.string('host');
    const port = r.int32('port');
    const rack = r.nullableString('rack');
    brokers.push({ nodeId, host, port, rack });
  }
  const clusterId = r.nullableString('cluster_id');
  const controllerId = r.int32('controller_id');
  const topicMetadata: MetadataTopic[] = [];
  const seen = new Set<string>();
  for (let n = r.count('topics', 9); n > 0; n--) {
    const start = r.at;
    const topicErrorCode = r.int16('topic error_code');
    const topic = r.string('topic name');
    seen.add(topic);
    const known = cache.get(topic);
    // A topic's encoding ends where its bytes say, so equal bytes decode to an equal topic.
    if (known !== undefined && r.skipIfEqualFrom(start, known.bytes)) {
      topicMetadata.push(known.topic);
      continue;
    }
    const decoded = readTopic(r, version, topicErrorCode, topic);
    cache.set(topic, { bytes: r.copySince(start), topic: decoded });
    topicMetadata.push(decoded);
  }
  if (version >= 8) r.int32('cluster_authorized_operations');
  for (const name of cache.keys()) if (!seen.has(name)) cache.delete(name);
  return { throttleTimeMs, brokers, clusterId, controllerId, topicMetadata };
}

/** The {request, response} pair a kafkajs connection sends; `parse` decides which errors throw. */
export function metadataForAllTopics(
  version: number,
  cache: MetadataTopicCache,
  parse: (data: MetadataResponse) => Promise<MetadataResponse>,
): FlexibleProtocolRequest<MetadataResponse> {
  return classicProtocolRequest(
    { apiKey: METADATA_API_KEY, apiName: 'Metadata', apiVersion: version },
    () => encodeMetadataRequest(version),
    (payload) => decodeMetadataResponse(payload, version, cache),
    parse,
  );
}
