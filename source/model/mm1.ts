/**
 * MirrorMaker 1 arithmetic. MM1's position is its consumer group on the source: what it committed is
 * the next offset it copies, so its replication lag is the group's lag (log end − committed), as
 * kafka-consumer-groups prints it. It translates no offsets: a group moved to the target starts where
 * its auto.offset.reset says, and re-reads or skips records. Pure.
 */
import type { AutoOffsetReset } from '../config/mirror-kind.js';
import type { GroupInfo } from '../monitor/snapshot.js';
import { partitionKey } from './partition-key.js';

/** Said beside MM1's lag: its committed offsets are its position, and they move only on a commit. */
export const MM1_LAG_NOTE =
  'MM1 commits its position every offset.commit.interval.ms (60 s by default): the lag reads up to that much late';

/** `topic\0partition` -> MM1's committed offset (null: none committed). */
export function mm1Committed(group: GroupInfo | undefined): Map<string, number | null> {
  return new Map(
    (group?.partitions.rows() ?? []).map((p) => [partitionKey(p.topic, p.partition), p.committed]),
  );
}

export interface TargetStart {
  /** The offset on the target where the group starts: the target's earliest or latest. */
  startsAt: number | null;
  /** Records on the target the group has already read on the source and would read again. */
  reread: number | null;
  /** Records on the target the group has not read yet and would never read. */
  skipped: number | null;
}

/**
 * Where a source group would start on the target after the move. The target holds the source's
 * records up to MM1's position (`mirrorNext`, its committed offset), `targetRecords` of them:
 *   ahead = mirrorNext − committed (records mirrored that the group has not read; negative when the
 *   group is ahead of the mirror, and then it meets records it read again as MM1 copies them).
 *   earliest: reread = targetRecords − ahead (at least 0); nothing skipped.
 *   latest:   skipped = min(ahead, targetRecords) (at least 0); reread = −ahead when the group is ahead.
 * Unknown (null) when the group has no committed offset or MM1's position or the target is unknown.
 */
export function targetStart(p: {
  committed: number | null;
  mirrorNext: number | null;
  targetEarliest: number | null;
  targetLatest: number | null;
  reset: AutoOffsetReset;
}): TargetStart {
  const startsAt = p.reset === 'earliest' ? p.targetEarliest : p.targetLatest;
  if (p.committed === null || p.mirrorNext === null || p.targetEarliest === null || p.targetLatest === null)
    return { startsAt, reread: null, skipped: null };
  const targetRecords = Math.max(0, p.targetLatest - p.targetEarliest);
  const ahead = p.mirrorNext - p.committed;
  if (p.reset === 'earliest') return { startsAt, reread: Math.max(0, targetRecords - ahead), skipped: 0 };
  return { startsAt, reread: Math.max(0, -ahead), skipped: Math.max(0, Math.min(ahead, targetRecords)) };
}

export interface GroupTargetStart extends TargetStart {
  topic: string;
  partition: number;
}

export interface GroupMove {
  group: string;
  reset: AutoOffsetReset;
  partitions: GroupTargetStart[];
  /** Sums over the partitions where they are known; null when none is. */
  reread: number | null;
  skipped: number | null;
}

interface MirrorPartitionLike {
  partition: number;
  targetEarliest: number | null;
  targetLatest: number | null;
  mm1Committed?: number | null;
}

/** For each source group reading mirrored topics: where it would start on the target, and the cost. */
export function groupMoves(
  groups: readonly GroupInfo[],
  mirrors: ReadonlyArray<{ source: string; partitions: readonly MirrorPartitionLike[] }>,
  reset: AutoOffsetReset,
): GroupMove[] {
  const byTopic = new Map(mirrors.map((m) => [m.source, new Map(m.partitions.map((p) => [p.partition, p]))]));
  const sum = (values: Array<number | null>) => {
    const known = values.filter((v): v is number => v !== null);
    return known.length > 0 ? known.reduce((a, b) => a + b, 0) : null;
  };
  return groups
    .map((g) => {
      const partitions = g.partitions
        .rows()
        .filter((p) => byTopic.has(p.topic))
        .map((p) => {
          const m = byTopic.get(p.topic)?.get(p.partition);
          return {
            topic: p.topic,
            partition: p.partition,
            ...targetStart({
              committed: p.committed,
              mirrorNext: m?.mm1Committed ?? null,
              targetEarliest: m?.targetEarliest ?? null,
              targetLatest: m?.targetLatest ?? null,
              reset,
            }),
          };
        });
      return {
        group: g.group,
        reset,
        partitions,
        reread: sum(partitions.map((p) => p.reread)),
        skipped: sum(partitions.map((p) => p.skipped)),
      };
    })
    .filter((move) => move.partitions.length > 0);
}

/** One phrase for a move: `latest: skips 120`, `earliest: re-reads 300`, `latest: nothing lost`. */
export function describeMove(move: Pick<GroupMove, 'reset' | 'reread' | 'skipped'>): string {
  if (move.reread === null && move.skipped === null) return `${move.reset}: unknown`;
  const parts: string[] = [];
  if ((move.skipped ?? 0) > 0) parts.push(`skips ${move.skipped}`);
  if ((move.reread ?? 0) > 0) parts.push(`re-reads ${move.reread}`);
  return `${move.reset}: ${parts.length > 0 ? parts.join(', ') : 'no record re-read or skipped'}`;
}
