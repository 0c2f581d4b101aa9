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

import type { ClusterRole, Snapshot } from '../monitor/snapshot.js';
import { keepHiddenClass } from '../util/hidden-class.js';
import { compareNames } from './name-order.js';
import {
  appendSnapshot,
  type ClusterHistory,
  type Column,
  emptyOffsetHistory,
  type LogEndSample,
  type OffsetHistory,
  type PartitionRows,
} from './offset-history.js';
import { type RecordTimes, recordTimeAt, recordTimesTopicKey } from './record-times.js';

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
 * Readings of one series gathered from the history's columns into reusable arrays: time, offset, lag
 * (NaN: unknown), members (NaN: unknown). The evaluation reads these, so a refresh allocates nothing
 * per partition.
 */
class Readings {
  t = new Float64Array(64);
  o = new Float64Array(64);
  l = new Float64Array(64);
  m = new Float64Array(64);
  n = 0;

  reset(capacity: number): void {
    if (capacity > this.t.length) {
      const size = Math.max(capacity, this.t.length * 2);
      this.t = new Float64Array(size);
      this.o = new Float64Array(size);
      this.l = new Float64Array(size);
      this.m = new Float64Array(size);
    }
    this.n = 0;
  }

  push(atMs: number, offset: number, lag: number, members: number): void {
    const i = this.n++;
    this.t[i] = atMs;
    this.o[i] = offset;
    this.l[i] = lag;
    this.m[i] = members;
  }
}

const points = new Readings();
const logEnds = new Readings();

/**
 * Burrow-style status of one partition from its points (time order). Null with fewer than two points
 * or no known lag at the newest: motion cannot be judged from one reading.
 */
export function evaluatePoints(list: readonly LagPoint[]): ConvergenceStatus | null {
  points.reset(list.length);
  for (const p of list) points.push(p.atMs, p.offset, p.lag ?? Number.NaN, p.members ?? Number.NaN);
  return statusOfReadings(points);
}

function statusOfReadings(r: Readings): ConvergenceStatus | null {
  const { t, o, l, m, n } = r;
  for (let i = 1; i < n; i++) if ((o[i] as number) < (o[i - 1] as number)) return 'REWIND';
  if (n === 0) return null;
  const newestLag = l[n - 1] as number;
  if (Number.isNaN(newestLag)) return null;
  if (newestLag === 0) return 'OK';
  if (n < 2) return null;
  const idle = m[n - 1] === 0 ? 'STOP' : 'STALL';
  // A reading at lag 0 shows the consumer current as much as a move does: a quiet partition that just
  // got a record is not stalled (Burrow #338).
  let lastActiveMs = Number.NaN;
  for (let i = 0; i < n; i++) if (l[i] === 0 || (i > 0 && o[i] !== o[i - 1])) lastActiveMs = t[i] as number;
  if (Number.isNaN(lastActiveMs)) return idle;
  if ((t[n - 1] as number) - lastActiveMs > lastActiveMs - (t[0] as number)) return idle;
  // The lag at the first reading and at every move: rising at each, and higher at the end, is WARN.
  let count = 1;
  let previous = l[0] as number;
  let rising = !Number.isNaN(previous);
  for (let i = 1; i < n && rising; i++) {
    if (o[i] === o[i - 1]) continue;
    const lag = l[i] as number;
    if (Number.isNaN(lag) || lag < previous) rising = false;
    previous = lag;
    count++;
  }
  return rising && count >= 3 && previous > (l[0] as number) ? 'WARN' : 'OK';
}

/**
 * When the log end stood at `offset`, linearly interpolated between the samples around it; the newest
 * sample's time when the log end is at or below it; null when the history begins past it. Only the
 * samples since the log end last went backwards count (a recreated or truncated partition).
 */
export function timeAtLogEnd(samples: readonly LogEndSample[], offset: number): number | null {
  logEnds.reset(samples.length);
  for (const x of samples) logEnds.push(x.atMs, x.offset, 0, 0);
  return timeAtReadings(logEnds, offset);
}

