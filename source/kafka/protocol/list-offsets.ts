/**
 * ListOffsets (API key 2), versions 2 and 3 (Kafka 0.11+), for every partition a broker leads in one
 * request, encoded into one buffer and decoded without a per-value BigInt. kafkajs 2.2.4 speaks the same
 * versions but builds an encoder of 512 bytes per partition and several objects per partition and
 * answer: at 10,000 partitions, two timestamps and two clusters a refresh, that was a fifth of what the
 * console allocated. Neither version is flexible: request header v1, response header v0 (kafkajs
 * writes and strips both).
 */
import { ClassicReader } from './classic-reader.js';
import { classicProtocolRequest, type FlexibleProtocolRequest } from './flexible.js';

export const LIST_OFFSETS_API_KEY = 2;
/** The lowest version with the isolation level. */
export const LIST_OFFSETS_MIN_VERSION = 2;
/** Version 4 adds leader epochs; not needed for reading offsets. */
export const LIST_OFFSETS_MAX_VERSION = 3;
/** ListOffsets' special timestamps. */
export const EARLIEST_TIMESTAMP = -2;
export const LATEST_TIMESTAMP = -1;

export interface ListOffsetsTopic {
  topic: string;
  partitions: readonly number[];
}

export interface ListedTopicOffsets {
  topic: string;
  partitions: Int32Array;
  errorCodes: Int16Array;
  /** -1 when the broker has none. */
  offsets: Float64Array;
}

export interface ListOffsetsResponse {
  throttleTimeMs: number;
  topics: ListedTopicOffsets[];
}

/** The request body (after kafkajs' header v1): replica -1, the isolation level, the topics. */
export function encodeListOffsetsRequest(
  topics: readonly ListOffsetsTopic[],
  timestamp: number,
  isolationLevel: number,
): Buffer {
  let size = 4 + 1 + 4;
  for (let i = 0; i < topics.length; i++) {
    const t = topics[i] as ListOffsetsTopic;
    size += 2 + Buffer.byteLength(t.topic, 'utf8') + 4 + t.partitions.length * 12;
  }
  const buffer = Buffer.alloc(size);
  let at = buffer.writeInt32BE(-1, 0);
  at = buffer.writeInt8(isolationLevel, at);
  at = buffer.writeInt32BE(topics.length, at);
  // The timestamp's two halves once per request, and index loops: this runs a few times a refresh, too
  // seldom for V8 to optimise it, and unoptimised code allocated an iterator result per partition and a
  // number for the low half of a negative timestamp (about 40 MB over 150 s on the scaled lab).
  const high = Math.floor(timestamp / 4_294_967_296);
  const low = timestamp - high * 4_294_967_296;
  for (let i = 0; i < topics.length; i++) {
    const t = topics[i] as ListOffsetsTopic;
    const nameLength = buffer.write(t.topic, at + 2, 'utf8');
    buffer.writeInt16BE(nameLength, at);
    at += 2 + nameLength;
    const partitions = t.partitions;
    at = buffer.writeInt32BE(partitions.length, at);
    for (let j = 0; j < partitions.length; j++) {
      at = buffer.writeInt32BE(partitions[j] as number, at);
      buffer.writeInt32BE(high, at);
      buffer.writeUInt32BE(low, at + 4);
      at += 8;
    }
  }
  return buffer;
}

export function decodeListOffsetsResponse(payload: Buffer): ListOffsetsResponse {
  const r = new ClassicReader(payload, 'ListOffsets');
  const throttleTimeMs = r.int32('throttle_time_ms');
  const topics: ListedTopicOffsets[] = [];
  for (let t = r.count('topics'); t > 0; t--) {
    const topic = r.string('topic name');
    const n = r.count('partitions');
    const partitions = new Int32Array(n);
    const errorCodes = new Int16Array(n);
    const offsets = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      partitions[i] = r.int32('partition');
      errorCodes[i] = r.int16('error_code');
      r.int64('timestamp');
      offsets[i] = r.int64('offset');
    }
    topics.push({ topic, partitions, errorCodes, offsets });
  }
  return { throttleTimeMs, topics };
}

/** The {request, response} pair a kafkajs connection sends; partition errors stay in the answer. */
export function listOffsets(
  topics: readonly ListOffsetsTopic[],
  timestamp: number,
  isolationLevel: number,
  version: number,
): FlexibleProtocolRequest<ListOffsetsResponse> {
  return classicProtocolRequest(
    { apiKey: LIST_OFFSETS_API_KEY, apiName: 'ListOffsets', apiVersion: version },
    () => encodeListOffsetsRequest(topics, timestamp, isolationLevel),
    decodeListOffsetsResponse,
  );
}
