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
  type KafkaEncoder,
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

/** Bytes of an unsigned varint. */
function uvarintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

function writeUVarInt(buffer: Buffer, at: number, value: number): number {
  while (value >= 0x80) {
    buffer[at++] = (value & 0x7f) | 0x80;
    value = Math.floor(value / 128);
  }
  buffer[at++] = value;
  return at;
}

/**
 * The request payload after kafkajs' header v1 fields: header tagged fields, then the body. Written
 * into one buffer of the exact size: kafkajs' encoder builds an array per varint and grows its buffer
 * as it goes, which at 1,000 groups a refresh was a few percent of what the console allocated.
 */
export function encodeOffsetFetchRequest(
  groupIds: readonly string[],
  version: number,
  requireStable = false,
): Buffer {
  // Names are measured, then written in place: no buffer per name.
  const lengths = groupIds.map((groupId) => Buffer.byteLength(groupId, 'utf8'));
  // Per group: its name, then (version 9) member_id null and member_epoch -1, topics null, tagged fields.
  const perGroupFields = (version >= 9 ? 1 + 4 : 0) + 1 + 1;
  let size = 1 + uvarintSize(groupIds.length + 1) + 1 + 1;
  for (const length of lengths) size += uvarintSize(length + 1) + length + perGroupFields;
  const buffer = Buffer.allocUnsafe(size);
  let at = writeUVarInt(buffer, 0, 0); // request header tagged fields
  at = writeUVarInt(buffer, at, groupIds.length + 1);
  for (let i = 0; i < groupIds.length; i++) {
    const length = lengths[i] as number;
    at = writeUVarInt(buffer, at, length + 1);
    at += buffer.write(groupIds[i] as string, at, length, 'utf8');
    if (version >= 9) {
      at = writeUVarInt(buffer, at, 0); // member_id: null
      at = buffer.writeInt32BE(-1, at); // member_epoch
    }
    at = writeUVarInt(buffer, at, 0); // topics: null, every topic the group committed
    at = writeUVarInt(buffer, at, 0);
  }
  at = buffer.writeInt8(requireStable ? 1 : 0, at);
  at = writeUVarInt(buffer, at, 0);
  if (at !== size) throw new Error(`OffsetFetch request: wrote ${at} bytes of ${size}`);
  return buffer;
}

/**
 * What each group's answer decoded to last, kept between answers: a group whose answer decodes to the
 * same (its offsets did not move) is handed back as the same object. At 1,000 groups of 100 partitions
 * a side, decoding them on every refresh, and then comparing each with the group built before, was a
 * tenth of the console's work; an object that stays the same needs neither. The answer is compared
 * with the object, not with the bytes it came from: kept, those bytes were 3 MB outside the heap on
 * the scaled lab, and they held nothing more that mirrorwatch reads.
 */
export class OffsetFetchGroupCache extends Map<string, FetchedGroupOffsets> {
  /**
   * One string per topic name for all groups: every group's answer names its topics again, and at
   * 1,000 groups each topic name was decoded into 2,000 copies (3 MB on the scaled lab).
   */
  private readonly names = new Map<string, string>();

  name(decoded: string): string {
    const known = this.names.get(decoded);
    if (known !== undefined) return known;
    if (this.names.size >= MAX_NAMES) this.names.clear(); // names of topics long deleted
    this.names.set(decoded, decoded);
    return decoded;
  }
}

const MAX_NAMES = 200_000;

/**
 * Reads a group's answer straight into typed arrays: committed_leader_epoch and metadata are skipped
 * (mirrorwatch shows neither), so a partition costs no object and no string.
 */
