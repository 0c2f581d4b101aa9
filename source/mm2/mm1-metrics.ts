/**
 * MirrorMaker 1's metrics in a Prometheus scrape. MM1 (`kafka.tools.MirrorMaker`) has no metrics of its
 * own worth reading: what it does shows in its producer (records sent into the target, send errors)
 * and its consumer (records behind the source's log end, commits). Names as the JMX exporter 1.x
 * gives them with the lab's rules (`kafka_producer_producer_metrics_record_send`: the exporter drops the
 * `_total` of a gauge) or without rules (`..._record_send_total`); matched case-insensitively.
 */
import { compareNames } from '../model/name-order.js';
import type { ParsedMetrics } from './prometheus.js';

export interface Mm1PartitionLag {
  topic: string;
  partition: number;
  /** records-lag of MM1's consumer: records between its fetch position and the log end. */
  lag: number;
}

export interface Mm1Metrics {
  /** Records MM1's producers sent into the target since they started (sum over producers). */
  recordsSent: number | null;
  recordErrors: number | null;
  /** Per target topic. */
  recordsSentByTopic: Record<string, number>;
  /** Offset commits of MM1's consumers since they started. */
  commits: number | null;
  consumerLag: Mm1PartitionLag[];
  /** Sorted names of the producer/consumer families found. */
  families: string[];
}

const RELATED = /^kafka_(producer|consumer)_/i;
const NAMES = {
  sent: /^kafka_producer_producer_metrics_record_send(_total)?$/i,
  errors: /^kafka_producer_producer_metrics_record_error(_total)?$/i,
  topicSent: /^kafka_producer_producer_topic_metrics_record_send(_total)?$/i,
  commits: /^kafka_consumer_consumer_coordinator_metrics_commit(_total)?$/i,
  lag: /^kafka_consumer_consumer_fetch_manager_metrics_records_lag$/i,
};

/** The samples extractMm1Metrics reads: a scrape parser may skip every other one unparsed. */
export function isMm1SampleName(name: string): boolean {
  return Object.values(NAMES).some((pattern) => pattern.test(name));
}

export function extractMm1Metrics(parsed: ParsedMetrics): Mm1Metrics {
  let sent: number | null = null;
  let errors: number | null = null;
  let commits: number | null = null;
  const byTopic: Record<string, number> = {};
  const lags = new Map<string, Mm1PartitionLag>();
  const families = new Set<string>();
  const add = (total: number | null, value: number) => (total ?? 0) + value;
  for (const family of parsed.families.values()) {
    if (RELATED.test(family.name)) families.add(family.name);
    for (const sample of family.samples) {
      if (!Number.isFinite(sample.value)) continue;
      if (NAMES.sent.test(sample.name)) sent = add(sent, sample.value);
      else if (NAMES.errors.test(sample.name)) errors = add(errors, sample.value);
      else if (NAMES.commits.test(sample.name)) commits = add(commits, sample.value);
      else if (NAMES.topicSent.test(sample.name) && sample.labels.topic !== undefined)
        byTopic[sample.labels.topic] = (byTopic[sample.labels.topic] ?? 0) + sample.value;
      else if (NAMES.lag.test(sample.name)) {
        const { topic, partition } = sample.labels;
        if (topic === undefined || partition === undefined || !/^\d+$/.test(partition)) continue;
        // Two consumers of the group may briefly both report a partition during a rebalance: keep the larger.
        const key = `${topic}\u0000${partition}`;
        const lag = Math.max(sample.value, lags.get(key)?.lag ?? 0);
        lags.set(key, { topic, partition: Number(partition), lag });
      }
    }
  }
  return {
    recordsSent: sent,
    recordErrors: errors,
    recordsSentByTopic: byTopic,
    commits,
    consumerLag: [...lags.values()].sort(
      (a, b) => compareNames(a.topic, b.topic) || a.partition - b.partition,
    ),
    families: [...families].sort(),
  };
}
