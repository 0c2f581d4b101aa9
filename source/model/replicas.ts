/**
 * Replica health of partitions, from the leader and ISR that Metadata reports. The two counts are
 * disjoint, as the brokers' own metrics count them: an offline partition has no leader (every replica's
 * broker is down) and cannot be read or written; an under-replicated one has a leader but fewer in-sync
 * replicas than replicas (`kafka-topics --under-replicated-partitions` also lists the offline ones).
 */
import type { PartitionInfo, TopicInfo } from '../monitor/snapshot.js';

export interface ReplicaHealth {
  offline: number;
  underReplicated: number;
}

export function isOffline(p: Pick<PartitionInfo, 'leader'>): boolean {
  return p.leader < 0;
}

export function isUnderReplicated(p: Pick<PartitionInfo, 'leader' | 'isr' | 'replicas'>): boolean {
  return !isOffline(p) && p.isr < p.replicas;
}

export function replicaHealth(partitions: readonly PartitionInfo[]): ReplicaHealth {
  let offline = 0;
  let underReplicated = 0;
  for (const p of partitions) {
    if (isOffline(p)) offline++;
    else if (isUnderReplicated(p)) underReplicated++;
  }
  return { offline, underReplicated };
}

export function clusterReplicaHealth(topics: readonly TopicInfo[]): ReplicaHealth {
  const total: ReplicaHealth = { offline: 0, underReplicated: 0 };
  for (const t of topics) {
    const h = replicaHealth(t.partitions);
    total.offline += h.offline;
    total.underReplicated += h.underReplicated;
  }
  return total;
}

/** `3 offline, 12 under-replicated`; '' when every partition is healthy. */
export function describeReplicaHealth(h: ReplicaHealth): string {
  const parts: string[] = [];
  if (h.offline > 0) parts.push(`${h.offline} offline`);
  if (h.underReplicated > 0) parts.push(`${h.underReplicated} under-replicated`);
  return parts.join(', ');
}
