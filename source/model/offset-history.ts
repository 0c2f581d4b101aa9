/**
 * A sliding window of offsets per partition, taken from each Snapshot: the log-end offset of every
 * partition of both clusters, the committed offset of every group partition (with the lag and whether
 * the group had members), and MM2's position per source partition. Pure for its users: append returns
 * a new history and leaves the old one as it was.
 *
 * Stored by column: every sample of one cluster's read has the same time, so each read is one column
 * of typed arrays (one slot per series, NaN where the series has no sample) on that cluster's time axis,
 * offsets and lags as 32-bit differences from an earlier read where they fit (offset-column.ts).
 * A series is a row number, found per topic (and per group) rather than by a key string per partition.
 * At 100,000 partitions and as many group partitions a side, that is a few megabytes a read and a
 * refresh costs one pass over the snapshot, where an object per sample cost gigabytes and seconds.
 * Columns are never changed once made; the row registry only grows (older columns read a row beyond
 * their length as "no sample") and is rebuilt when most of its rows went away.
 *
 * Memory is bounded three times: reads older than the window are dropped; a cluster keeps at most
 * `maxSamples` reads; and all series together about `sampleBudget` readings, so with many series each
 * keeps fewer. Past its cap a cluster drops every other read of its older half: the window keeps its
 * reach, its older part sparser (interpolation and the evaluation need the reach more than the density).
 */

import type { ClusterRole, Snapshot } from '../monitor/snapshot.js';
import { ByPartition } from './by-partition.js';
import type { GroupPartitions } from './group-partitions.js';
import { OffsetColumn } from './offset-column.js';
import { SmallMap, type StringMap } from './small-map.js';

export const DEFAULT_HISTORY_WINDOW_MS = 10 * 60_000;
/** 10 minutes at the console's 2 s refresh. */
export const DEFAULT_MAX_SAMPLES = 300;
/** Readings held over all series: 4 to 10 bytes each (an offset, a lag, members), about 10 MB. */
export const DEFAULT_SAMPLE_BUDGET = 1_000_000;
/** However many series, each keeps at least this many reads (the trend looks at the newest 15 s). */
const MIN_SAMPLES = 8;

export interface LogEndSample {
  atMs: number;
  /** Log-end offset (high watermark). */
  offset: number;
}

export interface CommitSample {
  atMs: number;
  committed: number;
  /** Log end − committed, clamped at 0, as the snapshot computed it; null when the log end is unknown. */
  lag: number | null;
  /** Members the group had when the sample was taken (up to 65,535). */
  members: number;
}

export interface PositionSample {
  atMs: number;
  /** The source offset MM2 reads next (its stored position + 1, or the log start). */
  position: number;
  /** Source records MM2 has not replicated yet (to the end of the data, markers excluded). */
  lag: number;
  /** Running MirrorSourceConnector tasks, or null when the connector state is unknown. */
  tasks: number | null;
}

export interface OffsetHistoryOptions {
  windowMs?: number;
  maxSamples?: number;
  sampleBudget?: number;
}

/** A topic's series rows by partition number. */
export type PartitionRows = ByPartition<number>;

/** Members by commit row: 8 bits a row while no group has more than 255 (most reads), else 16. */
export type Members = Uint8Array | Uint16Array;

function membersArray(size: number, most: number): Members {
  return most > 0xff ? new Uint16Array(size) : new Uint8Array(size);
}

/** Row numbers of a cluster's series: per topic (log ends, MM2), per group and topic (commits). */
export class RowRegistry {
  readonly logEnds = new Map<string, PartitionRows>();
  /** By group, then topic: most groups read one topic (SmallMap). */
  readonly commits = new Map<string, SmallMap<PartitionRows>>();
  readonly mirror = new Map<string, PartitionRows>();
  logEndRows = 0;
  commitRows = 0;
  mirrorRows = 0;

  logEndRow(topic: string, partition: number): number {
    return rowIn(this.logEnds, topic, partition, () => this.logEndRows++);
  }