function timeAtReadings(r: Readings, offset: number): number | null {
  const { t, o, n } = r;
  if (n === 0) return null;
  let start = 0;
  for (let i = n - 1; i > 0; i--)
    if ((o[i] as number) < (o[i - 1] as number)) {
      start = i;
      break;
    }
  if ((o[n - 1] as number) <= offset) return t[n - 1] as number;
  let i = start;
  while ((o[i] as number) <= offset) i++;
  if (i === start) return null;
  const a = o[i - 1] as number;
  const b = o[i] as number;
  const ta = t[i - 1] as number;
  return ta + ((offset - a) / (b - a)) * ((t[i] as number) - ta);
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
  return secondsBehind(lag, () => timeAtLogEnd(logEnds, offset) ?? recordTimestampMs ?? null, nowMs);
}

/** 0 without lag, null with an unknown one; else now − the time `dated` gives (null when it cannot). */
function secondsBehind(lag: number | null, dated: () => number | null, nowMs: number): number | null {
  if (lag === 0) return 0;
  if (lag === null) return null;
  return secondsSince(nowMs, dated());
}

/** Seconds from `atMs` to now, never negative (a record timestamp from a clock ahead of ours); null when undated. */
function secondsSince(nowMs: number, atMs: number | null): number | null {
  return atMs === null ? null : Math.max(0, (nowMs - atMs) / 1000);
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
  const mx = meanSeconds(points, t0);
  const my = meanLag(points);
  let num = 0;
  let den = 0;
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as LagTotal;
    const dx = (p.atMs - t0) / 1000 - mx;
    num += dx * (p.lag - my);
    den += dx * dx;
  }
  return den > 0 ? num / den : null;
}

// Index loops, not callbacks made per call: see "Code that V8 keeps compiled" in the README (the
// callbacks were compiled again, 15 times each in 90 s on the scaled lab).
function meanSeconds(points: readonly LagTotal[], t0: number): number {
  let sum = 0;
  for (let i = 0; i < points.length; i++) sum += ((points[i] as LagTotal).atMs - t0) / 1000;
  return sum / points.length;
}

function meanLag(points: readonly LagTotal[]): number {
  let sum = 0;
  for (let i = 0; i < points.length; i++) sum += (points[i] as LagTotal).lag;
  return sum / points.length;
}

/** Residual standard deviation of the points around the least-squares line with slope `rate`. */
function residualSpread(points: readonly LagTotal[], rate: number): number {
  const t0 = (points[0] as LagTotal).atMs;
  const mx = meanSeconds(points, t0);
  const my = meanLag(points);
  let squares = 0;
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as LagTotal;
    squares += (p.lag - (my + rate * ((p.atMs - t0) / 1000 - mx))) ** 2;
  }
  return Math.sqrt(squares / points.length);
}

/** The points at or after `fromMs`, in order. */
function pointsFrom(points: readonly LagTotal[], fromMs: number): LagTotal[] {
  const recent: LagTotal[] = [];
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as LagTotal;
    if (p.atMs >= fromMs) recent.push(p);
  }
  return recent;
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
  const recent = pointsFrom(points, newest.atMs - trendWindowMs);
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
  /** Timestamps of records at offsets the history cannot date (see lagSeconds). */
  recordTimestamps?: RecordTimes;
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

/** Adds up partition evaluations into a topic's, a group's or MM2's overall figures. */
class Summary {
  private status: ConvergenceStatus | null = null;
  private lag: number | null = null;
  private seconds: number | null = null;
  private undated = false;

  add(p: PartitionEvaluation): void {
    if (p.status !== null && (this.status === null || SEVERITY[p.status] > SEVERITY[this.status]))
      this.status = p.status;
    if (p.lag !== null) this.lag = (this.lag ?? 0) + p.lag;
    if (p.lagSeconds !== null) this.seconds = Math.max(this.seconds ?? 0, p.lagSeconds);
    // The worst partition's seconds behind; unknown when a partition behind cannot be dated.
    else if (p.lag !== null && p.lag > 0) this.undated = true;
  }

