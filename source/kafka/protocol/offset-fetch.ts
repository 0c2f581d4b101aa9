/**
 * OffsetFetch (API key 9) for many groups in one request, versions 8 and 9 (KIP-709, Kafka 3.0+),
 * which kafkajs 2.2.4 does not speak (it sends one group per request, up to version 4). Both are
 * flexible (see ./flexible.ts). Version 9 adds member_id and member_epoch per group (KIP-848); an
 * admin sends null and -1, as Kafka's Admin client does. Version 10 names topics by id: not used.
 */
import {
  decodeFlexibleResponse,
  type FlexibleReader,
  flexibleProtocolRequest,
  flexibleRequestEncoder,
  type KafkaEncoder,
  writeCompactArray,
} from './flexible.js';

export const OFFSET_FETCH_API_KEY = 9;
/** Lowest version that takes several groups. */
export const OFFSET_FETCH_BATCH_MIN_VERSION = 8;
/** Highest version this module speaks. */
export const OFFSET_FETCH_BATCH_MAX_VERSION = 9;

export interface FetchedPartitionOffset {
  partitionIndex: number;
  /** -1 when the group committed nothing for the partition. */
  committedOffset: number;
  committedLeaderEpoch: number;
  metadata: string | null;
  errorCode: number;
}

export interface FetchedTopicOffsets {
  name: string;
  partitions: FetchedPartitionOffset[];
}

export interface FetchedGroupOffsets {
  groupId: string;
  topics: FetchedTopicOffsets[];
  /** NOT_COORDINATOR (16), COORDINATOR_LOAD_IN_PROGRESS (14), GROUP_AUTHORIZATION_FAILED (30), ... */
  errorCode: number;
}

export interface OffsetFetchResponse {
  throttleTimeMs: number;
  groups: FetchedGroupOffsets[];
}

function requestEncoder(groupIds: readonly string[], version: number, requireStable: boolean): KafkaEncoder {
  const encoder = flexibleRequestEncoder();
  writeCompactArray(encoder, groupIds, (e, groupId) => {
    e.writeUVarIntString(groupId);
    if (version >= 9) {
      e.writeUVarIntString(null); // member_id
      e.writeInt32(-1); // member_epoch
    }
    e.writeUVarInt(0); // topics: null, every topic the group committed
    e.writeUVarInt(0);
  });
  encoder.writeBoolean(requireStable);
  encoder.writeUVarInt(0);
  return encoder;
}

/** The request payload after kafkajs' header v1 fields: header tagged fields, then the body. */
export function encodeOffsetFetchRequest(
  groupIds: readonly string[],
  version: number,
  requireStable = false,
): Buffer {
  return requestEncoder(groupIds, version, requireStable).buffer;
}

function readPartition(r: FlexibleReader): FetchedPartitionOffset {
  const partition = {
    partitionIndex: r.int32('partition_index'),
    committedOffset: r.int64Number('committed_offset'),
    committedLeaderEpoch: r.int32('committed_leader_epoch'),
    metadata: r.nullableString('metadata'),
    errorCode: r.int16('error_code'),
  };
  r.taggedFields('partition');
  return partition;
}

function readTopic(r: FlexibleReader): FetchedTopicOffsets {
  const topic = { name: r.string('topic name'), partitions: r.array('partitions', readPartition) };
  r.taggedFields('topic');
  return topic;
}

function readGroup(r: FlexibleReader): FetchedGroupOffsets {
  const group = {
    groupId: r.string('group_id'),
    topics: r.array('topics', readTopic),
    errorCode: r.int16('error_code'),
  };
  r.taggedFields('group');
  return group;
}

/** The response payload after the correlation id (versions 8 and 9 read alike). */
export function decodeOffsetFetchResponse(payload: Buffer): OffsetFetchResponse {
  return decodeFlexibleResponse(payload, 'OffsetFetch', (r) => ({
    throttleTimeMs: r.int32('throttle_time_ms'),
    groups: r.array('groups', readGroup),
  }));
}

/** The {request, response} pair a kafkajs connection sends; per-group errors stay in the answer. */
export function offsetFetchGroups(groupIds: readonly string[], version: number) {
  return flexibleProtocolRequest(
    { apiKey: OFFSET_FETCH_API_KEY, apiVersion: version, apiName: 'OffsetFetch' },
    () => requestEncoder(groupIds, version, false),
    decodeOffsetFetchResponse,
  );
}