  commitRow(group: string, topic: string, partition: number): number {
    let topics = this.commits.get(group);
    if (!topics) {
      topics = new SmallMap();
      this.commits.set(group, topics);
    }
    return rowIn(topics, topic, partition, () => this.commitRows++);
  }

  mirrorRow(topic: string, partition: number): number {
    return rowIn(this.mirror, topic, partition, () => this.mirrorRows++);
  }
}

function rowIn(map: StringMap<PartitionRows>, topic: string, partition: number, next: () => number): number {
  let rows = map.get(topic);
  if (!rows) {
    rows = new ByPartition<number>();
    map.set(topic, rows);
  }
  let row = rows.get(partition);
  if (row === undefined) {
    row = next();
    rows.set(partition, row);
  }
  return row;
}

/** One read of one cluster. Values are indexed by row; NaN (or a row past the end) is "no sample". */
export interface Column {
  readonly atMs: number;
  readonly logEnd: OffsetColumn;
  readonly committed: OffsetColumn;
  /** NaN where the committed offset is unknown or the lag is (see CommitSample.lag). */
  readonly commitLag: OffsetColumn;
  /** Members by commit row, up to 65,535 (the evaluation asks only whether there are any). */
  readonly members: Members;
  /** MM2's next offset per mirror row (source cluster only; empty elsewhere). */
  readonly position: OffsetColumn;
  readonly mirrorLag: OffsetColumn;
  readonly tasks: number | null;
  /** Sum of mirrorLag over the rows that have one; null when none has. */
  readonly mirrorLagTotal: number | null;
}

export interface ClusterHistory {
  readonly rows: RowRegistry;
  /** Oldest first, times strictly increasing. */
  readonly columns: readonly Column[];
  /** What the newest column was read from, while it is still the newest (see readColumn). */
  readonly newest?: ColumnInputs;
}

/**
 * The snapshot lists a column was read from. A refresh that reused a list (monitor/reuse.ts keeps the
 * previous array while nothing in it changed) gives the same values, so the new column shares the
 * previous column's arrays: columns are never changed once made. On an idle lab of 1,000 groups a
 * side that skips 200,000 group partitions a refresh, and their copies in memory.
 */
interface ColumnInputs {
  readonly column: Column;
  readonly topics: Snapshot['source']['topics'];
  readonly groups: Snapshot['source']['groups'];
  readonly mirrorTopics: Snapshot['mirror']['topics'] | null;
}

/** A read-only map of series by key string, made from the columns on demand (tests, small tools). */
export interface SeriesMap<T> extends Iterable<[string, T[]]> {
  readonly size: number;
  get(key: string): T[] | undefined;
  keys(): IterableIterator<string>;
}

export interface OffsetHistory {
  readonly windowMs: number;
  readonly maxSamples: number;
  readonly sampleBudget: number;
  /** Time of the newest sample taken from each cluster (the read's completion time). */
  readonly newestMs: Readonly<Record<ClusterRole, number | null>>;
  readonly clusters: Readonly<Record<ClusterRole, ClusterHistory>>;
  /** Key {@link logEndKey}. */
  readonly logEnds: SeriesMap<LogEndSample>;
  /** Key {@link commitKey}. */
  readonly commits: SeriesMap<CommitSample>;
  /** Key {@link mirrorKey} (source topic names). */
  readonly mirror: SeriesMap<PositionSample>;
}

export function logEndKey(cluster: ClusterRole, topic: string, partition: number): string {
  return `${cluster}\u0000${topic}\u0000${partition}`;
}

export function commitKey(cluster: ClusterRole, group: string, topic: string, partition: number): string {
  return `${cluster}\u0000${group}\u0000${topic}\u0000${partition}`;
}

export function mirrorKey(sourceTopic: string, partition: number): string {
  return `${sourceTopic}\u0000${partition}`;
}

const ROLES: readonly ClusterRole[] = ['source', 'target'];

function emptyCluster(): ClusterHistory {
  return { rows: new RowRegistry(), columns: [] };
}

