/**
 * Convergence: is a consumer group, or MM2, keeping up, how many seconds behind is it, and when will
 * it be done. Pure: reads an OffsetHistory, knows no wire.
 *
 * Status per partition after Burrow's lag evaluation rules, over the samples in the window:
 *   REWIND  the committed offset went backwards between two samples;
 *   OK      lag is 0 at the newest sample;
 *   STALL   lag > 0 at every reading, the offset did not move, and the group has members;
 *   STOP    the same without members; also when it moved (or was at lag 0) in the window but has not since
 *           for longer than the span over which it was seen active (Burrow: "no commit for longer than the
 *           window"): STALL or STOP again by membership. A reading at lag 0 counts as activity, so a quiet
 *           partition that has just received a record is not stalled (Burrow #338);
 *   WARN    the offset moves but the lag rose at every move and ended higher than it started;
 *   OK      otherwise.
 * A group's status is its worst partition's (REWIND > STOP > STALL > WARN > OK).
 *
 * Commit times: OffsetFetch returns the committed offset with no time, and Burrow's source of commit
 * times (consuming `__consumer_offsets`) is not read. A "commit" here is a sample at which the committed
 * offset differed from the sample before, stamped with the time of that read; a consumer that commits
 * the same offset again is not seen. Membership stands in for "the consumer is alive": members with an
 * offset that stands still is STALL, no members is STOP. For MM2 the running MirrorSourceConnector tasks
 * play the members' part (unknown connector state counts as running: STALL, not STOP).
 *
 * Lag in seconds follows kafka-lag-exporter: the time at which the log end stood at the committed offset,
 * linearly interpolated between log-end samples; now minus that time. Where the history does not reach
 * back that far, the caller may give the timestamp of the record at the committed offset instead.
 */
import type { Snapshot } from '../monitor/snapshot.js';
import {
  appendSnapshot,
  type CommitSample,
  emptyOffsetHistory,
  type LogEndSample,
  logEndKey,
  type OffsetHistory,
  type PositionSample,
  splitKey,
} from './offset-history.js';

export type ConvergenceStatus = 'OK' | 'WARN' | 'STALL' | 'STOP' | 'REWIND';
export type Trend = 'caught-up' | 'draining' | 'steady' | 'growing';

const SEVERITY: Record<ConvergenceStatus, number> = { OK: 0, WARN: 1, STALL: 2, STOP: 3, REWIND: 4 };

/** The worse of the statuses (null when none is known). */
export function worstStatus(statuses: readonly (ConvergenceStatus | null)[]): ConvergenceStatus | null {
  let worst: ConvergenceStatus | null = null;
  for (const s of statuses) if (s !== null && (worst === null || SEVERITY[s] > SEVERITY[worst])) worst = s;
  return worst;
}

/** One reading of a consumer position: the offset read next, the lag behind the log end, and liveness. */
export interface LagPoint {
  atMs: number;
  offset: number;
  lag: number | null;
  /** Members of the group (running tasks for MM2); null when unknown. */
  members: number | null;
}

/**
 * Burrow-style status of one partition from its points (time order). Null with fewer than two points
 * or no known lag at the newest: motion cannot be judged from one reading.
 */
export function evaluatePoints(points: readonly LagPoint[]): ConvergenceStatus | null {
  for (let i = 1; i < points.length; i++)
    if ((points[i] as LagPoint).offset < (points[i - 1] as LagPoint).offset) return 'REWIND';
  const newest = points.at(-1);
  if (!newest || newest.lag === null) return null;
  if (newest.lag === 0) return 'OK';
  if (points.length < 2) return null;
  const first = points[0] as LagPoint;
  const moves = points.filter((p, i) => i > 0 && p.offset !== (points[i - 1] as LagPoint).offset);
  // A reading at lag 0 shows the consumer current as much as a move does: a quiet partition that just
  // got a record is not stalled (Burrow #338).
  const active = points.filter(
    (p, i) => p.lag === 0 || (i > 0 && p.offset !== (points[i - 1] as LagPoint).offset),
  );
  const idle = newest.members === 0 ? 'STOP' : 'STALL';
  const lastActiveMs = active.at(-1)?.atMs;
  if (lastActiveMs === undefined) return idle;
  if (newest.atMs - lastActiveMs > lastActiveMs - first.atMs) return idle;
  const atMoves = [first, ...moves].map((p) => p.lag);
  const rising =
    atMoves.length >= 3 &&
    atMoves.every((lag, i) => lag !== null && (i === 0 || lag >= (atMoves[i - 1] as number))) &&
    (atMoves.at(-1) as number) > (atMoves[0] as number);
  return rising ? 'WARN' : 'OK';
}

