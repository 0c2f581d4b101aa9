import { describeReplicaHealth, type ReplicaHealth, replicaHealth } from '../../model/replicas.js';
import type { MirrorPartition, MirrorState, MirrorTopic, Snapshot } from '../../monitor/snapshot.js';
import { escapeForTerminal } from '../../util/escape.js';
import { formatDuration } from '../format.js';
import { type ListRow, searchText } from '../lists.js';
import { convergenceOf, type RowEvaluation } from './convergence-model.js';

export interface TopicRow extends ListRow {
  topic: MirrorTopic;
  /** Escaped names for display. */
  sourceName: string;
  targetName: string;
  /** MM2's convergence on this topic; null when its positions are unknown. */
  evaluation: RowEvaluation | null;
  /** Offline and under-replicated partitions of the topic and its mirror, both clusters together. */
  replicas: ReplicaHealth;
}

export interface TopicPartitionRow extends ListRow {
  partition: MirrorPartition;
}

const STATE_WORDS: Record<MirrorState, string> = {
  missing: 'missing',
  'partition-mismatch': 'mismatch',
  mirroring: 'mirroring',
  'in-sync': 'in sync',
  unknown: 'unknown',
  'not-mirrored': 'not mirrored',
};

export function stateWord(state: MirrorState): string {
  return STATE_WORDS[state];
}

/** Worse first: a topic missing or split differently on the target, then by MM2 lag, unknown last. */
const STATE_RANK: Record<MirrorState, number> = {
  missing: 0,
  'partition-mismatch': 1,
  mirroring: 2,
  unknown: 3,
  'in-sync': 4,
  'not-mirrored': 5,
};

export function byMirrorLag(a: MirrorTopic, b: MirrorTopic): number {
  return (
    STATE_RANK[a.state] - STATE_RANK[b.state] ||
    (b.lag ?? -1) - (a.lag ?? -1) ||
    (a.source < b.source ? -1 : 1)
  );
}

/**
 * One row per source topic beside its mirror; the key is the source-side name. Sorted worst first
 * (`MM2 lag`), or by name as the snapshot lists them.
 */
export function topicRows(snapshot: Snapshot | null, order: string | null = 'MM2 lag'): TopicRow[] {
  if (!snapshot) return [];
  const topics = order === 'MM2 lag' ? [...snapshot.mirror.topics].sort(byMirrorLag) : snapshot.mirror.topics;
  const convergence = convergenceOf(snapshot);
  const sourceTopics = new Map(snapshot.source.topics.map((t) => [t.name, t]));
  const targetTopics = new Map(snapshot.target.topics.map((t) => [t.name, t]));
  return topics.map((topic) => {
    const sourceName = escapeForTerminal(topic.source);
    const targetName = escapeForTerminal(topic.target);
    const replicas = replicaHealth([
      ...(sourceTopics.get(topic.source)?.partitions ?? []),
      ...(targetTopics.get(topic.target)?.partitions ?? []),
    ]);
    return {
      key: topic.source,
      search: searchText(sourceName, targetName, stateWord(topic.state), describeReplicaHealth(replicas)),
      topic,
      sourceName,
      targetName,
      // Evaluated when a visible row shows it.
      get evaluation() {
        return convergence.topic(topic.source);
      },
      replicas,
    };
  });
}

export function findTopic(snapshot: Snapshot | null, source: string): MirrorTopic | null {
  return snapshot?.mirror.topics.find((t) => t.source === source) ?? null;
}

export function topicPartitionRows(topic: MirrorTopic | null): TopicPartitionRow[] {
  if (!topic) return [];
  return [...topic.partitions]
    .sort((a, b) => a.partition - b.partition)
    .map((partition) => ({
      key: String(partition.partition),
      search: String(partition.partition),
      partition,
    }));
}

/** REC AGE / LATENCY cells: `idle` when no record fell in MM2's metric window, not its stale last value. */
export function timingText(partition: MirrorPartition, ms: number | null): string {
  return partition.idle === true ? 'idle' : formatDuration(ms);
}

export type StateCounts = Record<MirrorState, number>;

export function stateCounts(topics: readonly MirrorTopic[]): StateCounts {
  const counts: StateCounts = {
    missing: 0,
    'partition-mismatch': 0,
    mirroring: 0,
    'in-sync': 0,
    unknown: 0,
    'not-mirrored': 0,
  };
  for (const t of topics) counts[t.state]++;
  return counts;
}