  finish(lagHistory: LagTotal[], options: EvaluateOptions): Evaluation {
    const measured = lagTrend(lagHistory, options.trendWindowMs);
    const lagSeconds = this.undated ? null : this.seconds;
    const caughtUp =
      lagSeconds !== null && lagSeconds <= (options.caughtUpSeconds ?? DEFAULT_CAUGHT_UP_SECONDS);
    const trend = caughtUp ? { ...measured, trend: 'caught-up' as const, etaSeconds: 0 } : measured;
    return { status: this.status, lag: this.lag, lagSeconds, ...trend, lagHistory };
  }
}

/** Total lag per read over some rows of the columns (reads where none of them has a lag are left out). */
class LagTotals {
  private readonly sums: Float64Array;
  private readonly seen: Uint8Array;

  constructor(private readonly columns: readonly Column[]) {
    this.sums = new Float64Array(columns.length);
    this.seen = new Uint8Array(columns.length);
  }

  add(lags: 'commitLag' | 'mirrorLag', row: number): void {
    for (let i = 0; i < this.columns.length; i++) {
      const lag = (this.columns[i] as Column)[lags].get(row);
      if (!Number.isNaN(lag)) {
        this.sums[i] = (this.sums[i] as number) + lag;
        this.seen[i] = 1;
      }
    }
  }

  points(): LagTotal[] {
    const out: LagTotal[] = [];
    for (let i = 0; i < this.columns.length; i++)
      if (this.seen[i]) out.push({ atMs: (this.columns[i] as Column).atMs, lag: this.sums[i] as number });
    return out;
  }
}

// Both live only while an evaluation runs: their maps are kept between refreshes (hidden-class.ts).
keepHiddenClass(new Summary());
keepHiddenClass(new LagTotals([]));

function byTopicPartition(a: PartitionEvaluation, b: PartitionEvaluation): number {
  return compareNames(a.topic, b.topic) || a.partition - b.partition;
}

/**
 * Convergence read from an offset history, evaluated on demand and kept: one group, one mirrored topic,
 * MM2 overall. The console asks for the rows it shows and MM2's line, so a refresh at 100,000 partitions
 * evaluates what is on screen, not every series.
 */
export class ConvergenceIndex {
  private readonly groupCache = new Map<string, GroupEvaluation | null>();
  private readonly topicCache = new Map<string, TopicEvaluation | null>();
  private overall: Evaluation | null = null;

  constructor(
    readonly history: OffsetHistory,
    readonly options: EvaluateOptions,
  ) {}

  /** Names of the groups the history holds commits of, on one cluster. */
  groupNames(cluster: ClusterRole): string[] {
    return [...this.history.clusters[cluster].rows.commits.keys()];
  }

  /** Names of the source topics the history holds MM2 positions of. */
  mirrorTopics(): string[] {
    return [...this.history.clusters.source.rows.mirror.keys()];
  }

  /** A group on one cluster, per partition and as a whole; null when the history has no commit of it. */
  group(cluster: ClusterRole, group: string): GroupEvaluation | null {
    const id = `${cluster}\u0000${group}`;
    let e = this.groupCache.get(id);
    if (e === undefined) {
      e = this.evaluateGroup(cluster, group);
      this.groupCache.set(id, e);
    }
    return e;
  }

  /** MM2 on one source topic; null when the history has no position in it. */
  topic(sourceTopic: string): TopicEvaluation | null {
    let e = this.topicCache.get(sourceTopic);
    if (e === undefined) {
      e = this.evaluateTopic(sourceTopic);
      this.topicCache.set(sourceTopic, e);
    }
    return e;
  }

