/** Group partitions for tests: from rows, or changed row by row. */
import { GroupPartitions } from '../../source/model/group-partitions.js';
import type { GroupInfo, GroupPartition } from '../../source/monitor/snapshot.js';

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
