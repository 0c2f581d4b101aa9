import { describeReplicaHealth, type ReplicaHealth, replicaHealth } from '../../model/replicas.js';
import type {
  MirrorPartition,
  MirrorState,
  MirrorTopic,
  Snapshot,
  TopicInfo,
} from '../../monitor/snapshot.js';
import { escapeForTerminal } from '../../util/escape.js';
import { formatDuration } from '../format.js';
import { type ListRow, oncePerSnapshot, searchText } from '../lists.js';
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

/** What a snapshot's rows look their details up in, built when a row first needs it. */
class TopicDetails {
  readonly #snapshot: Snapshot;
  #topics: { source: Map<string, TopicInfo>; target: Map<string, TopicInfo> } | null = null;

  constructor(snapshot: Snapshot) {
    this.#snapshot = snapshot;
  }

  evaluation(source: string): RowEvaluation | null {
    return convergenceOf(this.#snapshot).topic(source);
  }

  replicas(topic: MirrorTopic): ReplicaHealth {
    const s = this.#snapshot;
    this.#topics ??= {
      source: new Map(s.source.topics.map((t) => [t.name, t])),
      target: new Map(s.target.topics.map((t) => [t.name, t])),
    };
    return replicaHealth([
      ...(this.#topics.source.get(topic.source)?.partitions ?? []),
      ...(this.#topics.target.get(topic.target)?.partitions ?? []),
    ]);
  }
}

/**
 * A topic's row. Sorting needs the topic alone: the escaped names, replica health, convergence and
 * search text are worked out for the rows drawn (or matched by a filter), once each.
 */
class LazyTopicRow implements TopicRow {
  readonly key: string;
  readonly topic: MirrorTopic;
  readonly #details: TopicDetails;
  #sourceName: string | undefined;
  #targetName: string | undefined;
  #replicas: ReplicaHealth | undefined;
  #evaluation: RowEvaluation | null | undefined;
  #search: string | undefined;

  constructor(topic: MirrorTopic, details: TopicDetails) {
    this.key = topic.source;
    this.topic = topic;
    this.#details = details;
  }

  get sourceName(): string {
    this.#sourceName ??= escapeForTerminal(this.topic.source);
    return this.#sourceName;
  }

  get targetName(): string {
    this.#targetName ??= escapeForTerminal(this.topic.target);
    return this.#targetName;
  }

  get replicas(): ReplicaHealth {
    this.#replicas ??= this.#details.replicas(this.topic);
    return this.#replicas;
  }

  get evaluation(): RowEvaluation | null {
    if (this.#evaluation === undefined) this.#evaluation = this.#details.evaluation(this.topic.source);
    return this.#evaluation;
  }

  get search(): string {
    this.#search ??= searchText(
      this.sourceName,
      this.targetName,
      stateWord(this.topic.state),
      describeReplicaHealth(this.replicas),
    );
    return this.#search;
  }
}

/**
 * One row per source topic beside its mirror; the key is the source-side name. Sorted worst first
 * (`MM2 lag`), or by name as the snapshot lists them. Once per snapshot and order: the rows are shared.
 */
export const topicRows = (
  snapshot: Snapshot | null,
  order: string | null = 'MM2 lag',
): readonly TopicRow[] => (snapshot ? topicRowsOf(snapshot, order) : []);

const topicRowsOf = oncePerSnapshot((snapshot: Snapshot, order: string | null): readonly TopicRow[] => {
  const topics = order === 'MM2 lag' ? [...snapshot.mirror.topics].sort(byMirrorLag) : snapshot.mirror.topics;
  const details = new TopicDetails(snapshot);
  return topics.map((topic) => new LazyTopicRow(topic, details));
});

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
