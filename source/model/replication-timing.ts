/**
 * Record age and replication latency from MM2's metrics, with idle partitions told apart. Pure.
 *
 * MM2's `record-age-ms` / `replication-latency-ms` keep the value of a partition's last record forever,
 * so an idle partition would report the age it had when it last replicated (minutes, days). The
 * `-max`/`-avg` attributes cover a window (2 samples of 30 s by default) and are NaN when no record fell
 * in it: a partition whose windowed attributes are all NaN is idle, and does not count. Exporters that
 * do not export the windowed attributes leave only the last-value gauges: then a partition counts as
 * idle when its record count did not move since the previous scrape, and as unknown on a first scrape.
 */
import type { PartitionMetrics } from '../mm2/mm2-metrics.js';
import type { TimingBasis, TimingSummary } from '../monitor/snapshot.js';
import { byTopic } from './by-topic.js';

export interface PartitionTiming {
  /** Highest record age in the window (or the last value); null when idle or unknown. */
  recordAgeMs: number | null;
  replicationLatencyMs: number | null;
  /** true: no record replicated recently; false: some did; null: cannot tell. */
  idle: boolean | null;
  basis: TimingBasis | null;
}

const NONE: PartitionTiming = { recordAgeMs: null, replicationLatencyMs: null, idle: null, basis: null };

// A partition's idleness and basis in one byte (TopicTimings.flags); 0: the scrape has no sample of it.
const SAMPLED = 1;
const IDLE_FALSE = 2;
const IDLE_TRUE = 4;
const WINDOWED = 8;
const LAST_VALUE = 16;

/**
 * The timings of one target-side topic's partitions, by partition number, in columns: a scrape of
 * 100,000 partitions kept an object each before (15 MB); the join reads the columns.
 */
export class TopicTimings {
  readonly recordAgeMs: Float64Array;
  readonly replicationLatencyMs: Float64Array;
  readonly flags: Uint8Array;

  constructor(partitions: number) {
    this.recordAgeMs = new Float64Array(partitions).fill(Number.NaN);
    this.replicationLatencyMs = new Float64Array(partitions).fill(Number.NaN);
    this.flags = new Uint8Array(partitions);
  }

  set(partition: number, t: PartitionTiming): void {
    if (t.recordAgeMs !== null) this.recordAgeMs[partition] = t.recordAgeMs;
    if (t.replicationLatencyMs !== null) this.replicationLatencyMs[partition] = t.replicationLatencyMs;
    this.flags[partition] =
      SAMPLED |
      (t.idle === true ? IDLE_TRUE : t.idle === false ? IDLE_FALSE : 0) |
      (t.basis === 'windowed' ? WINDOWED : t.basis === 'last-value' ? LAST_VALUE : 0);
  }

  recordAge(partition: number): number | null {
    const value = this.recordAgeMs[partition];
    return value === undefined || Number.isNaN(value) ? null : value;
  }

  replicationLatency(partition: number): number | null {
    const value = this.replicationLatencyMs[partition];
    return value === undefined || Number.isNaN(value) ? null : value;
  }

  idle(partition: number): boolean | null {
    const flags = this.flags[partition] ?? 0;
    return flags & IDLE_TRUE ? true : flags & IDLE_FALSE ? false : null;
  }

  /** The partition's timing as one object; undefined where the scrape had no sample. */
  get(partition: number): PartitionTiming | undefined {
    const flags = this.flags[partition] ?? 0;
    if (!(flags & SAMPLED)) return undefined;
    return {
      recordAgeMs: this.recordAge(partition),
      replicationLatencyMs: this.replicationLatency(partition),
      idle: this.idle(partition),
      basis: flags & WINDOWED ? 'windowed' : flags & LAST_VALUE ? 'last-value' : null,
    };
  }

  *values(): IterableIterator<PartitionTiming> {
    for (let p = 0; p < this.flags.length; p++) {
      const t = this.get(p);
      if (t !== undefined) yield t;
    }
  }
}

