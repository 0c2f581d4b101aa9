/**
 * ConsumerGroupDescribe (API key 69, KIP-848): describes groups of the new consumer protocol
 * (`group.protocol=consumer`), which the classic DescribeGroups reports as `Dead`. kafkajs 2.2.4 does
 * not speak it; this module writes the request and reads the response with kafkajs' Encoder and
 * Decoder, in the shape kafkajs' connections send ({apiKey, apiVersion, apiName, encode} and
 * {decode, parse}).
 *
 * Versions 0 and 1 (Kafka 3.7+; 1 adds member_type, KIP-1099) are flexible: compact strings and arrays
 * (unsigned-varint length + 1), tagged fields after every struct, and request header v2 / response
 * header v1, whose tagged fields kafkajs' header writer and reader do not know. The request payload
 * therefore starts with the request header's (empty) tagged fields and the response payload, as kafkajs
 * hands it over after the correlation id, with the response header's.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface KafkaEncoder {
  writeInt8(value: number): KafkaEncoder;
  writeBoolean(value: boolean): KafkaEncoder;
  writeUVarInt(value: number): KafkaEncoder;
  writeUVarIntString(value: string | null): KafkaEncoder;
  readonly buf: Buffer;
  readonly buffer: Buffer;
}

interface KafkaDecoder {
  offset: number;
  buffer: Buffer;
  readInt8(): number;
  readInt16(): number;
  readInt32(): number;
  readUVarInt(): number;
  readBytes(length: number): Buffer;
}

const Encoder = require('kafkajs/src/protocol/encoder') as new () => KafkaEncoder;
const Decoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => KafkaDecoder;

export const CONSUMER_GROUP_DESCRIBE_API_KEY = 69;
/** Highest version this module speaks. */
export const CONSUMER_GROUP_DESCRIBE_MAX_VERSION = 1;

/** Per-group error codes of the response that matter to a reader. */
export const GROUP_ERRORS = Object.freeze({
  coordinatorNotAvailable: 15,
  notCoordinator: 16,
  /** Also the answer for a classic group: "Group G is not a consumer group." */
  groupIdNotFound: 69,
});

export interface TopicPartitions {
  /** Kafka's Uuid text form (URL-safe base64 of the 16 bytes, no padding), as kafka-topics prints it. */
  topicId: string;
  topicName: string;
  partitions: number[];
}

export interface ConsumerGroupMember {
  memberId: string;
  instanceId: string | null;
  rackId: string | null;
  memberEpoch: number;
  clientId: string;
  clientHost: string;
  subscribedTopicNames: string[];
  subscribedTopicRegex: string | null;
  /** The partitions the member owns now (what kafka-consumer-groups --describe shows). */
  assignment: TopicPartitions[];
  /** The partitions the coordinator wants it to own once reconciled. */
  targetAssignment: TopicPartitions[];
  /** Version 1+: 0 classic member of an upgraded group, 1 consumer; -1 unknown (and version 0). */
  memberType: number;
}

export interface ConsumerGroupDescription {
  errorCode: number;
  errorMessage: string | null;
  groupId: string;
  /** Stable, Empty, Assigning, Reconciling, Dead, as kafka-consumer-groups --describe --state prints it. */
  groupState: string;
  groupEpoch: number;
  assignmentEpoch: number;
  assignorName: string;
  members: ConsumerGroupMember[];
  authorizedOperations: number;
}

export interface ConsumerGroupDescribeResponse {
  throttleTimeMs: number;
  groups: ConsumerGroupDescription[];
}

function writeCompactStrings(encoder: KafkaEncoder, values: readonly string[]): void {
  encoder.writeUVarInt(values.length + 1);
  for (const value of values) encoder.writeUVarIntString(value);
}

function requestEncoder(groupIds: readonly string[], includeAuthorizedOperations: boolean): KafkaEncoder {
  const encoder = new Encoder();
  encoder.writeUVarInt(0); // request header v2: no tagged fields
  writeCompactStrings(encoder, groupIds);
  encoder.writeBoolean(includeAuthorizedOperations);
  encoder.writeUVarInt(0);
  return encoder;
}

/** The request payload after kafkajs' header v1 fields: header tagged fields, then the body. */
export function encodeConsumerGroupDescribeRequest(
  groupIds: readonly string[],
  includeAuthorizedOperations = false,
): Buffer {
  return requestEncoder(groupIds, includeAuthorizedOperations).buffer;
}

/** Reads with bounds checks: a response is data from the wire and may be cut short or garbled. */
class Reader {
  private readonly decoder: KafkaDecoder;

  constructor(buffer: Buffer) {
    this.decoder = new Decoder(buffer);
  }

  private need(bytes: number, what: string): void {
    if (this.decoder.offset + bytes > this.decoder.buffer.length)
      throw new Error(`ConsumerGroupDescribe response truncated reading ${what}`);
  }

