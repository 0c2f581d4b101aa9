/**
 * A refresh hands on the previous refresh's objects where nothing changed. At scale (100,000 group
 * partitions a side) a new object per row and refresh outlives a few young-generation collections (the
 * snapshot lives until the next one), so V8 promotes it and the old generation fills with dead
 * snapshots: most of the console's CPU and resident memory went there. Equal parts keep their identity,
 * which also lets the join and the panes skip what did not change (model/mirror.ts).
 */
import type { ClusterView, GroupInfo, PartitionInfo, PartitionOwner, TopicInfo } from './snapshot.js';

function samePartition(a: PartitionInfo, b: PartitionInfo): boolean {
  return (
    a.partition === b.partition &&
    a.leader === b.leader &&
    a.replicas === b.replicas &&
    a.isr === b.isr &&
    a.earliest === b.earliest &&
    a.latest === b.latest
  );
}

export function sameTopic(a: TopicInfo, b: TopicInfo): boolean {
  if (
    a.name !== b.name ||
    a.internal !== b.internal ||
    a.replicationFactor !== b.replicationFactor ||
    a.records !== b.records ||
    a.partitions.length !== b.partitions.length
  )
    return false;
  for (let i = 0; i < a.partitions.length; i++)
    if (!samePartition(a.partitions[i] as PartitionInfo, b.partitions[i] as PartitionInfo)) return false;
  return true;
}

function sameOwner(a: PartitionOwner, b: PartitionOwner): boolean {
  return a.memberId === b.memberId && a.clientId === b.clientId && a.host === b.host;
}

/** Groups as read from a cluster (translations are attached later, per snapshot). */
export function sameGroup(a: GroupInfo, b: GroupInfo): boolean {
  if (
    a.group !== b.group ||
    a.cluster !== b.cluster ||
    a.state !== b.state ||
    a.protocolType !== b.protocolType ||
    a.protocol !== b.protocol ||
    a.members !== b.members ||
    a.totalLag !== b.totalLag ||
    a.translations.length !== b.translations.length
  )
    return false;
  return a.partitions.equals(b.partitions, sameOwner);
}

/**
 * `next` with each element replaced by the previous one of the same name when equal; the previous
 * array itself when every element is the previous one, in the same order.
 */
function reuseList<T>(
  next: T[],
  previous: readonly T[] | undefined,
  nameOf: (item: T) => string,
  same: (a: T, b: T) => boolean,
): T[] {
  if (!previous || previous.length === 0) return next;
  const byName = new Map<string, T>();
  for (const item of previous) byName.set(nameOf(item), item);
  let allReused = next.length === previous.length;
  for (let i = 0; i < next.length; i++) {
    const item = next[i] as T;
    const old = byName.get(nameOf(item));
    // Groups read unchanged are the previous objects already (read-cluster.ts): no need to compare them.
    if (old !== undefined && (old === item || same(old, item))) next[i] = old;
    if (next[i] !== previous[i]) allReused = false;
  }
  return allReused ? (previous as T[]) : next;
}

function sameBrokers(a: ClusterView['brokers'], b: ClusterView['brokers']): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => x.nodeId === b[i]?.nodeId && x.host === b[i]?.host && x.port === b[i]?.port)
  );
}

/** `next` sharing every part that equals `previous`'s; `previous` itself when nothing changed. */
export function reuseClusterView(next: ClusterView, previous: ClusterView | null | undefined): ClusterView {
  if (!previous || previous.role !== next.role) return next;
  const topics = reuseList(next.topics, previous.topics, (t) => t.name, sameTopic);
  const groups = reuseList(next.groups, previous.groups, (g) => g.group, sameGroup);
  const brokers = sameBrokers(next.brokers, previous.brokers) ? previous.brokers : next.brokers;
  const bootstrap =
    next.bootstrap.join(',') === previous.bootstrap.join(',') ? previous.bootstrap : next.bootstrap;
  if (
    topics === previous.topics &&
    groups === previous.groups &&
    brokers === previous.brokers &&
    bootstrap === previous.bootstrap &&
    next.alias === previous.alias &&
    next.clusterId === previous.clusterId &&
    next.controllerId === previous.controllerId &&
    next.version === previous.version
  )
    return previous;
  return { ...next, topics, groups, brokers, bootstrap };
}
