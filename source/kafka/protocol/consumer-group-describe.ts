/**
 * ConsumerGroupDescribe (API key 69, KIP-848): describes groups of the new consumer protocol
 * (`group.protocol=consumer`), which the classic DescribeGroups reports as `Dead`. kafkajs 2.2.4 does
 * not speak it; this module writes the request and reads the response with kafkajs' Encoder and
 * Decoder, in the shape kafkajs' connections send ({apiKey, apiVersion, apiName, encode} and
 * {decode, parse}).
 *
 * Versions 0 and 1 (Kafka 3.7+; 1 adds member_type, KIP-1099) are flexible (see ./flexible.ts).
 */
import {
  decodeFlexibleResponse,
  type FlexibleReader,
  flexibleProtocolRequest,
  flexibleRequestEncoder,
  type KafkaEncoder,
  writeCompactStrings,
} from './flexible.js';

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

function requestEncoder(groupIds: readonly string[], includeAuthorizedOperations: boolean): KafkaEncoder {
  const encoder = flexibleRequestEncoder();
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

function readTopicPartitions(r: FlexibleReader): TopicPartitions {
  const topicPartitions = {
    topicId: r.uuid('topic_id'),
    topicName: r.string('topic_name'),
    partitions: r.array('partitions', (p) => p.int32('partition')),
  };
  r.taggedFields('topic partitions');
  return topicPartitions;
}

function readAssignment(r: FlexibleReader): TopicPartitions[] {
  const topicPartitions = r.array('topic_partitions', readTopicPartitions);
  r.taggedFields('assignment');
  return topicPartitions;
}

function readMember(r: FlexibleReader, version: number): ConsumerGroupMember {
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

function readGroup(r: FlexibleReader, version: number): ConsumerGroupDescription {
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
  return decodeFlexibleResponse(payload, 'ConsumerGroupDescribe', (r) => ({
    throttleTimeMs: r.int32('throttle_time_ms'),
    groups: r.array('groups', (g) => readGroup(g, version)),
  }));
}

/**
 * The {request, response} pair a kafkajs connection sends. Per-group errors stay in the answer: a
 * classic group answers GROUP_ID_NOT_FOUND, which is news.
 */
export function consumerGroupDescribe(groupIds: readonly string[], version: number) {
  return flexibleProtocolRequest(
    { apiKey: CONSUMER_GROUP_DESCRIBE_API_KEY, apiVersion: version, apiName: 'ConsumerGroupDescribe' },
    () => requestEncoder(groupIds, false),
    (payload) => decodeConsumerGroupDescribeResponse(payload, version),
  );
}