  int8(what: string): number {
    this.need(1, what);
    return this.decoder.readInt8();
  }

  int16(what: string): number {
    this.need(2, what);
    return this.decoder.readInt16();
  }

  int32(what: string): number {
    this.need(4, what);
    return this.decoder.readInt32();
  }

  private length(what: string): number {
    this.need(1, what);
    const length = this.decoder.readUVarInt();
    if (length > 0) this.need(length - 1, what);
    return length;
  }

  nullableString(what: string): string | null {
    const length = this.length(what);
    if (length === 0) return null;
    const start = this.decoder.offset;
    this.decoder.offset += length - 1;
    return this.decoder.buffer.toString('utf8', start, start + length - 1);
  }

  string(what: string): string {
    const value = this.nullableString(what);
    if (value === null) throw new Error(`ConsumerGroupDescribe response has a null ${what}`);
    return value;
  }

  uuid(what: string): string {
    this.need(16, what);
    return this.decoder.readBytes(16).toString('base64url');
  }

  /** A compact array; null (length 0) reads as empty. Each element takes at least one byte. */
  array<T>(what: string, element: (reader: Reader) => T): T[] {
    const length = this.length(what);
    const items: T[] = [];
    for (let i = 0; i < length - 1; i++) items.push(element(this));
    return items;
  }

  taggedFields(what: string): void {
    this.need(1, what);
    const count = this.decoder.readUVarInt();
    for (let i = 0; i < count; i++) {
      this.need(1, what);
      this.decoder.readUVarInt(); // tag
      const size = this.length(what);
      this.decoder.offset += Math.max(0, size - 1);
    }
  }
}

function readTopicPartitions(r: Reader): TopicPartitions {
  const topicPartitions = {
    topicId: r.uuid('topic_id'),
    topicName: r.string('topic_name'),
    partitions: r.array('partitions', (p) => p.int32('partition')),
  };
  r.taggedFields('topic partitions');
  return topicPartitions;
}

function readAssignment(r: Reader): TopicPartitions[] {
  const topicPartitions = r.array('topic_partitions', readTopicPartitions);
  r.taggedFields('assignment');
  return topicPartitions;
}

function readMember(r: Reader, version: number): ConsumerGroupMember {
  const member: ConsumerGroupMember = {
    memberId: r.string('member_id'),
    instanceId: r.nullableString('instance_id'),
    rackId: r.nullableString('rack_id'),
    memberEpoch: r.int32('member_epoch'),
    clientId: r.string('client_id'),
    clientHost: r.string('client_host'),
    subscribedTopicNames: r.array('subscribed_topic_names', (s) => s.string('subscribed topic')),
    subscribedTopicRegex: r.nullableString('subscribed_topic_regex'),
    assignment: readAssignment(r),
    targetAssignment: readAssignment(r),
    memberType: version >= 1 ? r.int8('member_type') : -1,
  };
  r.taggedFields('member');
  return member;
}

function readGroup(r: Reader, version: number): ConsumerGroupDescription {
  const group: ConsumerGroupDescription = {
    errorCode: r.int16('error_code'),
    errorMessage: r.nullableString('error_message'),
    groupId: r.string('group_id'),
    groupState: r.string('group_state'),
    groupEpoch: r.int32('group_epoch'),
    assignmentEpoch: r.int32('assignment_epoch'),
    assignorName: r.string('assignor_name'),
    members: r.array('members', (m) => readMember(m, version)),
    authorizedOperations: r.int32('authorized_operations'),
  };
  r.taggedFields('group');
  return group;
}

/** The response payload after the correlation id: response header v1 tagged fields, then the body. */
export function decodeConsumerGroupDescribeResponse(
  payload: Buffer,
  version: number,
): ConsumerGroupDescribeResponse {
  const r = new Reader(payload);
  r.taggedFields('response header');
  const throttleTimeMs = r.int32('throttle_time_ms');
  const groups = r.array('groups', (g) => readGroup(g, version));
  r.taggedFields('response');
  return { throttleTimeMs, groups };
}

/** The {request, response} pair a kafkajs connection sends (`connection.send(...)`). */
export function consumerGroupDescribe(groupIds: readonly string[], version: number) {
  return {
    request: {
      apiKey: CONSUMER_GROUP_DESCRIBE_API_KEY,
      apiVersion: version,
      apiName: 'ConsumerGroupDescribe',
      encode: async () => requestEncoder(groupIds, false),
    },
    response: {
      decode: async (payload: Buffer) => {
        const decoded = decodeConsumerGroupDescribeResponse(payload, version);
        return { ...decoded, clientSideThrottleTime: decoded.throttleTimeMs };
      },
      // Per-group errors stay in the answer: a classic group answers GROUP_ID_NOT_FOUND, which is news.
      parse: async (data: ConsumerGroupDescribeResponse) => data,
    },
  };
}
