import { sourceTopicName } from '../../config/replication-policy.js';
import { type GroupMove, groupMoves } from '../../model/mm1.js';
import { compareNames } from '../../model/name-order.js';
import { partitionKey } from '../../model/partition-key.js';
import type {
  CheckpointSummary,
  GroupInfo,
  GroupPartition,
  Snapshot,
  Translation,
} from '../../monitor/snapshot.js';
import { escapeForTerminal } from '../../util/escape.js';
import { type ListRow, oncePerSnapshot, searchText } from '../lists.js';
import { combineSides, convergenceOf, type RowEvaluation } from './convergence-model.js';

/** A group id with its source-side and target-side state next to each other. */
export interface GroupRow extends ListRow {
  group: string;
  name: string;
  source: GroupInfo | null;
  target: GroupInfo | null;
  checkpoint: CheckpointSummary | null;
  negative: boolean;
  /** Partitions (either side) committed below the log start: records the group had not read are gone. */
  belowLogStart: number;
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
  return g?.partitions.anyCommitted() ?? false;
}

/** The larger lag of the group's two sides (what is left to read before or after the move). */
export function worstLag(row: Pick<GroupRow, 'source' | 'target'>): number {
  return Math.max(row.source?.totalLag ?? -1, row.target?.totalLag ?? -1);
}

/** What a snapshot's group rows look their details up in, built when a row first needs it. */
class GroupDetails {
  readonly snapshot: Snapshot;
  readonly mm1: boolean;
  #checkpoints: Map<string, CheckpointSummary> | null = null;
  #moves: Map<string, GroupMove> | null = null;

  constructor(snapshot: Snapshot) {
    this.snapshot = snapshot;
    this.mm1 = snapshot.mirror.kind === 'mm1';
  }

  checkpoint(group: string): CheckpointSummary | null {
    this.#checkpoints ??= new Map(this.snapshot.checkpoints.map((c) => [c.group, c]));
    return this.#checkpoints.get(group) ?? null;
  }

  move(group: string): GroupMove | null {
    if (!this.mm1) return null;
    const s = this.snapshot;
    this.#moves ??= new Map(
      groupMoves(s.source.groups, s.mirror.topics, s.mirror.autoOffsetReset ?? 'latest').map((m) => [
        m.group,
        m,
      ]),
    );
    return this.#moves.get(group) ?? null;
  }

  evaluation(group: string): RowEvaluation | null {
    const convergence = convergenceOf(this.snapshot);
    return combineSides(convergence.group('source', group), convergence.group('target', group));
  }
}

/**
 * A group's row. Sorting needs both sides' lag alone: the checkpoint, flags, convergence and search
 * text are worked out for the rows drawn (or matched by a filter), once each.
 */
class LazyGroupRow implements GroupRow {
  readonly key: string;
  readonly group: string;
  readonly source: GroupInfo | null;
  readonly target: GroupInfo | null;
  /** The sort key of the default order, read once rather than at every comparison. */
  readonly worstLag: number;
  readonly #details: GroupDetails;
  #name: string | undefined;
  #checkpoint: CheckpointSummary | null | undefined;
  #negative: boolean | undefined;
  #belowLogStart: number | undefined;
  #untranslated: boolean | undefined;
  #move: GroupMove | null | undefined;
  #evaluation: RowEvaluation | null | undefined;
  #search: string | undefined;

  constructor(group: string, source: GroupInfo | null, target: GroupInfo | null, details: GroupDetails) {
    this.key = group;
    this.group = group;
    this.source = source;
    this.target = target;
    this.worstLag = worstLag(this);
    this.#details = details;
  }

  get name(): string {
    this.#name ??= escapeForTerminal(this.group);
    return this.#name;
  }

  get checkpoint(): CheckpointSummary | null {
    if (this.#checkpoint === undefined) this.#checkpoint = this.#details.checkpoint(this.group);
    return this.#checkpoint;
  }

  get negative(): boolean {
    this.#negative ??= [this.source, this.target].some((g) => g?.partitions.anyNegative() ?? false);
    return this.#negative;
  }

  get belowLogStart(): number {
    if (this.#belowLogStart === undefined) {
      this.#belowLogStart =
        (this.source?.partitions.belowLogStartCount() ?? 0) +
        (this.target?.partitions.belowLogStartCount() ?? 0);
    }
    return this.#belowLogStart;
  }

  get untranslated(): boolean {
    this.#untranslated ??=
      !this.#details.mm1 &&
      hasCommitted(this.source) &&
      this.checkpoint === null &&
      (this.target?.translations.length ?? 0) === 0;
    return this.#untranslated;
  }

  get move(): GroupMove | null {
    if (this.#move === undefined) this.#move = this.#details.move(this.group);
    return this.#move;
  }

  get evaluation(): RowEvaluation | null {
    if (this.#evaluation === undefined) this.#evaluation = this.#details.evaluation(this.group);
    return this.#evaluation;
  }

  get search(): string {
    if (this.#search === undefined) {
      const { source, target } = this;
      const states = [source?.state, target?.state, source?.protocol, target?.protocol]
        .filter(Boolean)
        .join(' ');
      this.#search = searchText(
        this.name,
        states,
        this.negative ? 'negative' : null,
        this.belowLogStart > 0 ? 'deleted' : null,
      );
    }
    return this.#search;
  }
}

/**
 * Groups side by side, sorted by lag (largest first, the default) or by name. Once per snapshot and
 * order: the rows are shared.
 */
export const groupRows = (snapshot: Snapshot | null, order: string | null = 'lag'): readonly GroupRow[] =>
  snapshot ? groupRowsOf(snapshot, order) : [];

const byName = (a: GroupRow, b: GroupRow) => compareNames(a.group, b.group);

const groupRowsOf = oncePerSnapshot((snapshot: Snapshot, order: string | null): readonly GroupRow[] => {
  const sources = new Map(snapshot.source.groups.map((g) => [g.group, g]));
  const targets = new Map(snapshot.target.groups.map((g) => [g.group, g]));
  const details = new GroupDetails(snapshot);
  const rows: LazyGroupRow[] = [];
  for (const [group, source] of sources)
    rows.push(new LazyGroupRow(group, source, targets.get(group) ?? null, details));
  for (const [group, target] of targets)
    if (!sources.has(group)) rows.push(new LazyGroupRow(group, null, target, details));
  return order === 'lag' ? rows.sort((a, b) => b.worstLag - a.worstLag || byName(a, b)) : rows.sort(byName);
});

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