/** The log-end samples since the log end last went backwards (a recreated or truncated partition). */
function monotonicTail(logEnds: readonly LogEndSample[]): readonly LogEndSample[] {
  for (let i = logEnds.length - 1; i > 0; i--)
    if ((logEnds[i] as LogEndSample).offset < (logEnds[i - 1] as LogEndSample).offset)
      return logEnds.slice(i);
  return logEnds;
}

/**
 * When the log end stood at `offset`, linearly interpolated between the samples around it; the newest
 * sample's time when the log end is at or below it; null when the history begins past it.
 */
export function timeAtLogEnd(logEnds: readonly LogEndSample[], offset: number): number | null {
  const s = monotonicTail(logEnds);
  const newest = s.at(-1);
  if (!newest) return null;
  if (newest.offset <= offset) return newest.atMs;
  const i = s.findIndex((x) => x.offset > offset);
  if (i <= 0) return (s[0] as LogEndSample).offset === offset ? (s[0] as LogEndSample).atMs : null;
  const a = s[i - 1] as LogEndSample;
  const b = s[i] as LogEndSample;
  return a.atMs + ((offset - a.offset) / (b.offset - a.offset)) * (b.atMs - a.atMs);
}

/**
 * Seconds behind: 0 without lag; else now − the time the log end stood at `offset`, from the history,
 * else from `recordTimestampMs` (the timestamp of the record at `offset`); null when neither tells.
 */
export function lagSeconds(
  logEnds: readonly LogEndSample[],
  offset: number,
  lag: number | null,
  nowMs: number,
  recordTimestampMs?: number | null,
): number | null {
  if (lag === 0) return 0;
  if (lag === null) return null;
  const at = timeAtLogEnd(logEnds, offset) ?? recordTimestampMs ?? null;
  return at === null ? null : Math.max(0, (nowMs - at) / 1000);
}

export interface LagTotal {
  atMs: number;
  lag: number;
}

export interface TrendResult {
  trend: Trend | null;
  /** Change of the lag in records per second (negative: draining); null with fewer than two points. */
  ratePerSecond: number | null;
  /** Seconds to zero lag at that rate; 0 when caught up; null when not draining. */
  etaSeconds: number | null;
}

/** Points of the trend: the newest `trendWindowMs` of the history, short enough that a drain after a stop shows as draining within seconds. */
export const DEFAULT_TREND_WINDOW_MS = 15_000;

/** Least-squares slope in records per second; null with fewer than two distinct times. */
export function slopePerSecond(points: readonly LagTotal[]): number | null {
  if (points.length < 2) return null;
  const t0 = (points[0] as LagTotal).atMs;
  const xs = points.map((p) => (p.atMs - t0) / 1000);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = points.reduce((a, p) => a + p.lag, 0) / points.length;
  let num = 0;
  let den = 0;
  points.forEach((p, i) => {
    const dx = (xs[i] as number) - mx;
    num += dx * (p.lag - my);
    den += dx * dx;
  });
  return den > 0 ? num / den : null;
}

/** Residual standard deviation of the points around the least-squares line with slope `rate`. */
function residualSpread(points: readonly LagTotal[], rate: number): number {
  const t0 = (points[0] as LagTotal).atMs;
  const xs = points.map((p) => (p.atMs - t0) / 1000);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = points.reduce((a, p) => a + p.lag, 0) / points.length;
  const squares = points.reduce(
    (sum, p, i) => sum + (p.lag - (my + rate * ((xs[i] as number) - mx))) ** 2,
    0,
  );
  return Math.sqrt(squares / points.length);
}