  /** MM2 over every source partition (its next offset in place of a committed offset). */
  mirror(): Evaluation {
    if (!this.overall) {
      // Partition by partition into one summary: no per-topic evaluation (the rows on screen ask for
      // theirs), and no object per partition (100,000 of them a refresh at scale).
      const summary = new Summary();
      const h = this.history.clusters.source;
      const scratch = this.scratch;
      for (const [topic, rows] of h.rows.mirror) {
        const cached = this.topicCache.get(topic);
        if (cached !== undefined) {
          for (const p of cached?.partitions ?? []) summary.add(p);
          continue;
        }
        const logEndRows = h.rows.logEnds.get(topic);
        rows.forEach((row, partition) => {
          const r = gatherPositions(h.columns, row);
          if (this.evaluateInto(scratch, h, 'source', topic, partition, r, logEndRows)) summary.add(scratch);
        });
      }
      const columns = h.columns;
      const lagHistory = columns
        .filter((c) => c.mirrorLagTotal !== null)
        .map((c) => ({ atMs: c.atMs, lag: c.mirrorLagTotal as number }));
      this.overall = summary.finish(lagHistory, this.options);
    }
    return this.overall;
  }

  /** Every group of both clusters, sorted by cluster and name. */
  groups(): GroupEvaluation[] {
    const out: GroupEvaluation[] = [];
    for (const cluster of ['source', 'target'] as const)
      for (const group of this.groupNames(cluster).sort(compareNames)) {
        const e = this.group(cluster, group);
        if (e) out.push(e);
      }
    return out;
  }

  /** MM2 per topic (sorted) and overall. */
  mirrorEvaluation(): MirrorEvaluation {
    const topics = this.mirrorTopics()
      .sort(compareNames)
      .map((t) => this.topic(t))
      .filter((t): t is TopicEvaluation => t !== null);
    return { ...this.mirror(), topics };
  }

  private evaluateGroup(cluster: ClusterRole, group: string): GroupEvaluation | null {
    const h = this.history.clusters[cluster];
    const topics = h.rows.commits.get(group);
    if (!topics) return null;
    const totals = new LagTotals(h.columns);
    const partitions: PartitionEvaluation[] = [];
    for (const [topic, rows] of topics)
      rows.forEach((row, partition) => {
        const p = this.partition(h, cluster, topic, partition, gatherCommits(h.columns, row));
        if (!p) return;
        partitions.push(p);
        totals.add('commitLag', row);
      });
    if (partitions.length === 0) return null;
    partitions.sort(byTopicPartition);
    const summary = new Summary();
    for (const p of partitions) summary.add(p);
    return { cluster, group, ...summary.finish(totals.points(), this.options), partitions };
  }

  private evaluateTopic(topic: string): TopicEvaluation | null {
    const h = this.history.clusters.source;
    const rows = h.rows.mirror.get(topic);
    if (!rows) return null;
    const totals = new LagTotals(h.columns);
    const partitions: PartitionEvaluation[] = [];
    rows.forEach((row, partition) => {
      const p = this.partition(h, 'source', topic, partition, gatherPositions(h.columns, row));
      if (!p) return;
      partitions.push(p);
      totals.add('mirrorLag', row);
    });
    if (partitions.length === 0) return null;
    const summary = new Summary();
    for (const p of partitions) summary.add(p);
    return { topic, ...summary.finish(totals.points(), this.options), partitions };
  }

  /** One partition from its gathered readings; null when the series has none in the window. */
  private partition(
    h: ClusterHistory,
    cluster: ClusterRole,
    topic: string,
    partition: number,
    r: Readings,
  ): PartitionEvaluation | null {
    const e = this.scratch;
    if (!this.evaluateInto(e, h, cluster, topic, partition, r, h.rows.logEnds.get(topic))) return null;
    return { topic, partition, status: e.status, offset: e.offset, lag: e.lag, lagSeconds: e.lagSeconds };
  }

  /** Reused by evaluateInto's callers, which copy what they keep. */
  private readonly scratch: PartitionEvaluation = {
    topic: '',
    partition: 0,
    status: null,
    offset: 0,
    lag: null,
    lagSeconds: null,
  };

