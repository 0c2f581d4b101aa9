/**
 * Lag arithmetic. Pure: knows offsets, not where they came from.
 *
 * Consumer lag follows `kafka-consumer-groups --describe` (ConsumerGroupCommand.getLag):
 *   LAG = log-end offset − committed offset; a missing committed offset (none, or -1) gives no lag,
 *   printed `-`.
 * ConsumerGroupCommand prints a negative number when the committed offset is beyond the log end (the
 * log was truncated, the topic was recreated, or MM2 translated an offset too far — KAFKA-12635).
 * mirrorwatch clamps the number to 0 so sums and sorting stay meaningful, and reports the condition
 * as `negative: true` (with the raw value) in {@link partitionLagDetail}: the console must show it.
 * A committed offset below the log-start offset (retention deleted what the group has not read) keeps
 * the command's definition (it overstates the readable backlog) and is flagged `belowLogStart`.
 */

export interface PartitionOffsets {
  /** Committed offset of the group; null (or -1) when the group has none for this partition. */
  committed: number | null;
  /** Log-end offset (high watermark as ListOffsets latest returns it). */
  logEnd: number;
  /** Log-start offset (ListOffsets earliest), when known. */
  logStart?: number;
}

export interface LagDetail {
  /** Lag clamped at 0; null when unknown (shown as `-`). */
  lag: number | null;
  /** logEnd − committed as ConsumerGroupCommand computes it, possibly negative; null when unknown. */
  rawLag: number | null;
  /** committed > logEnd: the KAFKA-12635 symptom after offset translation, or a truncated log. */
  negative: boolean;
  /** committed < logStart: the group's next record was deleted by retention. */
  belowLogStart: boolean;
}

function known(n: number | null | undefined): n is number {
  return typeof n === 'number' && Number.isFinite(n) && n >= 0;
}

/** committed < log start; known without the log end (the start and end are asked for apart). */
export function committedBelowLogStart(
  committed: number | null | undefined,
  logStart: number | null | undefined,
): boolean {
  return known(committed) && known(logStart) && committed < logStart;
}

/** LAG clamped at 0; null when the committed offset or the log end is unknown. */
function clampedLag(committed: number | null | undefined, logEnd: number | null | undefined): number | null {
  if (!known(committed) || !known(logEnd)) return null;
  return logEnd > committed ? logEnd - committed : 0;
}

/** committed > log end: the KAFKA-12635 symptom after offset translation, or a truncated log. */
function beyondLogEnd(committed: number | null | undefined, logEnd: number | null | undefined): boolean {
  return known(committed) && known(logEnd) && committed > logEnd;
}

export function partitionLagDetail(o: PartitionOffsets): LagDetail {
  const lag = clampedLag(o.committed, o.logEnd);
  return {
    lag,
    rawLag: lag === null ? null : o.logEnd - (o.committed as number),
    negative: beyondLogEnd(o.committed, o.logEnd),
    belowLogStart: committedBelowLogStart(o.committed, o.logStart),
  };
}

/**
 * A group's partition as an object, LAG and `negative` worked out from the offsets when asked
 * (partitionLagDetail's rules) rather than stored. A snapshot keeps a group's partitions as columns
 * (model/group-partitions.ts); these are made from them for what is shown or printed.
 */
export class CommittedPartition<Owner extends object> {
  constructor(
    readonly topic: string,
    readonly partition: number,
    /** null when the group has none for this partition. */
    readonly committed: number | null,
    readonly logEnd: number | null,
    readonly belowLogStart: boolean,
    readonly owner: Owner | null,
  ) {}

  get lag(): number | null {
    return clampedLag(this.committed, this.logEnd);
  }

  get negative(): boolean {
    return beyondLogEnd(this.committed, this.logEnd);
  }
}

/** LAG as kafka-consumer-groups defines it, clamped at 0; null when there is no committed offset. */
export function partitionLag(o: PartitionOffsets): number | null {
  return partitionLagDetail(o).lag;
}

export interface ReplicationPosition {
  /** Log-end offset of the source partition. */
  sourceLogEnd: number;
  /** Offset stored in the Connect offsets topic (the last record MM2 replicated); null if none. */
  mm2Position: number | null;
  /** Log-start offset of the source partition; 0 when omitted. */
  sourceLogStart?: number;
}

export interface ReplicationLagDetail {
  /** Records on the source that MM2 has not replicated yet; never negative. */
  lag: number;
  /** Offset MM2 will read next: stored + 1, or the log start. */
  resumeAt: number;
  /** No stored position: MM2 starts from the earliest offset. */
  fromEarliest: boolean;
  /** stored + 1 > log end: the source partition was truncated or recreated under MM2. */
  positionAhead: boolean;
  /** stored + 1 < log start: retention deleted records MM2 never copied (data loss on the target). */
  positionBelowLogStart: boolean;
}

/**
 * MM2's true replication lag for one source partition. MM2 resumes at stored + 1, so
 * lag = logEnd − (stored + 1). With no stored entry it starts from the earliest offset:
 * lag = logEnd − logStart. A resume point below the log start is treated as the log start (the
 * consumer resets to earliest); the result is never negative.
 */
export function replicationLagDetail(p: ReplicationPosition): ReplicationLagDetail {
  const logStart = known(p.sourceLogStart) ? p.sourceLogStart : 0;
  const logEnd = known(p.sourceLogEnd) ? p.sourceLogEnd : 0;
  const fromEarliest = !known(p.mm2Position);
  const next = fromEarliest ? logStart : (p.mm2Position as number) + 1;
  const resumeAt = Math.max(next, logStart);
  return {
    lag: Math.max(0, logEnd - resumeAt),
    resumeAt,
    fromEarliest,
    positionAhead: !fromEarliest && next > logEnd,
    positionBelowLogStart: !fromEarliest && next < logStart,
  };
}

/** replicationLagDetail(...).lag without the explanation: for loops over every partition. */
export function replicationLagOf(
  sourceLogEnd: number | null,
  mm2Position: number | null,
  sourceLogStart: number | null,
): number {
  const logStart = known(sourceLogStart) ? sourceLogStart : 0;
  const logEnd = known(sourceLogEnd) ? sourceLogEnd : 0;
  const next = known(mm2Position) ? mm2Position + 1 : logStart;
  return Math.max(0, logEnd - Math.max(next, logStart));
}

export function replicationLag(p: ReplicationPosition): number {
  return replicationLagDetail(p).lag;
}

export interface HasLag {
  lag?: number | null;
}

/** Sum of the known lags (rows with null/undefined lag are skipped). */
export function totalLag(rows: readonly HasLag[]): number {
  let sum = 0;
  for (const r of rows) if (typeof r.lag === 'number' && Number.isFinite(r.lag)) sum += r.lag;
  return sum;
}

/**
 * The n rows with the largest known lag, largest first; ties keep input order. Rows with unknown lag
 * are left out (they are not "worst", they are unknown: show them separately).
 */
export function worstPartitions<T extends HasLag>(rows: readonly T[], n: number): T[] {
  if (!(n > 0)) return [];
  return rows
    .map((row, index) => ({ row, index }))
    .filter((e) => typeof e.row.lag === 'number' && Number.isFinite(e.row.lag))
    .sort((a, b) => (b.row.lag as number) - (a.row.lag as number) || a.index - b.index)
    .slice(0, Math.floor(n))
    .map((e) => e.row);
}
