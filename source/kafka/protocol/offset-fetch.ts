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

/**
 * The offsets a group committed on one topic, partition by partition, side by side; an offset of -1 is
 * "nothing committed". Two typed arrays per topic instead of an object per partition: at 1,000 groups
 * of 100 partitions a side, the objects were the largest part of what a refresh left to collect.
 */
export interface CommittedTopicOffsets {
  topic: string;
  partitions: Int32Array;
  offsets: Float64Array;
}

export interface FetchedGroupOffsets {
  groupId: string;
  topics: CommittedTopicOffsets[];
  /** NOT_COORDINATOR (16), COORDINATOR_LOAD_IN_PROGRESS (14), GROUP_AUTHORIZATION_FAILED (30), ... */
  errorCode: number;
  /** The first error a partition carries (UNSTABLE_OFFSET_COMMIT, ...), 0 when none does. */
  partitionErrorCode: number;
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

/**
 * Reads a group's answer straight into typed arrays: committed_leader_epoch and metadata are skipped
 * (mirrorwatch shows neither), so a partition costs no object and no string.
 */
function readGroup(r: FlexibleReader): FetchedGroupOffsets {
  const groupId = r.string('group_id');
  let partitionErrorCode = 0;
  const topics = r.array('topics', (r): CommittedTopicOffsets => {
    const topic = r.string('topic name');
    const count = r.arrayLength('partitions');
    const partitions = new Int32Array(count);
    const offsets = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      partitions[i] = r.int32('partition_index');
      offsets[i] = r.int64Number('committed_offset');
      r.int32('committed_leader_epoch');
      r.skipString('metadata');
      const errorCode = r.int16('error_code');
      if (errorCode !== 0 && partitionErrorCode === 0) partitionErrorCode = errorCode;
      r.taggedFields('partition');
    }
    r.taggedFields('topic');
    return { topic, partitions, offsets };
  });
  const errorCode = r.int16('error_code');
  r.taggedFields('group');
  return { groupId, topics, errorCode, partitionErrorCode };
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
