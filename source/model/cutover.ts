/**
 * The cutover gate: the documented MM2 migration steps (producers stopped, consumers caught up, MM2
 * caught up, group offsets translated to the target) checked against one snapshot. Pure.
 */
import type { Snapshot } from '../monitor/snapshot.js';
import { assess } from './verdict.js';

export interface GateCheck {
  /** What was checked, one line. */
  subject: string;
  ok: boolean;
  /** Blocking checks must pass before consumers move; warnings tell what moving would cost. */
  blocking: boolean;
  detail: string;
}

export interface CutoverGate {
  ready: boolean;
  checks: GateCheck[];
}

export function cutoverGate(snapshot: Snapshot): CutoverGate {
  const checks: GateCheck[] = [];
  const health = assess(snapshot);
  checks.push({
    subject: 'clusters and MirrorMaker 2',
    ok: health.verdict === 'healthy',
    blocking: true,
    detail:
      health.verdict === 'healthy'
        ? 'both clusters answer, connectors running, heartbeats fresh'
        : health.problems.join('; '),
  });

  for (const topic of snapshot.mirror.topics) {
    const subject = `topic ${topic.source} -> ${topic.target}`;
    if (topic.state === 'missing' || topic.state === 'partition-mismatch') {
      checks.push({
        subject,
        ok: false,
        blocking: true,
        detail:
          topic.state === 'missing'
            ? 'missing on the target'
            : `${topic.sourcePartitions} partitions on the source, ${topic.targetPartitions} on the target`,
      });
      continue;
    }
    if (topic.lag === null) {
      checks.push({
        subject,
        ok: false,
        blocking: true,
        detail: "MM2's position unknown: cannot tell whether everything was copied",
      });
      continue;
    }
    const lagging = topic.partitions.filter((p) => (p.lag ?? 0) > 0);
    checks.push({
      subject,
      ok: topic.lag === 0,
      blocking: true,
      detail:
        topic.lag === 0
          ? `all ${topic.sourcePartitions} partitions copied`
          : `MM2 lag ${topic.lag} on partition(s) ${lagging.map((p) => p.partition).join(',')}`,
    });
    const short = topic.partitions.filter(
      (p) =>
        p.sourceLatest !== null &&
        p.targetLatest !== null &&
        p.targetLatest - (p.targetEarliest ?? 0) < p.sourceLatest - (p.sourceEarliest ?? 0),
    );
    if (short.length > 0) {
      // Spans are not record counts (transaction markers, compaction): no claim about data from them.
      checks.push({
        subject,
        ok: true,
        blocking: false,
        detail: `offset span shorter on the target on partition(s) ${short.map((p) => p.partition).join(',')}: transaction markers, compaction and retention take offsets without records; for the records run mirrorwatch compare --topic ${topic.source}`,
      });
    }
  }

  const targetGroups = new Map(snapshot.target.groups.map((g) => [g.group, g]));
  const mirrored = new Map(snapshot.mirror.topics.map((t) => [t.source, t]));
  for (const group of snapshot.source.groups) {
    const committed = group.partitions.filter((p) => p.committed !== null && mirrored.has(p.topic));
    if (committed.length === 0) continue;
    const subject = `group ${group.group}`;
    const lag = committed.reduce((sum, p) => sum + (p.lag ?? 0), 0);
    checks.push({
      subject,
      ok: lag === 0,
      blocking: true,
      detail:
        lag === 0
          ? 'consumers caught up on the source'
          : `lag ${lag} on the source: consumers have not finished`,
    });
    const target = targetGroups.get(group.group);
    const translations = new Map(
      (target?.translations ?? []).map((t) => [`${t.topic}\u0000${t.partition}`, t]),
    );
    const targetCommits = new Map(
      (target?.partitions ?? []).map((p) => [`${p.topic}\u0000${p.partition}`, p]),
    );
    let missing = 0;
    let behind = 0;
    let reread = 0;
    for (const p of committed) {
      const targetTopic = mirrored.get(p.topic)?.target ?? p.topic;
      const key = `${targetTopic}\u0000${p.partition}`;
      const translation = translations.get(key);
      if (!translation || translation.upstreamOffset !== p.committed) {
        missing++;
        continue;
      }
      const commit = targetCommits.get(key)?.committed ?? null;
      if (commit === null || commit < translation.downstreamOffset) behind++;
      const targetEnd = targetCommits.get(key)?.logEnd ?? null;
      if (p.lag === 0 && targetEnd !== null) reread += Math.max(0, targetEnd - translation.downstreamOffset);
    }
    checks.push({
      subject,
      ok: missing === 0 && behind === 0,
      blocking: true,
      detail:
        missing > 0
          ? `${missing} of ${committed.length} partition(s) without a checkpoint of the current source offset`
          : behind > 0
            ? `${behind} partition(s) not yet synced to the target group (sync.group.offsets)`
            : `offsets translated and synced on ${committed.length} partition(s)`,
    });
    if (reread > 0) {
      checks.push({
        subject,
        ok: false,
        blocking: false,
        detail: `consumers moved now would re-read ${reread} record(s) on the target (translation granularity, offset.lag.max)`,
      });
    }
  }
  return { ready: checks.every((c) => c.ok || !c.blocking), checks };
}
