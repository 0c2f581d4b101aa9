/** Reads one cluster into a ClusterView: topics with offsets, consumer groups with committed offsets and lag. */

import { AssignerProtocol } from 'kafkajs';
import { hasLeader } from '../kafka/offline-partitions.js';
import type { ConsumerGroupDescription } from '../kafka/protocol/consumer-group-describe.js';
import { inferKafkaVersion } from '../kafka/version.js';
import type {
  CommittedTopicOffsets,
  GroupDescription,
  GroupListing,
  WireCluster,
} from '../kafka/wire-cluster.js';
import { GroupPartitionsBuilder } from '../model/group-partitions.js';
import { GroupTranslations } from '../model/group-translations.js';
import { committedBelowLogStart } from '../model/lag.js';
import { compareNames } from '../model/name-order.js';
import { partitionKey } from '../model/partition-key.js';
import { inlineNumber } from '../util/number.js';
import { reuseClusterView } from './reuse.js';
import type {
  ClusterRole,
  ClusterView,
  GroupInfo,
  GroupProtocol,
  PartitionInfo,
  PartitionOwner,
  TopicInfo,
} from './snapshot.js';

/**
 * Groups kafka-consumer-groups lists: classic consumer groups (protocol type `consumer`, or empty for
 * groups MM2 synced to a Kafka 4 target) and KIP-848 groups (listed with protocol type `consumer`).
 */
function isConsumerGroup(protocolType: string): boolean {
  return protocolType === 'consumer' || protocolType === '';
}

type OffsetIndex = Map<string, Map<number, { earliest: number; latest: number }>>;

/** What a group's coordinator says about its members, whichever protocol the group speaks. */
export interface GroupMembership {
  protocol: GroupProtocol;
  state: string;
  members: Array<{
    memberId: string;
    clientId: string;
    clientHost: string;
    /** Partitions the member owns now, by topic name. */
    assignment: Array<{ topic: string; partitions: number[] }>;
  }>;
}

/** DescribeGroups' answer; only a `consumer` protocol type has assignments in the consumer format. */
export function classicMembership(description: GroupDescription): GroupMembership {
  return {
    protocol: 'classic',
    state: description.state,
    members: description.members.map((member) => {
      let assignment: Record<string, number[]> = {};
      if (description.protocolType === 'consumer') {
        try {
          assignment = AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment ?? {};
        } catch {
          // A non-standard assignor: partitions stay without an owner.
        }
      }
      return {
        memberId: member.memberId,
        clientId: member.clientId,
        clientHost: member.clientHost,
        assignment: Object.entries(assignment).map(([topic, partitions]) => ({ topic, partitions })),
      };
    }),
  };
}

/**
 * ConsumerGroupDescribe's answer. Members report their current assignment (what kafka-consumer-groups
 * shows), not the target one; the broker fills in topic names and leaves out topics it no longer knows.
 */
export function consumerMembership(description: ConsumerGroupDescription): GroupMembership {
  return {
    protocol: 'consumer',
    state: description.groupState,
    members: description.members.map((member) => ({
      memberId: member.memberId,
      clientId: member.clientId,
      clientHost: member.clientHost,
      assignment: member.assignment.map((t) => ({ topic: t.topicName, partitions: t.partitions })),
    })),
  };
}

/**
 * A KIP-848 group answers the classic DescribeGroups as `Dead` without members, while ListGroups
 * still lists it with protocol type `consumer`: only such groups are asked with ConsumerGroupDescribe.
 */
function maybeConsumerProtocol(protocolType: string, description: GroupDescription | undefined): boolean {
  return protocolType === 'consumer' && description?.state === 'Dead' && description.members.length === 0;
}