export function emptyOffsetHistory(options: OffsetHistoryOptions = {}): OffsetHistory {
  return makeHistory(
    {
      windowMs: Math.max(1000, options.windowMs ?? DEFAULT_HISTORY_WINDOW_MS),
      maxSamples: Math.max(2, Math.floor(options.maxSamples ?? DEFAULT_MAX_SAMPLES)),
      sampleBudget: Math.max(1, Math.floor(options.sampleBudget ?? DEFAULT_SAMPLE_BUDGET)),
    },
    { source: null, target: null },
    { source: emptyCluster(), target: emptyCluster() },
  );
}

function makeHistory(
  limits: Pick<OffsetHistory, 'windowMs' | 'maxSamples' | 'sampleBudget'>,
  newestMs: Record<ClusterRole, number | null>,
  clusters: Record<ClusterRole, ClusterHistory>,
): OffsetHistory {
  return {
    ...limits,
    newestMs,
    clusters,
    logEnds: seriesMap(clusters, 'logEnd'),
    commits: seriesMap(clusters, 'commit'),
    mirror: seriesMap(clusters, 'mirror'),
  };
}

/** Every other read of the older half dropped (the oldest kept), the newer half whole; at most `cap`. */
export function thinned<T>(samples: readonly T[], cap: number): T[] {
  const recent = Math.ceil(cap / 2);
  const split = Math.max(0, samples.length - recent);
  const out = samples.slice(0, split).filter((_, i) => i % 2 === 0);
  for (let i = split; i < samples.length; i++) out.push(samples[i] as T);
  return out.length > cap ? out.slice(out.length - cap) : out;
}

/** Series registered over both clusters and every kind (rows that went away are compacted out). */
function seriesCount(history: OffsetHistory): number {
  let n = 0;
  for (const role of ROLES) {
    const { rows } = history.clusters[role];
    n += rows.logEndRows + rows.commitRows + rows.mirrorRows;
  }
  return n;
}

/** Readings each series may keep: maxSamples, fewer when the series are many (the budget over them). */
export function samplesPerSeries(history: OffsetHistory): number {
  return capFor(history, seriesCount(history));
}

function capFor(history: OffsetHistory, series: number): number {
  const share = Math.floor(history.sampleBudget / Math.max(1, series));
  return Math.max(Math.min(MIN_SAMPLES, history.maxSamples), Math.min(history.maxSamples, share));
}

/** Running tasks of MM2's source connector (named `...MirrorSource...`); null when none is listed. */
function runningMirrorTasks(snapshot: Snapshot): number | null {
  const mirror = snapshot.connectors.filter((c) => /MirrorSource/i.test(c.name));
  if (mirror.length === 0) return null;
  return mirror.reduce(
    (n, c) => n + (c.state === 'RUNNING' ? c.tasks.filter((t) => t.state === 'RUNNING').length : 0),
    0,
  );
}

const EMPTY = OffsetColumn.EMPTY;

/**
 * A read's values before OffsetColumn.of keeps them (as differences, or copied whole): two arrays reused
 * from read to read (reads are synchronous, and a reader needs two at once). New arrays each read were
 * about 6 MB of short-lived memory outside the heap a refresh at 100,000 partitions a side.
 */
const scratchValues: Float64Array[] = [new Float64Array(0), new Float64Array(0)];

function nanArray(size: number, which: 0 | 1 = 0): Float64Array {
  let values = scratchValues[which] as Float64Array;
  if (values.length < size) {
    values = new Float64Array(Math.max(size, Math.ceil(values.length * 1.5)));
    scratchValues[which] = values;
  }
  const view = values.subarray(0, size);
  view.fill(Number.NaN);
  return view;
}

/**
 * One read of `role` from the snapshot, as a column over `rows` (registering new series). Two passes:
 * the rows first (new series get theirs), then the values straight into arrays of the final size; at
 * 100,000 group partitions, values gathered into growing lists first were most of the history's garbage.
 */