/**
 * Trend of a lag over time: `caught-up` at 0 now; else by the slope over the newest `trendWindowMs`:
 * `steady` when the fitted change over that span is under one record or under twice the spread of the
 * points around the line (a saw-tooth of periodic commits is noise, not a trend), else `draining`
 * (ETA = lag / rate) or `growing`.
 */
export function lagTrend(points: readonly LagTotal[], trendWindowMs = DEFAULT_TREND_WINDOW_MS): TrendResult {
  const newest = points.at(-1);
  if (!newest) return { trend: null, ratePerSecond: null, etaSeconds: null };
  const recent = points.filter((p) => p.atMs >= newest.atMs - trendWindowMs);
  const rate = slopePerSecond(recent);
  if (newest.lag === 0) return { trend: 'caught-up', ratePerSecond: rate, etaSeconds: 0 };
  if (rate === null) return { trend: null, ratePerSecond: null, etaSeconds: null };
  const spanSeconds = (newest.atMs - (recent[0] as LagTotal).atMs) / 1000;
  const change = Math.abs(rate) * spanSeconds;
  if (change < Math.max(1, 2 * residualSpread(recent, rate)))
    return { trend: 'steady', ratePerSecond: rate, etaSeconds: null };
  if (rate < 0) return { trend: 'draining', ratePerSecond: rate, etaSeconds: newest.lag / -rate };
  return { trend: 'growing', ratePerSecond: rate, etaSeconds: null };
}

/** Sum of the lags of several series at each sample time (series sampled by the same reads line up). */
export function totalsOverTime(
  series: readonly (readonly { atMs: number; lag: number | null }[])[],
): LagTotal[] {
  const byTime = new Map<number, number>();
  for (const s of series)
    for (const p of s) if (p.lag !== null) byTime.set(p.atMs, (byTime.get(p.atMs) ?? 0) + p.lag);
  return [...byTime].sort((a, b) => a[0] - b[0]).map(([atMs, lag]) => ({ atMs, lag }));
}

export interface PartitionEvaluation {
  topic: string;
  partition: number;
  status: ConvergenceStatus | null;
  /** The newest offset (committed offset, or MM2's next offset) and lag. */
  offset: number;
  lag: number | null;
  lagSeconds: number | null;
}

export interface Evaluation {
  status: ConvergenceStatus | null;
  lag: number | null;
  /** The worst partition's seconds behind. */
  lagSeconds: number | null;
  trend: Trend | null;
  ratePerSecond: number | null;
  etaSeconds: number | null;
  /** Total lag at each sample time, oldest first (for sparklines). */
  lagHistory: LagTotal[];
}

export interface GroupEvaluation extends Evaluation {
  cluster: 'source' | 'target';
  group: string;
  partitions: PartitionEvaluation[];
}

export interface TopicEvaluation extends Evaluation {
  topic: string;
  partitions: PartitionEvaluation[];
}

export interface MirrorEvaluation extends Evaluation {
  /** Per source topic. */
  topics: TopicEvaluation[];
}

export interface EvaluateOptions {
  nowMs: number;
  /** {@link recordKey} -> timestamp of the record at that offset (see lagSeconds). */
  recordTimestamps?: ReadonlyMap<string, number>;
  trendWindowMs?: number;
  /** Seconds behind up to which a lag counts as caught up (default 10). */
  caughtUpSeconds?: number;
}

/**
 * Under live traffic a lag of exactly 0 is rare at the moment of a reading (MM2 stores its position every
 * `offset.flush.interval.ms`; consumers commit periodically), so a lag at most this many seconds behind
 * counts as caught up too, whatever its short-term slope (a few records up or down is sampling noise).
 */
export const DEFAULT_CAUGHT_UP_SECONDS = 10;