function owners(membership: GroupMembership | undefined): Map<string, PartitionOwner> {
  const result = new Map<string, PartitionOwner>();
  for (const member of membership?.members ?? []) {
    // One object per member, shared by the partitions it owns (a group's partitions are most of a snapshot).
    const owner = { memberId: member.memberId, clientId: member.clientId, host: member.clientHost };
    for (const { topic, partitions } of member.assignment)
      for (const partition of partitions) result.set(partitionKey(topic, partition), owner);
  }
  return result;
}

/** A known offset, kept inline where it fits (util/number.ts), or null. */
function finite(n: number | undefined): number | null {
  return n !== undefined && Number.isFinite(n) && n >= 0 ? inlineNumber(n) : null;
}

export function buildGroup(
  role: ClusterRole,
  groupId: string,
  protocolType: string,
  membership: GroupMembership | undefined,
  committed: readonly CommittedTopicOffsets[],
  offsets: OffsetIndex,
): GroupInfo {
  const owned = owners(membership);
  // Short-lived: sorted, then written into the group's columns.
  const rows = new Map<string, { topic: string; partition: number; offset: number | null }>();
  for (const t of committed)
    for (let i = 0; i < t.partitions.length; i++) {
      const offset = t.offsets[i] as number;
      const partition = t.partitions[i] as number;
      rows.set(partitionKey(t.topic, partition), {
        topic: t.topic,
        partition,
        offset: offset >= 0 ? offset : null,
      });
    }
  for (const key of owned.keys()) {
    if (!rows.has(key)) {
      const [topic, partition] = key.split('\u0000') as [string, string];
      rows.set(key, { topic, partition: Number(partition), offset: null });
    }
  }
  const sorted = [...rows.entries()].sort(([, a], [, b]) =>
    a.topic === b.topic ? a.partition - b.partition : compareNames(a.topic, b.topic),
  );
  const builder = new GroupPartitionsBuilder<PartitionOwner>();
  for (const [key, { topic, partition, offset }] of sorted) {
    const range = offsets.get(topic)?.get(partition);
    builder.add(
      topic,
      partition,
      offset,
      finite(range?.latest),
      committedBelowLogStart(offset, finite(range?.earliest)),
      owned.get(key) ?? null,
    );
  }
  const partitions = builder.build();
  const group: GroupInfo = {
    cluster: role,
    group: groupId,
    state: membership?.state ?? 'Unknown',
    protocolType,
    protocol: membership?.protocol ?? 'classic',
    members: membership?.members.length ?? 0,
    partitions,
    totalLag: partitions.totalLag(),
    translations: GroupTranslations.EMPTY,
  };
  committedChecked.set(group, committed);
  return group;
}

const NO_TOPICS: ReadonlySet<string> = new Set();

/**
 * Which of a group's partitions a check has met, by position: met when `seen[i] === visit`. A partition
 * met twice (an answer that lists it twice) must not count for one that went away. Reused from check to
 * check, so a check allocates nothing.
 */
let seen = new Uint32Array(1024);
let visit = 0;

function nextVisit(size: number): number {
  if (seen.length < size) seen = new Uint32Array(Math.max(size, seen.length * 2));
  if (visit === 0xffffffff) {
    seen.fill(0);
    visit = 0;
  }
  return ++visit;
}

/** `position` the first time this visit meets it, else -1 (also for -1: a partition the group had not). */
function meet(position: number, now: number): number {
  if (position < 0 || seen[position] === now) return -1;
  seen[position] = now;
  return position;
}

/** The committed offsets (by identity) each group was built from, or last found unchanged against. */
const committedChecked = new WeakMap<GroupInfo, readonly CommittedTopicOffsets[]>();

/**
 * Whether `buildGroup` would rebuild `previous` exactly from this read, checked without building it:
 * at 1,000 groups of 100 partitions a side, building each group on every refresh to find it equal cost
 * more than the rest of the read (monitor/reuse.ts says why objects that live on are expensive).
 */