function readColumn(
  snapshot: Snapshot,
  role: ClusterRole,
  atMs: number,
  cluster: ClusterHistory,
  newest: ColumnInputs | undefined,
): Column {
  const rows = cluster.rows;
  const view = snapshot[role];
  const mirroring = role === 'source' && snapshot.mirror.positionsFrom !== null;
  const mirrorTopics = mirroring ? snapshot.mirror.topics : null;
  const last = newest?.column;
  // Unchanged lists register no rows, so the previous column's arrays still have the registry's size.
  const sameTopics =
    last !== undefined && newest?.topics === view.topics && last.logEnd.length === rows.logEndRows;
  const sameGroups =
    last !== undefined && newest?.groups === view.groups && last.committed.length === rows.commitRows;
  const sameMirror =
    last !== undefined &&
    newest?.mirrorTopics === mirrorTopics &&
    (mirrorTopics === null || last.position === EMPTY || last.position.length === rows.mirrorRows);
  // Each new read is kept as differences from the read before it where they fit (offset-column.ts).
  const previous = cluster.columns.at(-1);
  const logEnd = sameTopics ? last.logEnd : OffsetColumn.of(readLogEnds(view.topics, rows), previous?.logEnd);
  const commits = sameGroups ? last : readCommits(view.groups, rows, previous);
  const mirror = sameMirror ? last : readMirror(mirrorTopics, rows, previous);
  return {
    atMs,
    logEnd,
    committed: commits.committed,
    commitLag: commits.commitLag,
    members: commits.members,
    position: mirror.position,
    mirrorLag: mirror.mirrorLag,
    tasks: mirroring ? runningMirrorTasks(snapshot) : null,
    mirrorLagTotal: mirror.mirrorLagTotal,
  };
}

/**
 * Each reader takes two passes over its list: the first finds (or registers) each value's row, the
 * second writes the values into arrays of the registry's final size. The rows found are kept here in
 * between, so a value's row is looked up once (reused from read to read; reads are synchronous).
 */
let found = new Int32Array(4096);

function foundAt(n: number, row: number): void {
  if (n >= found.length) {
    const grown = new Int32Array(found.length * 2);
    grown.set(found);
    found = grown;
  }
  found[n] = row;
}

/** A topic's rows by partition number, made for partitions `first` to `first + size - 1` when new. */
function partitionRows(
  map: StringMap<PartitionRows>,
  topic: string,
  first: number,
  size: number,
): PartitionRows {
  let rows = map.get(topic);
  if (!rows) {
    rows = new ByPartition<number>(first, size);
    map.set(topic, rows);
  }
  return rows;
}

/** The lowest and highest partition of a group's run of topic `t` (a topicIndex). */
function runSpan(partitions: GroupPartitions<object>, t: number): { first: number; size: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = -1;
  for (let i = partitions.runStart(t); i < partitions.runEnd(t); i++) {
    const partition = partitions.partition(i);
    min = Math.min(min, partition);
    max = Math.max(max, partition);
  }
  return max < 0 ? { first: 0, size: 0 } : { first: min, size: max - min + 1 };
}

/**
 * The row of `partition`, or `next` (the kind's row count, which the caller then counts up) as its new
 * row; -1 for a partition number that cannot be kept (see ByPartition): its values are not recorded.
 */
function rowAt(perPartition: PartitionRows, partition: number, next: number): number {
  const row = perPartition.get(partition);
  if (row !== undefined) return row;
  return perPartition.set(partition, next) ? next : -1;
}

function readLogEnds(topics: Snapshot['source']['topics'], rows: RowRegistry): Float64Array {
  let n = 0;
  for (const topic of topics) {
    const perPartition = partitionRows(rows.logEnds, topic.name, 0, topic.partitions.length);
    for (const p of topic.partitions) {
      if (p.latest === null) continue;
      const row = rowAt(perPartition, p.partition, rows.logEndRows);
      if (row === rows.logEndRows) rows.logEndRows++;
      foundAt(n++, row);
    }
  }
  const logEnd = nanArray(rows.logEndRows);
  n = 0;
  for (const topic of topics)
    for (const p of topic.partitions) {
      if (p.latest === null) continue;
      const row = found[n++] as number;
      if (row >= 0) logEnd[row] = p.latest;
    }
  return logEnd;
}

