import { sourceTopicName } from '../../config/replication-policy.js';
import { type GroupMove, groupMoves } from '../../model/mm1.js';
import { partitionKey } from '../../model/partition-key.js';
import type {
  CheckpointSummary,
  GroupInfo,
  GroupPartition,
  Snapshot,
  Translation,
} from '../../monitor/snapshot.js';
import { escapeForTerminal } from '../../util/escape.js';
import { type ListRow, searchText } from '../lists.js';
import { combineSides, convergenceOf, type RowEvaluation } from './convergence-model.js';

/** A group id with its source-side and target-side state next to each other. */
export interface GroupRow extends ListRow {
  group: string;
  name: string;
  source: GroupInfo | null;
  target: GroupInfo | null;
  checkpoint: CheckpointSummary | null;
  negative: boolean;
  /** The source group has committed offsets but MM2 wrote no checkpoint for it. */
  untranslated: boolean;
  /** MirrorMaker 1 (no translation): where the group would start on the target, and the cost. */
  move: GroupMove | null;
  /** Convergence of both sides together (worse status, longer time behind); null when neither is evaluated. */
  evaluation: RowEvaluation | null;
}

/** One partition of a group on both clusters, matched through the replication policy. */
export interface GroupPartitionRow extends ListRow {
  /** Escaped source-side topic (the target name when it does not map back to the source). */
  topic: string;
  partition: number;
  source: GroupPartition | null;
  target: GroupPartition | null;
  translation: Translation | null;
}

function hasCommitted(g: GroupInfo | null): boolean {
  return g?.partitions.some((p) => p.committed !== null) ?? false;
}

/** The larger lag of the group's two sides (what is left to read before or after the move). */
export function worstLag(row: Pick<GroupRow, 'source' | 'target'>): number {
  return Math.max(row.source?.totalLag ?? -1, row.target?.totalLag ?? -1);
}

/** Groups side by side, sorted by lag (largest first, the default) or by name. */
export function groupRows(snapshot: Snapshot | null, order: string | null = 'lag'): GroupRow[] {
  const rows = groupRowsByName(snapshot);
  return order === 'lag'
    ? rows.sort((a, b) => worstLag(b) - worstLag(a) || (a.group < b.group ? -1 : 1))
    : rows;
}

function groupRowsByName(snapshot: Snapshot | null): GroupRow[] {
  if (!snapshot) return [];
  const sources = new Map(snapshot.source.groups.map((g) => [g.group, g]));
  const targets = new Map(snapshot.target.groups.map((g) => [g.group, g]));
  const checkpoints = new Map(snapshot.checkpoints.map((c) => [c.group, c]));
  const mm1 = snapshot.mirror.kind === 'mm1';
  const moves = mm1
    ? new Map(
        groupMoves(
          snapshot.source.groups,
          snapshot.mirror.topics,
          snapshot.mirror.autoOffsetReset ?? 'latest',
        ).map((m) => [m.group, m]),
      )
    : null;
  const convergence = convergenceOf(snapshot);
  const ids = [...new Set([...sources.keys(), ...targets.keys()])].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return ids.map((group) => {
    const source = sources.get(group) ?? null;
    const target = targets.get(group) ?? null;
    const checkpoint = checkpoints.get(group) ?? null;
    const negative = [source, target].some((g) => g?.partitions.some((p) => p.negative) ?? false);
    const untranslated =
      !mm1 && hasCommitted(source) && checkpoint === null && (target?.translations.length ?? 0) === 0;
    const name = escapeForTerminal(group);
    const states = [source?.state, target?.state, source?.protocol, target?.protocol]
      .filter(Boolean)
      .join(' ');
    return {
      key: group,
      search: searchText(name, states, negative ? 'negative' : null),
      group,
      name,
      source,
      target,
      checkpoint,
      negative,
      untranslated,
      move: moves?.get(group) ?? null,
      // Evaluated when a visible row shows it.
      get evaluation() {
        return combineSides(convergence.group('source', group), convergence.group('target', group));
      },
    };
  });
}

export function findGroup(rows: readonly GroupRow[], group: string): GroupRow | null {
  return rows.find((r) => r.group === group) ?? null;
}

export function groupPartitionRows(snapshot: Snapshot | null, row: GroupRow | null): GroupPartitionRow[] {
  if (!snapshot || !row) return [];
  const { policy, source: alias } = snapshot.flow;
  const byKey = new Map<string, GroupPartitionRow>();
  const entry = (sourceSide: string, partition: number): GroupPartitionRow => {
    const key = partitionKey(sourceSide, partition);
    let existing = byKey.get(key);
    if (!existing) {
      const topic = escapeForTerminal(sourceSide);
      existing = {
        key,
        search: searchText(topic, partition),
        topic,
        partition,
        source: null,
        target: null,
        translation: null,
      };
      byKey.set(key, existing);
    }
    return existing;
  };
  const fromTarget = (topic: string) => sourceTopicName(policy, alias, topic) ?? topic;
  for (const p of row.source?.partitions ?? []) entry(p.topic, p.partition).source = p;
  for (const p of row.target?.partitions ?? []) entry(fromTarget(p.topic), p.partition).target = p;
  for (const t of row.target?.translations ?? []) entry(fromTarget(t.topic), t.partition).translation = t;
  return [...byKey.values()].sort((a, b) =>
    a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition,
  );
}
