/** Reads one cluster into a ClusterView: topics with offsets, consumer groups with committed offsets and lag. */
import { AssignerProtocol } from 'kafkajs';
import { hasLeader } from '../kafka/offline-partitions.js';
import { inferKafkaVersion } from '../kafka/version.js';
import type { GroupDescription, WireCluster } from '../kafka/wire-cluster.js';
import { partitionLagDetail, totalLag } from '../model/lag.js';
import type {
  ClusterRole,
  ClusterView,
  GroupInfo,
  GroupPartition,
  PartitionInfo,
  TopicInfo,
} from './snapshot.js';

/** Groups kafka-consumer-groups lists: classic consumer groups (protocol type `consumer` or empty). */
function isConsumerGroup(protocolType: string): boolean {
  return protocolType === 'consumer' || protocolType === '';
}

type OffsetIndex = Map<string, Map<number, { earliest: number; latest: number }>>;

function owners(description: GroupDescription | undefined): Map<string, GroupPartition['owner']> {
  const result = new Map<string, GroupPartition['owner']>();
  if (description?.protocolType !== 'consumer') return result;
  for (const member of description.members) {
    let assignment: Record<string, number[]> = {};
    try {
      assignment = AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment ?? {};
    } catch {
      // A non-standard assignor: partitions stay without an owner.
    }
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) {
        result.set(`${topic}\u0000${partition}`, {
          memberId: member.memberId,
          clientId: member.clientId,
          host: member.clientHost,
        });
      }
    }
  }
  return result;
}

function finite(n: number | undefined): number | null {
  return n !== undefined && Number.isFinite(n) && n >= 0 ? n : null;
}

export function buildGroup(
  role: ClusterRole,
  groupId: string,
  protocolType: string,
  description: GroupDescription | undefined,
  committed: Array<{ topic: string; partition: number; offset: number | null }>,
  offsets: OffsetIndex,
): GroupInfo {
  const owned = owners(description);
  const rows = new Map<string, GroupPartition>();
  const add = (topic: string, partition: number, offset: number | null) => {
    const range = offsets.get(topic)?.get(partition);
    const logEnd = finite(range?.latest);
    const logStart = finite(range?.earliest);
    const detail = partitionLagDetail({
      committed: offset,
      logEnd: logEnd ?? Number.NaN,
      ...(logStart !== null ? { logStart } : {}),
    });
    rows.set(`${topic}\u0000${partition}`, {
      topic,
      partition,
      committed: offset,
      logEnd,
      logStart,
      lag: detail.lag,
      negative: detail.negative,
      owner: owned.get(`${topic}\u0000${partition}`) ?? null,
    });
  };
  for (const c of committed) add(c.topic, c.partition, c.offset);
  for (const key of owned.keys()) {
    if (!rows.has(key)) {
      const [topic, partition] = key.split('\u0000') as [string, string];
      add(topic, Number(partition), null);
    }
  }
  const partitions = [...rows.values()].sort(
    (a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition,
  );
  const anyCommitted = partitions.some((p) => p.committed !== null);
  return {
    cluster: role,
    group: groupId,
    state: description?.state ?? 'Unknown',
    protocolType,
    members: description?.members.length ?? 0,
    partitions,
    totalLag: anyCommitted ? totalLag(partitions) : null,
    translations: [],
  };
}

export async function readCluster(wire: WireCluster, role: ClusterRole, alias: string): Promise<ClusterView> {
  const metadata = await wire.metadata();
  const readable = metadata.topicMetadata.filter((t) => t.topicErrorCode === 0);
  // Offline partitions (no leader) have no offsets to ask for; the rest of the cluster still answers.
  const offsets = await wire.offsets(
    readable
      .filter((t) => !t.topic.startsWith('__'))
      .map((t) => ({
        topic: t.topic,
        partitions: t.partitionMetadata.filter(hasLeader).map((p) => p.partitionId),
      })),
  );
  const topics: TopicInfo[] = readable
    .map((t) => {
      const partitions: PartitionInfo[] = t.partitionMetadata
        .map((p) => {
          const range = offsets.get(t.topic)?.get(p.partitionId);
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
      return {
        name: t.topic,
        internal: Boolean(t.isInternal) || t.topic.startsWith('__'),
        replicationFactor: Math.max(0, ...partitions.map((p) => p.replicas)),
        partitions,
        records: known ? partitions.reduce((sum, p) => sum + ((p.latest ?? 0) - (p.earliest ?? 0)), 0) : null,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));

  const listings = (await wire.listGroups()).filter((g) => isConsumerGroup(g.protocolType));
  const ids = listings.map((g) => g.groupId);
  const [descriptions, committed] = await Promise.all([
    ids.length > 0 ? wire.describeGroups(ids) : Promise.resolve([]),
    Promise.all(ids.map((id) => wire.committedOffsets(id))),
  ]);
  const described = new Map(descriptions.map((d) => [d.groupId, d]));
  const groups = listings
    .map((listing, i) =>
      buildGroup(
        role,
        listing.groupId,
        listing.protocolType,
        described.get(listing.groupId),
        committed[i] ?? [],
        offsets,
      ),
    )
    .sort((a, b) => a.group.localeCompare(b.group));

  return {
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
}