function readCommits(
  groups: Snapshot['source']['groups'],
  rows: RowRegistry,
  previous: Column | undefined,
): Pick<Column, 'committed' | 'commitLag' | 'members'> {
  let n = 0;
  for (const g of groups) {
    let topics = rows.commits.get(g.group);
    let topic = -1;
    let perPartition: PartitionRows | undefined;
    const partitions = g.partitions;
    for (let i = 0; i < partitions.length; i++) {
      if (partitions.committed(i) === null) continue;
      const t = partitions.topicIndex(i);
      if (t !== topic) {
        topic = t;
        if (!topics) {
          topics = new SmallMap();
          rows.commits.set(g.group, topics);
        }
        const name = partitions.topic(i);
        perPartition = topics.get(name);
        if (!perPartition) {
          const { first, size } = runSpan(partitions, t);
          perPartition = partitionRows(topics, name, first, size);
        }
      }
      const row = rowAt(perPartition as PartitionRows, partitions.partition(i), rows.commitRows);
      if (row === rows.commitRows) rows.commitRows++;
      foundAt(n++, row);
    }
  }
  const committed = nanArray(rows.commitRows);
  const commitLag = nanArray(rows.commitRows, 1);
  let most = 0;
  for (const g of groups) most = Math.max(most, g.members);
  const members = membersArray(rows.commitRows, most);
  n = 0;
  for (const g of groups) {
    const partitions = g.partitions;
    for (let i = 0; i < partitions.length; i++) {
      const offset = partitions.committed(i);
      if (offset === null) continue;
      const row = found[n++] as number;
      if (row < 0) continue;
      committed[row] = offset;
      commitLag[row] = partitions.lag(i) ?? Number.NaN;
      members[row] = Math.min(g.members, 0xffff);
    }
  }
  return {
    committed: OffsetColumn.of(committed, previous?.committed),
    commitLag: OffsetColumn.of(commitLag, previous?.commitLag),
    members,
  };
}

function readMirror(
  mirrorTopics: Snapshot['mirror']['topics'] | null,
  rows: RowRegistry,
  previous: Column | undefined,
): Pick<Column, 'position' | 'mirrorLag' | 'mirrorLagTotal'> {
  if (mirrorTopics === null) return { position: EMPTY, mirrorLag: EMPTY, mirrorLagTotal: null };
  let n = 0;
  for (const topic of mirrorTopics) {
    const perPartition = partitionRows(rows.mirror, topic.source, 0, topic.partitions.length);
    for (const p of topic.partitions) {
      if (p.lag === null || p.sourceLatest === null) continue;
      const row = rowAt(perPartition, p.partition, rows.mirrorRows);
      if (row === rows.mirrorRows) rows.mirrorRows++;
      foundAt(n++, row);
    }
  }
  if (n === 0) return { position: EMPTY, mirrorLag: EMPTY, mirrorLagTotal: null };
  const position = nanArray(rows.mirrorRows);
  const mirrorLag = nanArray(rows.mirrorRows, 1);
  let mirrorLagTotal = 0;
  n = 0;
  for (const topic of mirrorTopics)
    for (const p of topic.partitions) {
      if (p.lag === null || p.sourceLatest === null) continue;
      const row = found[n++] as number;
      if (row < 0) continue;
      // The offset MM2 reads next, measured against the data end: lag = end − position.
      position[row] = p.sourceLatest - p.lag;
      mirrorLag[row] = p.lag;
      mirrorLagTotal += p.lag;
    }
  return {
    position: OffsetColumn.of(position, previous?.position),
    mirrorLag: OffsetColumn.of(mirrorLag, previous?.mirrorLag),
    mirrorLagTotal,
  };
}

