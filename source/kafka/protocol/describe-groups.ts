/**
 * DescribeGroups (API key 15), versions 1 to 4, read by a decoder that hands back the previous answer's
 * group object when the group's bytes did not change. kafkajs 2.2.4 decodes five strings and two byte
 * fields per member and four strings per group on every answer: at 1,000 groups a side and a refresh
 * every 2 s, a tenth of what the console allocated, for groups that rarely change. Version 0 went
 * away in Kafka 4; version 5 is flexible and adds nothing mirrorwatch reads. Non-flexible versions:
 * request header v1 and response header v0, which kafkajs writes and strips.
 */
import { ClassicReader } from './classic-reader.js';
import { classicProtocolRequest, type FlexibleProtocolRequest } from './flexible.js';

export const DESCRIBE_GROUPS_API_KEY = 15;
export const DESCRIBE_GROUPS_MIN_VERSION = 1;
/** Version 3 adds authorized operations, 4 a member's group instance id (read past, not kept). */
export const DESCRIBE_GROUPS_MAX_VERSION = 4;

export interface DescribedMember {
  memberId: string;
  clientId: string;
  clientHost: string;
  /** The consumer protocol's assignment bytes (an empty buffer when the member has none yet). */
  memberAssignment: Buffer;
}

export interface DescribedGroup {
  errorCode: number;
  groupId: string;
  state: string;
  protocolType: string;
  protocol: string;
  members: DescribedMember[];
}

export interface DescribeGroupsResponse {
  throttleTimeMs: number;
  groups: DescribedGroup[];
}

/** Each group's bytes in the last answer and what they decoded to; kept between answers. */
export type DescribeGroupsCache = Map<string, { bytes: Buffer; group: DescribedGroup }>;

/** The request body: the group ids and (version 3+) no authorized operations. */
export function encodeDescribeGroupsRequest(groupIds: readonly string[], version: number): Buffer {
  // Names are measured, then written in place: no buffer per name.
  const lengths = groupIds.map((id) => Buffer.byteLength(id, 'utf8'));
  if (lengths.some((length) => length > 0x7fff))
    throw new Error('DescribeGroups request: a group id is over 32,767 bytes');
  const size = 4 + lengths.reduce((sum, length) => sum + 2 + length, 0) + (version >= 3 ? 1 : 0);
  const buffer = Buffer.alloc(size);
  let at = buffer.writeInt32BE(groupIds.length, 0);
  for (let i = 0; i < groupIds.length; i++) {
    const length = lengths[i] as number;
    at = buffer.writeInt16BE(length, at);
    at += buffer.write(groupIds[i] as string, at, length, 'utf8');
  }
  // include_authorized_operations false: Buffer.alloc left it 0.
  return buffer;
}

function bytes(r: ClassicReader, what: string): Buffer {
  const length = r.int32(what);
  if (length < 0) return Buffer.alloc(0);
  r.need(length, what);
  // A copy: the answer's buffer is not kept alive by a member that outlives it.
  const value = Buffer.from(r.buffer.subarray(r.at, r.at + length));
  r.at += length;
  return value;
}

function readMember(r: ClassicReader, version: number): DescribedMember {
  const memberId = r.string('member_id');
  if (version >= 4) r.nullableString('group_instance_id');
  const clientId = r.string('client_id');
  const clientHost = r.string('client_host');
  // The subscription is not read: skipped without a copy.
  const metadataLength = r.int32('member_metadata');
  if (metadataLength > 0) {
    r.need(metadataLength, 'member_metadata');
    r.at += metadataLength;
  }
  const memberAssignment = bytes(r, 'member_assignment');
  return { memberId, clientId, clientHost, memberAssignment };
}

/**
 * The response body after the correlation id. A group whose bytes equal its bytes in the last answer
 * (`cache`) is the last answer's object; `cache` gets this answer's groups (the caller drops groups it
 * no longer asks for: an answer holds only the groups of one coordinator).
 */
export function decodeDescribeGroupsResponse(
  payload: Buffer,
  version: number,
  cache: DescribeGroupsCache = new Map(),
): DescribeGroupsResponse {
  const r = new ClassicReader(payload, 'DescribeGroups');
  const throttleTimeMs = r.int32('throttle_time_ms');
  const groups: DescribedGroup[] = [];
  // error_code, four strings and a member count: at least 14 bytes a group.
  for (let n = r.count('groups', 14); n > 0; n--) {
    const start = r.at;
    const errorCode = r.int16('error_code');
    const groupId = r.string('group_id');
    const known = cache.get(groupId);
    // A group's encoding ends where its bytes say, so equal bytes decode to an equal group.
    if (known !== undefined && r.skipIfEqualFrom(start, known.bytes)) {
      groups.push(known.group);
      continue;
    }
    const state = r.string('group_state');
    const protocolType = r.string('protocol_type');
    const protocol = r.string('protocol_data');
    const members: DescribedMember[] = [];
    // member_id, client_id, client_host and two byte fields: at least 14 bytes a member.
    for (let m = r.count('members', 14); m > 0; m--) members.push(readMember(r, version));
    if (version >= 3) r.int32('authorized_operations');
    const group: DescribedGroup = { errorCode, groupId, state, protocolType, protocol, members };
    cache.set(groupId, { bytes: r.copySince(start), group });
    groups.push(group);
  }
  return { throttleTimeMs, groups };
}

/** The {request, response} pair a kafkajs connection sends; `parse` decides which errors throw. */
export function describeGroupsRequest(
  groupIds: readonly string[],
  version: number,
  cache: DescribeGroupsCache,
  parse?: (data: DescribeGroupsResponse) => Promise<DescribeGroupsResponse>,
): FlexibleProtocolRequest<DescribeGroupsResponse> {
  return classicProtocolRequest(
    { apiKey: DESCRIBE_GROUPS_API_KEY, apiName: 'DescribeGroups', apiVersion: version },
    () => encodeDescribeGroupsRequest(groupIds, version),
    (payload) => decodeDescribeGroupsResponse(payload, version, cache),
    parse,
  );
}
