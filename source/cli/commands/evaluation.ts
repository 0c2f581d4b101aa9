/** `lag --evaluate` and `status --evaluate`: the convergence evaluation as JSON documents and text. */
import type { GroupEvaluation, MirrorEvaluation } from '../../model/convergence.js';
import { formatBehind, formatTrend } from '../../ui/convergence-text.js';
import { formatRate } from '../../ui/format.js';
import { table } from '../format.js';

const round = (v: number | null, digits: number) =>
  v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits;

export function groupEvaluationDocument(g: GroupEvaluation) {
  return {
    cluster: g.cluster,
    group: g.group,
    status: g.status,
    lag: g.lag,
    lagSeconds: round(g.lagSeconds, 1),
    trend: g.trend,
    ratePerSecond: round(g.ratePerSecond, 2),
    etaSeconds: round(g.etaSeconds, 1),
    partitions: g.partitions.map((p) => ({
      topic: p.topic,
      partition: p.partition,
      status: p.status,
      lag: p.lag,
      lagSeconds: round(p.lagSeconds, 1),
    })),
  };
}

/** The `replication` fields of `status --json` that come from the evaluation. */
export function replicationConvergence(m: MirrorEvaluation) {
  return {
    status: m.status,
    behindSeconds: round(m.lagSeconds, 1),
    trend: m.trend,
    ratePerSecond: round(m.ratePerSecond, 2),
    etaSeconds: round(m.etaSeconds, 1),
  };
}

export function groupEvaluationText(groups: readonly GroupEvaluation[], seconds: number): string {
  const head = `evaluated over ${seconds}s\n`;
  const summary = table(
    ['CLUSTER', 'GROUP', 'STATUS', 'LAG', 'LAG-TIME', 'TREND', 'RATE'],
    groups.map((g) => [
      g.cluster,
      g.group,
      g.status ?? '-',
      g.lag,
      formatBehind(g.lagSeconds),
      formatTrend(g),
      g.ratePerSecond === null ? '-' : formatRate(g.ratePerSecond),
    ]),
  );
  const partitions = table(
    ['CLUSTER', 'GROUP', 'TOPIC', 'PARTITION', 'STATUS', 'OFFSET', 'LAG', 'LAG-TIME'],
    groups.flatMap((g) =>
      g.partitions.map((p) => [
        g.cluster,
        g.group,
        p.topic,
        p.partition,
        p.status ?? '-',
        p.offset,
        p.lag,
        formatBehind(p.lagSeconds),
      ]),
    ),
  );
  return `${head}${summary}\n${partitions}`;
}