/**
 * A registry with only the rows that still have a sample in `columns`, and the columns renumbered: the
 * registry of a long watch over changing topics and groups would otherwise only grow.
 */
function compacted(cluster: ClusterHistory): ClusterHistory {
  const { rows, columns } = cluster;
  const fresh = new RowRegistry();
  const remap = (
    map: StringMap<PartitionRows>,
    field: (c: Column) => OffsetColumn,
    add: (topic: string, partition: number) => number,
    moves: number[],
  ) => {
    for (const [topic, partitions] of map)
      partitions.forEach((row, partition) => {
        if (columns.some((c) => !Number.isNaN(field(c).get(row)))) moves[row] = add(topic, partition);
      });
  };
  const logEndMoves: number[] = [];
  const commitMoves: number[] = [];
  const mirrorMoves: number[] = [];
  remap(
    rows.logEnds,
    (c) => c.logEnd,
    (t, p) => fresh.logEndRow(t, p),
    logEndMoves,
  );
  for (const [group, topics] of rows.commits)
    remap(
      topics,
      (c) => c.committed,
      (t, p) => fresh.commitRow(group, t, p),
      commitMoves,
    );
  remap(
    rows.mirror,
    (c) => c.position,
    (t, p) => fresh.mirrorRow(t, p),
    mirrorMoves,
  );
  // Renumbered columns are kept as differences from the renumbered column before them.
  const moved = (values: OffsetColumn, moves: number[], size: number, previous: OffsetColumn | undefined) => {
    if (values.length === 0) return EMPTY;
    const out = new Float64Array(size).fill(Number.NaN);
    moves.forEach((to, from) => {
      out[to] = values.get(from);
    });
    return OffsetColumn.of(out, previous);
  };
  const renumbered: Column[] = [];
  for (const c of columns) {
    const before = renumbered.at(-1);
    const members = membersArray(fresh.commitRows, c.members instanceof Uint16Array ? 0xffff : 0);
    commitMoves.forEach((to, from) => {
      members[to] = from < c.members.length ? (c.members[from] as number) : 0;
    });
    renumbered.push({
      ...c,
      logEnd: moved(c.logEnd, logEndMoves, fresh.logEndRows, before?.logEnd),
      committed: moved(c.committed, commitMoves, fresh.commitRows, before?.committed),
      commitLag: moved(c.commitLag, commitMoves, fresh.commitRows, before?.commitLag),
      members,
      position: moved(c.position, mirrorMoves, fresh.mirrorRows, before?.position),
      mirrorLag: moved(c.mirrorLag, mirrorMoves, fresh.mirrorRows, before?.mirrorLag),
    });
  }
  return { rows: fresh, columns: renumbered };
}

/**
 * The history with the snapshot's offsets appended. A cluster's samples are stamped with the time its
 * read completed, and only a read newer than the history's newest one from that cluster is taken: a
 * source that failed keeps its last data in the snapshot, and that data must not look like an offset
 * that stood still.
 */
export function appendSnapshot(history: OffsetHistory, snapshot: Snapshot): OffsetHistory {
  const newestMs = { ...history.newestMs };
  const clusters = { ...history.clusters };
  let appended = false;
  for (const role of ROLES) {
    const health = snapshot.health[role];
    const atMs = health.lastSuccessMs;
    if (!health.ok || atMs === null || atMs <= (history.newestMs[role] ?? -1)) continue;
    newestMs[role] = atMs;
    appended = true;
    let cluster = clusters[role];
    const newest = cluster.newest?.column === cluster.columns.at(-1) ? cluster.newest : undefined;
    const column = readColumn(snapshot, role, atMs, cluster, newest);
    // Rows that went away (deleted topics, groups that left): rebuild once they are most of the registry.
    const registered = cluster.rows.logEndRows + cluster.rows.commitRows + cluster.rows.mirrorRows;
    const written = countSamples(column);
    const columns = [...cluster.columns, column];
    cluster = { rows: cluster.rows, columns };
    if (registered > 2 * written + 1024) cluster = compacted(cluster);
    const inputs: ColumnInputs = {
      column: cluster.columns.at(-1) as Column,
      topics: snapshot[role].topics,
      groups: snapshot[role].groups,
      mirrorTopics:
        role === 'source' && snapshot.mirror.positionsFrom !== null ? snapshot.mirror.topics : null,
    };
    clusters[role] = { ...cluster, newest: inputs };
  }
  if (!appended) return history;
  const latestMs = Math.max(newestMs.source ?? 0, newestMs.target ?? 0);
  const fromMs = latestMs - history.windowMs;
  for (const role of ROLES) {
    const cluster = clusters[role];
    clusters[role] = { ...cluster, columns: cluster.columns.filter((c) => c.atMs >= fromMs) };
  }
  const grown = makeHistory(history, newestMs, clusters);
  const cap = capFor(grown, seriesCount(grown));
  for (const role of ROLES) {
    const cluster = clusters[role];
    if (cluster.columns.length > cap) clusters[role] = { ...cluster, columns: thinned(cluster.columns, cap) };
  }
  return makeHistory(history, newestMs, clusters);
}

