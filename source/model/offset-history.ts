/**
 * A sliding window of offsets per partition, taken from each Snapshot: the log-end offset of every
 * partition of both clusters, the committed offset of every group partition (with whether the group
 * had members), and MM2's position per source partition. Pure and immutable: append returns a new
 * history; series that did not change are shared with the old one.
 *
 * Memory is bounded three times: samples older than the window are dropped; each series keeps at most
 * `maxSamples`; and all series together about `sampleBudget` (at 100,000 partitions and as many group
 * partitions, 300 readings each would be gigabytes), so with many series each keeps fewer. A series
 * over its cap drops every other reading of its older half: the window keeps its reach, its older
 * part sparser (interpolation and the evaluation need the reach more than the density).
 */
import type { ClusterRole, Snapshot } from '../monitor/snapshot.js';

export const DEFAULT_HISTORY_WINDOW_MS = 10 * 60_000;
/** 10 minutes at the console's 2 s refresh. */
export const DEFAULT_MAX_SAMPLES = 300;
/** Readings held over all series: about 60 MB at about 60 bytes a reading. */
export const DEFAULT_SAMPLE_BUDGET = 1_000_000;
/** However many series, each keeps at least this many readings. */
const MIN_SAMPLES = 16;

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
  /** Members the group had when the sample was taken. */
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