  /**
   * One partition from its gathered readings, written into `out`; false when the series has none in
   * the window. `logEndRows`: the topic's log-end rows, looked up once per topic by the caller.
   */
  private evaluateInto(
    out: PartitionEvaluation,
    h: ClusterHistory,
    cluster: ClusterRole,
    topic: string,
    partition: number,
    r: Readings,
    logEndRows: PartitionRows | undefined,
  ): boolean {
    if (r.n === 0) return false;
    out.topic = topic;
    out.partition = partition;
    out.status = statusOfReadings(r);
    const offset = r.o[r.n - 1] as number;
    const newestLag = r.l[r.n - 1] as number;
    const lag = Number.isNaN(newestLag) ? null : newestLag;
    out.offset = offset;
    out.lag = lag;
    if (lag === 0) out.lagSeconds = 0;
    else if (lag === null) out.lagSeconds = null;
    else {
      const row = logEndRows?.get(partition);
      const dated =
        (row === undefined ? null : timeAtReadings(gatherLogEnds(h.columns, row), offset)) ??
        recordTimeAt(this.options.recordTimestamps, cluster, topic, partition, offset) ??
        null;
      out.lagSeconds = secondsSince(this.options.nowMs, dated);
    }
    return true;
  }
}

function gatherCommits(columns: readonly Column[], row: number): Readings {
  points.reset(columns.length);
  for (const c of columns) {
    const committed = c.committed.get(row);
    if (!Number.isNaN(committed))
      points.push(
        c.atMs,
        committed,
        c.commitLag.get(row),
        row < c.members.length ? (c.members[row] as number) : 0,
      );
  }
  return points;
}

function gatherPositions(columns: readonly Column[], row: number): Readings {
  points.reset(columns.length);
  for (const c of columns) {
    const position = c.position.get(row);
    if (!Number.isNaN(position)) points.push(c.atMs, position, c.mirrorLag.get(row), c.tasks ?? Number.NaN);
  }
  return points;
}

function gatherLogEnds(columns: readonly Column[], row: number): Readings {
  logEnds.reset(columns.length);
  for (const c of columns) {
    const offset = c.logEnd.get(row);
    if (!Number.isNaN(offset)) logEnds.push(c.atMs, offset, 0, 0);
  }
  return logEnds;
}

/** Every group in the history, evaluated per partition and as a whole; sorted by cluster and group. */
export function evaluateGroups(history: OffsetHistory, options: EvaluateOptions): GroupEvaluation[] {
  return new ConvergenceIndex(history, options).groups();
}

/** MM2, per source partition (its next offset in place of a committed offset), per topic and overall. */
export function evaluateMirror(history: OffsetHistory, options: EvaluateOptions): MirrorEvaluation {
  return new ConvergenceIndex(history, options).mirrorEvaluation();
}

export interface RecordWanted {
  cluster: 'source' | 'target';
  topic: string;
  partition: number;
  offset: number;
}

/**
 * What forEachRecordWanted asks of its caller. An object of a class rather than two closures: V8 keeps
 * a closure's optimized code only while the closure lives (by-partition.ts), and these run per partition.
 */
export interface RecordWantedPass {
  /** Whether the caller has a timestamp for this offset already: passed over before the history is searched. */
  dated(cluster: 'source' | 'target', topic: string, partition: number, offset: number): boolean;
  visit(cluster: 'source' | 'target', topic: string, partition: number, offset: number): void;
}

/**
 * The records whose timestamps the history needs, read from the history alone: per group partition and
 * MM2 partition with lag at the newest sample whose log end passed the offset before the history began.
 * MM2's first (its seconds behind is the migration's); a partition and offset may be visited more than
 * once (groups at the same offset). Visits instead of returning a list: at 100,000 group partitions behind
 * an idle log end, nearly all are wanted on every pass and nearly all were read before.
 */
export function forEachRecordWanted(history: OffsetHistory, pass: RecordWantedPass): void {
  for (const [topic, rows] of history.clusters.source.rows.mirror)
    topicWanted(history, pass, 'source', topic, rows, 'position');
  for (const cluster of ['source', 'target'] as const)
    for (const topics of history.clusters[cluster].rows.commits.values())
      for (const [topic, rows] of topics) topicWanted(history, pass, cluster, topic, rows, 'committed');
}