export function groupUnchanged(
  previous: GroupInfo,
  protocolType: string,
  membership: GroupMembership | undefined,
  committed: readonly CommittedTopicOffsets[],
  offsets: OffsetIndex,
  unchangedTopics: ReadonlySet<string> = NO_TOPICS,
): boolean {
  if (
    previous.translations.length !== 0 ||
    previous.protocolType !== protocolType ||
    previous.state !== (membership?.state ?? 'Unknown') ||
    previous.protocol !== (membership?.protocol ?? 'classic') ||
    previous.members !== (membership?.members.length ?? 0)
  )
    return false;
  // The very offsets the group was built from or last found equal to (the OffsetFetch decoder hands
  // back the same object for a group's unchanged bytes): on a topic whose ranges were kept too, its
  // partitions need no look.
  const sameCommitted = committedChecked.get(previous) === committed;
  const before = previous.partitions;
  let now = nextVisit(before.length);
  const sameOffsets = (i: number, range: { earliest: number; latest: number } | undefined) => {
    const logStart = finite(range?.earliest);
    return (
      before.logEnd(i) === finite(range?.latest) &&
      before.belowLogStart(i) === committedBelowLogStart(before.committed(i), logStart)
    );
  };
  let committedCount = 0;
  for (const t of committed) {
    if (sameCommitted && unchangedTopics.has(t.topic)) {
      committedCount += t.partitions.length;
      continue;
    }
    const topicIndex = before.topicIndexOf(t.topic);
    // A topic the read kept has the offsets the previous group was checked against: not compared again.
    const rangesKept = unchangedTopics.has(t.topic);
    const rangesOfTopic = offsets.get(t.topic);
    const { partitions, offsets: committedOffsets } = t;
    for (let i = 0; i < partitions.length; i++) {
      const offset = committedOffsets[i] as number;
      if (offset < 0) return false;
      const partition = partitions[i] as number;
      const at = meet(before.positionOf(topicIndex, partition), now);
      if (at < 0 || before.committed(at) !== offset) return false;
      if (!rangesKept && !sameOffsets(at, rangesOfTopic?.get(partition))) return false;
    }
    committedCount += partitions.length;
  }
  let owned = 0;
  let ownedOnly = 0;
  now = nextVisit(before.length);
  for (const member of membership?.members ?? [])
    for (const { topic, partitions } of member.assignment) {
      const topicIndex = before.topicIndexOf(topic);
      for (const partition of partitions) {
        const at = meet(before.positionOf(topicIndex, partition), now);
        const o = at < 0 ? null : before.owner(at);
        if (
          !o ||
          o.memberId !== member.memberId ||
          o.clientId !== member.clientId ||
          o.host !== member.clientHost
        )
          return false;
        owned++;
        if (before.committed(at) === null) {
          if (!unchangedTopics.has(topic) && !sameOffsets(at, offsets.get(topic)?.get(partition)))
            return false;
          ownedOnly++;
        }
      }
    }
  const unchanged =
    owned === previous.partitions.ownedCount() && before.length === committedCount + ownedOnly;
  if (unchanged) committedChecked.set(previous, committed);
  return unchanged;
}

type TopicMetadata = Awaited<ReturnType<WireCluster['metadata']>>['topicMetadata'][number];

function isInternalTopicMetadata(t: TopicMetadata): boolean {
  return Boolean(t.isInternal) || t.topic.startsWith('__');
}

type TopicRanges = Map<number, { earliest: number; latest: number }> | undefined;

/**
 * The metadata and offsets (by identity) each topic was built from, or last found unchanged against:
 * the Metadata decoder and the offsets read hand back the same objects for a topic that did not change.
 */
const topicInputs = new WeakMap<TopicInfo, { metadata: TopicMetadata; ranges: TopicRanges }>();

/** A topic as the read found it: partitions in order, with their offsets where the leader gave them. */
export function buildTopic(t: TopicMetadata, ranges: TopicRanges): TopicInfo {
  const topic = topicFrom(t, ranges);
  topicInputs.set(topic, { metadata: t, ranges });
  return topic;
}