export interface OffsetHistory {
  readonly windowMs: number;
  readonly maxSamples: number;
  readonly sampleBudget: number;
  /** Time of the newest sample taken from each cluster (the read's completion time). */
  readonly newestMs: Readonly<Record<ClusterRole, number | null>>;
  /** Key {@link logEndKey}. */
  readonly logEnds: ReadonlyMap<string, readonly LogEndSample[]>;
  /** Key {@link commitKey}. */
  readonly commits: ReadonlyMap<string, readonly CommitSample[]>;
  /** Key {@link mirrorKey} (source topic names). */
  readonly mirror: ReadonlyMap<string, readonly PositionSample[]>;
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

/** The parts of a key made by logEndKey, commitKey or mirrorKey. */
export function splitKey(key: string): string[] {
  return key.split('\u0000');
}

export function emptyOffsetHistory(options: OffsetHistoryOptions = {}): OffsetHistory {
  return {
    windowMs: Math.max(1000, options.windowMs ?? DEFAULT_HISTORY_WINDOW_MS),
    maxSamples: Math.max(2, Math.floor(options.maxSamples ?? DEFAULT_MAX_SAMPLES)),
    sampleBudget: Math.max(1, Math.floor(options.sampleBudget ?? DEFAULT_SAMPLE_BUDGET)),
    newestMs: { source: null, target: null },
    logEnds: new Map(),
    commits: new Map(),
    mirror: new Map(),
  };
}

interface Timed {
  atMs: number;
}

/** The series with `sample` appended, trimmed to the window, and thinned past the cap. */
function appended<T extends Timed>(
  series: readonly T[] | undefined,
  sample: T,
  fromMs: number,
  cap: number,
): T[] {
  const s = series ?? [];
  let from = 0;
  while (from < s.length && (s[from] as T).atMs < fromMs) from++;
  let to = s.length;
  while (to > from && (s[to - 1] as T).atMs >= sample.atMs) to--;
  const kept = s.slice(from, to);
  kept.push(sample);
  return kept.length > cap ? thinned(kept, cap) : kept;
}

/** Every other reading of the older half dropped (the oldest kept), the newer half whole; at most `cap`. */
export function thinned<T>(samples: readonly T[], cap: number): T[] {
  const recent = Math.ceil(cap / 2);
  const split = Math.max(0, samples.length - recent);
  const out = samples.slice(0, split).filter((_, i) => i % 2 === 0);
  for (let i = split; i < samples.length; i++) out.push(samples[i] as T);
  return out.length > cap ? out.slice(out.length - cap) : out;
}

/** Readings each series may keep: maxSamples, fewer when the series are many (the budget over them). */
export function samplesPerSeries(history: OffsetHistory): number {
  const series = history.logEnds.size + history.commits.size + history.mirror.size;
  const share = Math.floor(history.sampleBudget / Math.max(1, series));
  return Math.max(Math.min(MIN_SAMPLES, history.maxSamples), Math.min(history.maxSamples, share));
}

/** Series with no sample left in the window are dropped (deleted topics, groups that went away). */
function pruned<T extends Timed>(
  series: ReadonlyMap<string, readonly T[]>,
  touched: Map<string, T[]>,
  fromMs: number,
): Map<string, readonly T[]> {
  const out = new Map<string, readonly T[]>();
  for (const [key, samples] of series) {
    if (touched.has(key)) continue;
    const kept =
      samples.at(0) !== undefined && (samples[0] as T).atMs >= fromMs
        ? samples
        : samples.filter((s) => s.atMs >= fromMs);
    if (kept.length > 0) out.set(key, kept);
  }
  for (const [key, samples] of touched) out.set(key, samples);
  return out;
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

/**
 * The history with the snapshot's offsets appended. A cluster's samples are stamped with the time its
 * read completed, and only a read newer than the history's newest one from that cluster is taken: a
 * source that failed keeps its last data in the snapshot, and that data must not look like an offset
 * that stood still.
 */
export function appendSnapshot(history: OffsetHistory, snapshot: Snapshot): OffsetHistory {
  const newestMs = { ...history.newestMs };
  const logEnds = new Map<string, LogEndSample[]>();
  const commits = new Map<string, CommitSample[]>();
  const mirror = new Map<string, PositionSample[]>();
  let latestMs = Math.max(newestMs.source ?? 0, newestMs.target ?? 0);
  const cap = samplesPerSeries(history);
  for (const role of ['source', 'target'] as const) {
    const health = snapshot.health[role];
    const atMs = health.lastSuccessMs;
    if (!health.ok || atMs === null || atMs <= (history.newestMs[role] ?? -1)) continue;
    newestMs[role] = atMs;
    latestMs = Math.max(latestMs, atMs);
    const fromMs = atMs - history.windowMs;
    const view = snapshot[role];
    for (const topic of view.topics) {
      for (const p of topic.partitions) {
        if (p.latest === null) continue;
        const key = logEndKey(role, topic.name, p.partition);
        logEnds.set(key, appended(history.logEnds.get(key), { atMs, offset: p.latest }, fromMs, cap));
      }
    }
    for (const g of view.groups) {
      for (const p of g.partitions) {
        if (p.committed === null) continue;
        const key = commitKey(role, g.group, p.topic, p.partition);
        const sample = { atMs, committed: p.committed, lag: p.lag, members: g.members };
        commits.set(key, appended(history.commits.get(key), sample, fromMs, cap));
      }
    }
    if (role === 'source' && snapshot.mirror.positionsFrom !== null) {
      const tasks = runningMirrorTasks(snapshot);
      for (const topic of snapshot.mirror.topics) {
        for (const p of topic.partitions) {
          if (p.lag === null || p.sourceLatest === null) continue;
          const key = mirrorKey(topic.source, p.partition);
          // The offset MM2 reads next, measured against the data end: lag = end − position.
          const sample = { atMs, position: p.sourceLatest - p.lag, lag: p.lag, tasks };
          mirror.set(key, appended(history.mirror.get(key), sample, fromMs, cap));
        }
      }
    }
  }
  if (logEnds.size === 0 && commits.size === 0 && mirror.size === 0) return history;
  const fromMs = latestMs - history.windowMs;
  return {
    windowMs: history.windowMs,
    maxSamples: history.maxSamples,
    sampleBudget: history.sampleBudget,
    newestMs,
    logEnds: pruned(history.logEnds, logEnds, fromMs),
    commits: pruned(history.commits, commits, fromMs),
    mirror: pruned(history.mirror, mirror, fromMs),
  };
}

/** Samples held, over all series: for sizing. */
export function historySampleCount(history: OffsetHistory): number {
  let n = 0;
  for (const map of [history.logEnds, history.commits, history.mirror] as ReadonlyMap<
    string,
    readonly Timed[]
  >[])
    for (const series of map.values()) n += series.length;
  return n;
}
