/** A group's partitions and checkpoints (columns) for tests: from rows, or changed row by row. */
import { GroupPartitions } from '../../source/model/group-partitions.js';
import { GroupTranslations } from '../../source/model/group-translations.js';
import type { GroupInfo, GroupPartition, Translation } from '../../source/monitor/snapshot.js';

/** Rows as GroupInfo.partitions holds them (columns); `lag` and `negative` there follow from the offsets. */
export function partitionsOf(rows: readonly GroupPartition[]): GroupInfo['partitions'] {
  return GroupPartitions.of(rows);
}

/** The partitions as plain objects (a spread of a CommittedPartition loses its getters). */
export function plainRows(partitions: GroupInfo['partitions']): GroupPartition[] {
  return partitions.rows().map((p) => ({
    topic: p.topic,
    partition: p.partition,
    committed: p.committed,
    logEnd: p.logEnd,
    belowLogStart: p.belowLogStart,
    lag: p.lag,
    negative: p.negative,
    owner: p.owner,
  }));
}

/** A group's partitions with `fn` applied to each. */
export function mapPartitions(
  partitions: GroupInfo['partitions'],
  fn: (p: GroupPartition) => GroupPartition,
): GroupInfo['partitions'] {
  return GroupPartitions.of(plainRows(partitions).map(fn));
}

/** A group with no checkpoints. */
export const NO_TRANSLATIONS = GroupTranslations.EMPTY;

/** Checkpoints as GroupInfo.translations holds them (columns). */
export function translationsOf(rows: readonly Translation[]): GroupTranslations {
  return GroupTranslations.of(rows);
}

const byGroupOf = new WeakMap<readonly CheckpointRow[], ReadonlyMap<string, GroupTranslations>>();

export type CheckpointRow = Translation & { group: string };

/** Checkpoint records by group, as the store hands them out: the same map for the same list. */
export function checkpointsByGroup(
  records: readonly CheckpointRow[],
): ReadonlyMap<string, GroupTranslations> {
  let byGroup = byGroupOf.get(records);
  if (!byGroup) {
    const rows = new Map<string, Translation[]>();
    for (const r of records) {
      const list = rows.get(r.group) ?? [];
      list.push(r);
      rows.set(r.group, list);
    }
    byGroup = new Map([...rows].map(([group, list]) => [group, GroupTranslations.of(list)]));
    byGroupOf.set(records, byGroup);
  }
  return byGroup;
}