/**
 * One topic's rows: MM2's positions in it, or one group's commits. A function called per topic rather
 * than loops in forEachRecordWanted's body: that runs once a pass, so V8 compiled its loops on the fly
 * (on-stack replacement), pass after pass; a function called this often is optimized once and kept.
 */
function topicWanted(
  history: OffsetHistory,
  pass: RecordWantedPass,
  cluster: ClusterRole,
  topic: string,
  rows: PartitionRows,
  field: 'position' | 'committed',
): void {
  const columns = history.clusters[cluster].columns;
  for (let partition = rows.start; partition < rows.end; partition++) {
    const row = rows.get(partition);
    if (row === undefined) continue;
    const c = newestWith(columns, field, row);
    if (!c) continue;
    const lag = field === 'position' ? c.mirrorLag.get(row) : c.commitLag.get(row);
    checkWanted(history, pass, cluster, topic, partition, c[field].get(row), lag);
  }
}

function checkWanted(
  history: OffsetHistory,
  pass: RecordWantedPass,
  cluster: ClusterRole,
  topic: string,
  partition: number,
  offset: number,
  lag: number,
): void {
  if (Number.isNaN(lag) || lag === 0) return;
  if (pass.dated(cluster, topic, partition, offset)) return;
  const h = history.clusters[cluster];
  const row = h.rows.logEnds.get(topic)?.get(partition);
  if (row !== undefined && timeAtReadings(gatherLogEnds(h.columns, row), offset) !== null) return;
  pass.visit(cluster, topic, partition, offset);
}

class WantedList implements RecordWantedPass {
  readonly wanted = new Map<string, RecordWanted>();

  dated(): boolean {
    return false;
  }

  visit(cluster: 'source' | 'target', topic: string, partition: number, offset: number): void {
    const key = `${recordTimesTopicKey(cluster, topic)}\u0000${partition}\u0000${offset}`;
    if (!this.wanted.has(key)) this.wanted.set(key, { cluster, topic, partition, offset });
  }
}

/** {@link forEachRecordWanted} as a list, each partition and offset once. */
export function recordsWanted(history: OffsetHistory): RecordWanted[] {
  const list = new WantedList();
  forEachRecordWanted(history, list);
  return [...list.wanted.values()];
}

/** The newest column with a value at `row`. */
function newestWith(columns: readonly Column[], field: 'position' | 'committed', row: number): Column | null {
  for (let i = columns.length - 1; i >= 0; i--) {
    const c = columns[i] as Column;
    if (!Number.isNaN(c[field].get(row))) return c;
  }
  return null;
}

export interface Convergence {
  groups: GroupEvaluation[];
  mirror: MirrorEvaluation;
}

/**
 * Groups and MM2 evaluated at the snapshot's time from its offset history (the poller's window), or from
 * the snapshot alone when it carries none (one reading tells only what needs no motion: lag 0 is
 * caught-up, 0 s behind); evaluated on demand.
 */
export function convergenceIndex(snapshot: Snapshot, trendWindowMs?: number): ConvergenceIndex {
  const history = snapshot.offsetHistory ?? appendSnapshot(emptyOffsetHistory(), snapshot);
  return new ConvergenceIndex(history, {
    nowMs: snapshot.takenAtMs,
    ...(snapshot.recordTimestamps ? { recordTimestamps: snapshot.recordTimestamps } : {}),
    ...(trendWindowMs !== undefined ? { trendWindowMs } : {}),
  });
}

/** Every group and MM2 per topic, evaluated at once (the commands' reports). */
export function evaluateConvergence(snapshot: Snapshot, trendWindowMs?: number): Convergence {
  const index = convergenceIndex(snapshot, trendWindowMs);
  return { groups: index.groups(), mirror: index.mirrorEvaluation() };
}