/**
 * The timing of every partition of one scrape, by target-side topic and partition number: the join looks
 * a topic up once and its partitions by index (a key string per partition cost 40 ms a scrape at 100,000
 * partitions). Made once per scrape, with its summary.
 */
export class ScrapeTimings {
  #summary: TimingSummary | null = null;

  constructor(private readonly byTopic: ReadonlyMap<string, TopicTimings>) {}

  /** The topic's timings by partition number. */
  topic(topic: string): TopicTimings | undefined {
    return this.byTopic.get(topic);
  }

  get(topic: string, partition: number): PartitionTiming | undefined {
    return this.byTopic.get(topic)?.get(partition);
  }

  *values(): IterableIterator<PartitionTiming> {
    for (const timings of this.byTopic.values()) yield* timings.values();
  }

  /** Summed once: the poller hands out the same timings until the next scrape. */
  summary(): TimingSummary {
    this.#summary ??= summariseTimings(this.values());
    return this.#summary;
  }
}

export const NO_TIMINGS = new ScrapeTimings(new Map());

/**
 * One partition's timing. `previousRecordCount`: its record count at the previous scrape (only used
 * without windowed attributes); undefined on a first scrape.
 */
export function partitionTiming(
  m: PartitionMetrics | undefined,
  previousRecordCount?: number,
): PartitionTiming {
  if (!m) return NONE;
  if (m.windowed) {
    const age = m.recordAgeMsMax ?? m.recordAgeMsAvg ?? null;
    const latency = m.replicationLatencyMsMax ?? m.replicationLatencyMsAvg ?? null;
    const idle = age === null && latency === null;
    return { recordAgeMs: age, replicationLatencyMs: latency, idle, basis: 'windowed' };
  }
  const age = m.recordAgeMs ?? null;
  const latency = m.replicationLatencyMs ?? null;
  if (age === null && latency === null) return NONE;
  if (previousRecordCount !== undefined && m.recordCount !== undefined) {
    if (m.recordCount === previousRecordCount)
      return { recordAgeMs: null, replicationLatencyMs: null, idle: true, basis: 'last-value' };
    return { recordAgeMs: age, replicationLatencyMs: latency, idle: false, basis: 'last-value' };
  }
  return { recordAgeMs: age, replicationLatencyMs: latency, idle: null, basis: 'last-value' };
}

/** Timing of every partition of a scrape, by (target-side topic, partition). */
export function partitionTimings(
  current: readonly PartitionMetrics[],
  previous: readonly PartitionMetrics[] | null,
): ScrapeTimings {
  // The previous counts matter only to partitions without windowed attributes (see partitionTiming).
  const before =
    previous && current.some((p) => !p.windowed) ? byTopic(previous, (p) => p.recordCount) : null;
  const out = new Map<string, TopicTimings>();
  for (const [topic, metrics] of byTopic(current, (p) => p)) {
    const counts = before?.get(topic);
    const timings = new TopicTimings(metrics.length);
    for (let partition = 0; partition < metrics.length; partition++) {
      const m = metrics[partition];
      if (m !== undefined) timings.set(partition, partitionTiming(m, counts?.[partition]));
    }
    out.set(topic, timings);
  }
  return new ScrapeTimings(out);
}

export function summariseTimings(timings: Iterable<PartitionTiming>): TimingSummary {
  const summary: TimingSummary = {
    recordAgeMs: null,
    replicationLatencyMs: null,
    basis: null,
    replicating: 0,
    idle: 0,
    unknown: 0,
  };
  const higher = (a: number | null, b: number | null) => (b === null ? a : a === null ? b : Math.max(a, b));
  for (const t of timings) {
    if (t.basis === null) continue;
    if (summary.basis !== 'last-value') summary.basis = t.basis;
    if (t.idle === true) {
      summary.idle++;
      continue;
    }
    if (t.idle === false) summary.replicating++;
    else summary.unknown++;
    summary.recordAgeMs = higher(summary.recordAgeMs, t.recordAgeMs);
    summary.replicationLatencyMs = higher(summary.replicationLatencyMs, t.replicationLatencyMs);
  }
  return summary;
}