function summarise(
  partitions: PartitionEvaluation[],
  series: readonly (readonly { atMs: number; lag: number | null }[])[],
  options: EvaluateOptions,
): Evaluation {
  const lags = partitions.map((p) => p.lag).filter((l): l is number => l !== null);
  const seconds = partitions.map((p) => p.lagSeconds).filter((s): s is number => s !== null);
  // The worst partition's; unknown when a partition behind cannot be dated.
  const undated = partitions.some((p) => p.lagSeconds === null && p.lag !== null && p.lag > 0);
  const lagHistory = totalsOverTime(series);
  const measured = lagTrend(lagHistory, options.trendWindowMs);
  const lagSeconds = seconds.length > 0 && !undated ? Math.max(...seconds) : null;
  const caughtUp =
    lagSeconds !== null && lagSeconds <= (options.caughtUpSeconds ?? DEFAULT_CAUGHT_UP_SECONDS);
  const trend = caughtUp ? { ...measured, trend: 'caught-up' as const, etaSeconds: 0 } : measured;
  return {
    status: worstStatus(partitions.map((p) => p.status)),
    lag: lags.length > 0 ? lags.reduce((a, b) => a + b, 0) : null,
    lagSeconds,
    ...trend,
    lagHistory,
  };
}

function byTopicPartition(a: PartitionEvaluation, b: PartitionEvaluation): number {
  return a.topic.localeCompare(b.topic) || a.partition - b.partition;
}

function partitionOf(
  cluster: 'source' | 'target',
  topic: string,
  partition: number,
  points: LagPoint[],
  history: OffsetHistory,
  options: EvaluateOptions,
): PartitionEvaluation {
  const newest = points.at(-1) as LagPoint;
  const key = logEndKey(cluster, topic, partition);
  return {
    topic,
    partition,
    status: evaluatePoints(points),
    offset: newest.offset,
    lag: newest.lag,
    lagSeconds: lagSeconds(
      history.logEnds.get(key) ?? [],
      newest.offset,
      newest.lag,
      options.nowMs,
      options.recordTimestamps?.get(recordKey(cluster, topic, partition, newest.offset)),
    ),
  };
}

/** Every group in the history, evaluated per partition and as a whole; sorted by cluster and group. */
export function evaluateGroups(history: OffsetHistory, options: EvaluateOptions): GroupEvaluation[] {
  const groups = new Map<string, { cluster: 'source' | 'target'; group: string; keys: string[] }>();
  for (const key of history.commits.keys()) {
    const [cluster, group] = splitKey(key) as ['source' | 'target', string];
    const id = `${cluster}\u0000${group}`;
    const entry = groups.get(id) ?? { cluster, group, keys: [] };
    entry.keys.push(key);
    groups.set(id, entry);
  }
  return [...groups.values()]
    .map(({ cluster, group, keys }) => {
      const series = keys.map((k) => history.commits.get(k) as readonly CommitSample[]);
      const partitions = keys
        .map((k, i) => {
          const [, , topic, partition] = splitKey(k) as [string, string, string, string];
          const points = (series[i] as readonly CommitSample[]).map((s) => ({
            atMs: s.atMs,
            offset: s.committed,
            lag: s.lag,
            members: s.members,
          }));
          return partitionOf(cluster, topic, Number(partition), points, history, options);
        })
        .sort(byTopicPartition);
      return { cluster, group, ...summarise(partitions, series, options), partitions };
    })
    .sort((a, b) => a.cluster.localeCompare(b.cluster) || a.group.localeCompare(b.group));
}

/** MM2, per source partition (its next offset in place of a committed offset), per topic and overall. */
export function evaluateMirror(history: OffsetHistory, options: EvaluateOptions): MirrorEvaluation {
  const topics = new Map<
    string,
    { partitions: PartitionEvaluation[]; series: (readonly PositionSample[])[] }
  >();
  for (const [key, samples] of history.mirror) {
    const [topic, partition] = splitKey(key) as [string, string];
    const points = samples.map((s) => ({ atMs: s.atMs, offset: s.position, lag: s.lag, members: s.tasks }));
    const entry = topics.get(topic) ?? { partitions: [], series: [] };
    entry.partitions.push(partitionOf('source', topic, Number(partition), points, history, options));
    entry.series.push(samples);
    topics.set(topic, entry);
  }
  const evaluated = [...topics]
    .map(([topic, { partitions, series }]) => ({
      topic,
      ...summarise(partitions.sort(byTopicPartition), series, options),
      partitions,
    }))
    .sort((a, b) => a.topic.localeCompare(b.topic));
  const all = evaluated.flatMap((t) => t.partitions);
  const allSeries = [...history.mirror.values()];
  return { ...summarise(all, allSeries, options), topics: evaluated };
}