function topicFrom(t: TopicMetadata, ranges: TopicRanges): TopicInfo {
  const partitions: PartitionInfo[] = t.partitionMetadata
    .map((p) => {
      const range = ranges?.get(p.partitionId);
      return {
        partition: p.partitionId,
        leader: p.leader,
        replicas: p.replicas.length,
        isr: p.isr.length,
        earliest: finite(range?.earliest),
        latest: finite(range?.latest),
      };
    })
    .sort((a, b) => a.partition - b.partition);
  const known = partitions.every((p) => p.earliest !== null && p.latest !== null);
  let replicationFactor = 0;
  for (const p of partitions) replicationFactor = Math.max(replicationFactor, p.replicas);
  return {
    name: t.topic,
    internal: isInternalTopicMetadata(t),
    replicationFactor,
    partitions,
    records: known ? partitions.reduce((sum, p) => sum + ((p.latest ?? 0) - (p.earliest ?? 0)), 0) : null,
  };
}

/**
 * Whether the read would rebuild `previous` exactly, checked without building it (as groupUnchanged
 * does for groups): 10,000 partitions a side were built on every refresh only to be found equal.
 */
export function topicUnchanged(previous: TopicInfo, t: TopicMetadata, ranges: TopicRanges): boolean {
  const inputs = topicInputs.get(previous);
  if (inputs?.metadata === t && inputs.ranges === ranges) return true;
  if (!sameTopicAsRead(previous, t, ranges)) return false;
  topicInputs.set(previous, { metadata: t, ranges });
  return true;
}

function sameTopicAsRead(previous: TopicInfo, t: TopicMetadata, ranges: TopicRanges): boolean {
  if (
    previous.internal !== isInternalTopicMetadata(t) ||
    previous.partitions.length !== t.partitionMetadata.length
  )
    return false;
  for (const p of t.partitionMetadata) {
    // Partitions are numbered 0..n-1 and the previous ones sorted: the number is the index.
    const before = previous.partitions[p.partitionId];
    const range = ranges?.get(p.partitionId);
    if (
      before?.partition !== p.partitionId ||
      before.leader !== p.leader ||
      before.replicas !== p.replicas.length ||
      before.isr !== p.isr.length ||
      before.earliest !== finite(range?.earliest) ||
      before.latest !== finite(range?.latest)
    )
      return false;
  }
  return true;
}

/**
 * Memberships by the description read: the DescribeGroups decoder hands back the same object for a
 * group whose answer did not change (protocol/describe-groups.ts), so its assignments are decoded once.
 */
const classicMemberships = new WeakMap<GroupDescription, GroupMembership>();

function classicMembershipOf(description: GroupDescription): GroupMembership {
  let membership = classicMemberships.get(description);
  if (!membership) {
    membership = classicMembership(description);
    classicMemberships.set(description, membership);
  }
  return membership;
}

/**
 * DescribeGroups for every group, then ConsumerGroupDescribe for the groups it calls Dead (KIP-848
 * groups): one batched request of each kind per coordinator, the second only when such groups exist.
 * A group the second does not describe (a classic group that just died, a broker without the new
 * coordinator) keeps what DescribeGroups said.
 */
async function readMemberships(
  wire: WireCluster,
  listings: GroupListing[],
): Promise<Map<string, GroupMembership>> {
  if (listings.length === 0) return new Map();
  const descriptions = await wire.describeGroups(listings.map((g) => g.groupId));
  const memberships = new Map<string, GroupMembership>();
  const dead = new Map<string, GroupDescription>();
  for (const d of descriptions) {
    memberships.set(d.groupId, classicMembershipOf(d));
    if (d.state === 'Dead') dead.set(d.groupId, d);
  }
  const candidates =
    dead.size === 0
      ? []
      : listings
          .filter((g) => maybeConsumerProtocol(g.protocolType, dead.get(g.groupId)))
          .map((g) => g.groupId);
  if (candidates.length > 0) {
    for (const d of await wire.describeConsumerGroups(candidates))
      if (d.errorCode === 0) memberships.set(d.groupId, consumerMembership(d));
  }
  return memberships;
}