function readGroup(r: FlexibleReader, cache: OffsetFetchGroupCache | undefined): FetchedGroupOffsets {
  const groupId = r.string('group_id');
  const start = r.position;
  const known = cache?.get(groupId);
  if (known !== undefined) {
    if (decodesTo(r, known)) return known;
    r.seek(start);
  }
  let partitionErrorCode = 0;
  const topics = r.array('topics', (r): CommittedTopicOffsets => {
    const decoded = r.string('topic name');
    const topic = cache ? cache.name(decoded) : decoded;
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
  const group = { groupId, topics, errorCode, partitionErrorCode };
  cache?.set(groupId, group);
  return group;
}

/** The big-endian int32 at `at`, which the caller checked is inside `bytes`. */
function int32At(bytes: Buffer, at: number): number {
  return (
    ((bytes[at] as number) << 24) |
    ((bytes[at + 1] as number) << 16) |
    ((bytes[at + 2] as number) << 8) |
    (bytes[at + 3] as number)
  );
}

/**
 * Whether the group's answer at the position decodes to `known` (readGroup's reading: the same topics
 * in the same order, partitions, committed offsets and errors; leader epochs and metadata are not
 * read). Steps over the group's answer when it does; the position is anywhere when it does not.
 */
function decodesTo(r: FlexibleReader, known: FetchedGroupOffsets): boolean {
  const topics = known.topics;
  if (r.arrayLength('topics') !== topics.length) return false;
  const bytes = r.bytes;
  let partitionErrorCode = 0;
  for (const { topic, partitions, offsets } of topics) {
    if (!r.stringIs(topic, 'topic name')) return false;
    const count = r.arrayLength('partitions');
    if (count !== partitions.length) return false;
    // Straight from the bytes (this runs for every committed partition of every group on each refresh):
    // partition_index, committed_offset, committed_leader_epoch, metadata, error_code, tagged fields.
    // Metadata past 126 bytes or a tagged field is not read here: the group is then decoded again.
    let at = r.position;
    const end = bytes.length;
    for (let i = 0; i < count; i++) {
      if (at + 20 > end) return false;
      if (int32At(bytes, at) !== partitions[i]) return false;
      if (int32At(bytes, at + 4) * 4_294_967_296 + (int32At(bytes, at + 8) >>> 0) !== offsets[i])
        return false;
      const metadataLength = bytes[at + 16] as number; // compact: length + 1, 0 for null
      if (metadataLength >= 0x80) return false;
      const errorAt = metadataLength > 1 ? at + 16 + metadataLength : at + 17;
      if (errorAt + 3 > end || bytes[errorAt + 2] !== 0) return false;
      const errorCode = (((bytes[errorAt] as number) << 24) | ((bytes[errorAt + 1] as number) << 16)) >> 16;
      if (errorCode !== 0 && partitionErrorCode === 0) partitionErrorCode = errorCode;
      at = errorAt + 3;
    }
    r.seek(at);
    r.taggedFields('topic');
  }
  if (r.int16('error_code') !== known.errorCode || partitionErrorCode !== known.partitionErrorCode)
    return false;
  r.taggedFields('group');
  return true;
}

/**
 * The response payload after the correlation id (versions 8 and 9 read alike). With `cache`, a group
 * whose bytes equal those of the last answer is that answer's object, and `cache` keeps this answer's.
 */
export function decodeOffsetFetchResponse(
  payload: Buffer,
  cache?: OffsetFetchGroupCache,
): OffsetFetchResponse {
  return decodeFlexibleResponse(payload, 'OffsetFetch', (r) => ({
    throttleTimeMs: r.int32('throttle_time_ms'),
    groups: r.array('groups', groupReader(cache)),
  }));
}

/**
 * One reader of groups per cache, kept with it: V8 keeps a closure's optimized code only while the
 * closure lives, and a reader made per answer was compiled again, answer after answer.
 */
const groupReaders = new WeakMap<OffsetFetchGroupCache, (r: FlexibleReader) => FetchedGroupOffsets>();
const uncachedGroupReader = (r: FlexibleReader) => readGroup(r, undefined);

function groupReader(cache: OffsetFetchGroupCache | undefined): (r: FlexibleReader) => FetchedGroupOffsets {
  if (!cache) return uncachedGroupReader;
  let reader = groupReaders.get(cache);
  if (!reader) {
    reader = (r) => readGroup(r, cache);
    groupReaders.set(cache, reader);
  }
  return reader;
}

/** The {request, response} pair a kafkajs connection sends; per-group errors stay in the answer. */
export function offsetFetchGroups(
  groupIds: readonly string[],
  version: number,
  cache?: OffsetFetchGroupCache,
) {
  return flexibleProtocolRequest(
    { apiKey: OFFSET_FETCH_API_KEY, apiVersion: version, apiName: 'OffsetFetch' },
    () => {
      const buffer = encodeOffsetFetchRequest(groupIds, version, false);
      // kafkajs appends `buffer` of whatever it is handed as an encoder (as in list-offsets.ts).
      return { buf: buffer, buffer } as unknown as KafkaEncoder;
    },
    (payload) => decodeOffsetFetchResponse(payload, cache),
  );
}