/** Key of {@link EvaluateOptions.recordTimestamps}: a partition and an offset in it. */
export function recordKey(
  cluster: 'source' | 'target',
  topic: string,
  partition: number,
  offset: number,
): string {
  return `${logEndKey(cluster, topic, partition)}\u0000${offset}`;
}

export interface RecordWanted {
  cluster: 'source' | 'target';
  topic: string;
  partition: number;
  offset: number;
}

/**
 * The records whose timestamps would give the seconds behind that the history cannot tell (the log end
 * passed the offset before the history began): one per partition and offset, the most behind first.
 */
export function timestampsWanted(
  groups: readonly GroupEvaluation[],
  mirror: MirrorEvaluation | null,
): RecordWanted[] {
  const wanted = new Map<string, RecordWanted>();
  const add = (cluster: 'source' | 'target', p: PartitionEvaluation) => {
    if (p.lagSeconds !== null || p.lag === null || p.lag === 0) return;
    const key = recordKey(cluster, p.topic, p.partition, p.offset);
    if (!wanted.has(key))
      wanted.set(key, { cluster, topic: p.topic, partition: p.partition, offset: p.offset });
  };
  for (const g of groups) for (const p of g.partitions) add(g.cluster, p);
  for (const p of mirror?.topics.flatMap((t) => t.partitions) ?? []) add('source', p);
  return [...wanted.values()];
}

/**
 * The records whose timestamps the history needs, read from the history alone: per group partition and
 * MM2 partition with lag at the newest sample whose log end passed the offset before the history began.
 */
export function recordsWanted(history: OffsetHistory): RecordWanted[] {
  const wanted = new Map<string, RecordWanted>();
  const check = (
    cluster: 'source' | 'target',
    topic: string,
    partition: number,
    offset: number,
    lag: number | null,
  ) => {
    if (lag === null || lag === 0) return;
    if (timeAtLogEnd(history.logEnds.get(logEndKey(cluster, topic, partition)) ?? [], offset) !== null)
      return;
    wanted.set(recordKey(cluster, topic, partition, offset), { cluster, topic, partition, offset });
  };
  // MM2 first: its seconds behind is the migration's.
  for (const [key, series] of history.mirror) {
    const [topic, partition] = splitKey(key) as [string, string];
    const newest = series.at(-1);
    if (newest) check('source', topic, Number(partition), newest.position, newest.lag);
  }
  for (const [key, series] of history.commits) {
    const [cluster, , topic, partition] = splitKey(key) as ['source' | 'target', string, string, string];
    const newest = series.at(-1);
    if (newest) check(cluster, topic, Number(partition), newest.committed, newest.lag);
  }
  return [...wanted.values()];
}

export interface Convergence {
  groups: GroupEvaluation[];
  mirror: MirrorEvaluation;
}

/**
 * Groups and MM2 evaluated at the snapshot's time from its offset history (the poller's window), or from
 * the snapshot alone when it carries none: one reading tells only what needs no motion (lag 0 is
 * caught-up, 0 s behind).
 */
export function evaluateConvergence(snapshot: Snapshot, trendWindowMs?: number): Convergence {
  const history = snapshot.offsetHistory ?? appendSnapshot(emptyOffsetHistory(), snapshot);
  const options: EvaluateOptions = {
    nowMs: snapshot.takenAtMs,
    ...(snapshot.recordTimestamps ? { recordTimestamps: snapshot.recordTimestamps } : {}),
    ...(trendWindowMs !== undefined ? { trendWindowMs } : {}),
  };
  return { groups: evaluateGroups(history, options), mirror: evaluateMirror(history, options) };
}