function partitionsWithLeader(partitions: ReadonlyArray<{ partitionId: number; leader: number }>): number[] {
  const out: number[] = [];
  for (const p of partitions) if (hasLeader(p)) out.push(p.partitionId);
  return out;
}

function byTopicName(a: TopicInfo, b: TopicInfo): number {
  return compareNames(a.name, b.name);
}

function byGroupName(a: GroupInfo, b: GroupInfo): number {
  return compareNames(a.group, b.group);
}

/** `previous`: the last view read of this cluster; what did not change keeps its objects (reuse.ts). */
export async function readCluster(
  wire: WireCluster,
  role: ClusterRole,
  alias: string,
  previous?: ClusterView | null,
): Promise<ClusterView> {
  const metadata = await wire.metadata();
  // Loops in this function's body, no closures made per read: V8 keeps a closure's optimized code only
  // while the closure lives, and these ran per topic, partition and group on every refresh.
  const readable: typeof metadata.topicMetadata = [];
  const asked: Array<{ topic: string; partitions: number[] }> = [];
  for (const t of metadata.topicMetadata) {
    if (t.topicErrorCode !== 0) continue;
    readable.push(t);
    // Offline partitions (no leader) have no offsets to ask for; the rest of the cluster still answers.
    if (!t.topic.startsWith('__'))
      asked.push({ topic: t.topic, partitions: partitionsWithLeader(t.partitionMetadata) });
  }
  const offsets = await wire.offsets(asked);
  const topicsBefore = new Map<string, TopicInfo>();
  if (previous?.role === role) for (const t of previous.topics) topicsBefore.set(t.name, t);
  const unchangedTopics = new Set<string>();
  const topics: TopicInfo[] = [];
  for (const t of readable) {
    const last = topicsBefore.get(t.topic);
    const ranges = offsets.get(t.topic);
    if (last && topicUnchanged(last, t, ranges)) {
      unchangedTopics.add(t.topic);
      topics.push(last);
    } else topics.push(buildTopic(t, ranges));
  }
  topics.sort(byTopicName);

  const listings: Awaited<ReturnType<typeof wire.listGroups>> = [];
  for (const g of await wire.listGroups()) if (isConsumerGroup(g.protocolType)) listings.push(g);
  const ids: string[] = [];
  for (const g of listings) ids.push(g.groupId);
  const [memberships, committed] = await Promise.all([
    readMemberships(wire, listings),
    wire.committedOffsetsOfGroups(ids),
  ]);
  const before = new Map<string, GroupInfo>();
  if (previous?.role === role) for (const g of previous.groups) before.set(g.group, g);
  const groups: GroupInfo[] = [];
  for (const listing of listings) {
    const membership = memberships.get(listing.groupId);
    const offsetsOfGroup = committed.get(listing.groupId) ?? [];
    const last = before.get(listing.groupId);
    if (
      last &&
      groupUnchanged(last, listing.protocolType, membership, offsetsOfGroup, offsets, unchangedTopics)
    )
      groups.push(last);
    else
      groups.push(
        buildGroup(role, listing.groupId, listing.protocolType, membership, offsetsOfGroup, offsets),
      );
  }
  groups.sort(byGroupName);

  const view: ClusterView = {
    role,
    alias,
    bootstrap: wire.endpoint.brokers,
    clusterId: metadata.clusterId ?? null,
    controllerId: metadata.controllerId ?? null,
    brokers: metadata.brokers
      .map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port }))
      .sort((a, b) => a.nodeId - b.nodeId),
    version: inferKafkaVersion(wire.apiVersions()),
    topics,
    groups,
  };
  return reuseClusterView(view, previous);
}