function countSamples(c: Column): number {
  return c.logEnd.samples + c.committed.samples + c.position.samples;
}

/** Samples held, over all series: for sizing. */
export function historySampleCount(history: OffsetHistory): number {
  let n = 0;
  for (const role of ROLES) for (const c of history.clusters[role].columns) n += countSamples(c);
  return n;
}

type Kind = 'logEnd' | 'commit' | 'mirror';

/** Every series of a kind as [key, row, cluster]. */
function* seriesRows(
  clusters: Record<ClusterRole, ClusterHistory>,
  kind: Kind,
): Generator<[string, number, ClusterRole]> {
  for (const role of kind === 'mirror' ? (['source'] as const) : ROLES) {
    const rows = clusters[role].rows;
    if (kind === 'logEnd')
      for (const [topic, partitions] of rows.logEnds)
        for (const [partition, row] of partitions.entries())
          yield [logEndKey(role, topic, partition), row, role];
    if (kind === 'commit')
      for (const [group, topics] of rows.commits)
        for (const [topic, partitions] of topics)
          for (const [partition, row] of partitions.entries())
            yield [commitKey(role, group, topic, partition), row, role];
    if (kind === 'mirror')
      for (const [topic, partitions] of rows.mirror)
        for (const [partition, row] of partitions.entries()) yield [mirrorKey(topic, partition), row, role];
  }
}

function samplesOf(columns: readonly Column[], kind: Kind, row: number): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const c of columns) {
    if (kind === 'logEnd') {
      const offset = c.logEnd.get(row);
      if (!Number.isNaN(offset)) out.push({ atMs: c.atMs, offset });
    } else if (kind === 'commit') {
      const committed = c.committed.get(row);
      const lag = c.commitLag.get(row);
      if (!Number.isNaN(committed))
        out.push({
          atMs: c.atMs,
          committed,
          lag: Number.isNaN(lag) ? null : lag,
          members: c.members[row] ?? 0,
        });
    } else {
      const position = c.position.get(row);
      if (!Number.isNaN(position))
        out.push({ atMs: c.atMs, position, lag: c.mirrorLag.get(row), tasks: c.tasks });
    }
  }
  return out;
}

function seriesMap<T>(clusters: Record<ClusterRole, ClusterHistory>, kind: Kind): SeriesMap<T> {
  const entries = function* (): Generator<[string, T[]]> {
    for (const [key, row, role] of seriesRows(clusters, kind)) {
      const samples = samplesOf(clusters[role].columns, kind, row) as T[];
      if (samples.length > 0) yield [key, samples];
    }
  };
  return {
    get size() {
      let n = 0;
      for (const _ of entries()) n++;
      return n;
    },
    get(key: string) {
      for (const [k, samples] of entries()) if (k === key) return samples;
      return undefined;
    },
    *keys() {
      for (const [k] of entries()) yield k;
    },
    [Symbol.iterator]: entries,
  };
}
