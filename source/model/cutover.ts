/**
 * The cutover gate: the documented MM2 migration steps (producers stopped, consumers caught up, MM2
 * caught up, group offsets translated to the target) checked against one snapshot. Pure.
 */
import type { GroupInfo, GroupPartition, Snapshot } from '../monitor/snapshot.js';
import { mirroredTopics } from './mirror.js';
import { describeMove, groupMoves } from './mm1.js';
import { partitionKey } from './partition-key.js';
import { assess } from './verdict.js';

/** Why a check came out as it did: checks of one reason are counted together at scale. */
export const GATE_REASONS = {
  'cluster-health': 'clusters and MirrorMaker 2',
  'topic-missing': 'topic(s) missing on the target',
  'topic-partitions': 'topic(s) with another partition count on the target',
  'topic-position-unknown': 'topic(s) whose MM2 position is unknown',
  'topic-lag': 'topic(s) with MM2 lag',
  'topic-copied': 'topic(s) fully copied',
  'topic-span-shorter':
    'topic(s) with a shorter offset span on the target (spans are not records: run compare)',
  'group-source-lag': 'group(s) with lag on the source: consumers have not finished',
  'group-caught-up': 'group(s) caught up on the source',
  'group-no-checkpoint': 'group(s) without a checkpoint of the current source offset',
  'group-not-synced': 'group(s) not yet synced to the target group (sync.group.offsets)',
  'group-synced': 'group(s) with offsets translated and synced',
  'group-reread': 'group(s) that would re-read records on the target (translation granularity)',
  'group-below-log-start':
    'group(s) committed below the log start: records they had not read were deleted, their consumers reset per auto.offset.reset',
  'group-untranslated':
    'group(s) whose offsets MirrorMaker 1 does not translate: they start at auto.offset.reset on the target',
} as const;

export type GateReason = keyof typeof GATE_REASONS;

export interface GateCheck {
  /** What was checked, one line. */
  subject: string;
  ok: boolean;
  /** Blocking checks must pass before consumers move; warnings tell what moving would cost. */
  blocking: boolean;
  detail: string;
  reason: GateReason;
  /** How bad, to show the worst first among checks of one reason (a lag, a count of partitions). */
  magnitude: number;
}

export interface CutoverGate {
  ready: boolean;
  checks: GateCheck[];
}

export function cutoverGate(snapshot: Snapshot): CutoverGate {
  const refused = snapshot.mirror.refusedTopics;
  const checks: GateCheck[] = [];
  const health = assess(snapshot);
  const mm1 = snapshot.mirror.kind === 'mm1';
  checks.push({
    subject: mm1 ? 'clusters and MirrorMaker 1' : 'clusters and MirrorMaker 2',
    ok: health.verdict === 'healthy',
    blocking: true,
    reason: 'cluster-health',
    magnitude: health.problems.length,
    detail:
      health.verdict === 'healthy'
        ? mm1
          ? "both clusters answer, MM1's group has members and committed offsets"
          : 'both clusters answer, connectors running, heartbeats fresh'
        : health.problems.join('; '),
  });

  for (const topic of mirroredTopics(snapshot)) {
    const subject = `topic ${topic.source} -> ${topic.target}`;
    if (topic.state === 'missing' || topic.state === 'partition-mismatch') {
      checks.push({
        subject,
        ok: false,
        blocking: true,
        reason: topic.state === 'missing' ? 'topic-missing' : 'topic-partitions',
        magnitude: topic.sourcePartitions,
        detail:
          topic.state === 'missing'
            ? refused?.has(topic.target)
              ? `missing on the target; the target refuses to create it: ${refused.get(topic.target)}`
              : 'missing on the target'
            : `${topic.sourcePartitions} partitions on the source, ${topic.targetPartitions} on the target`,
      });
      continue;
    }
    if (topic.lag === null) {
      checks.push({
        subject,
        ok: false,
        blocking: true,
        reason: 'topic-position-unknown',
        magnitude: topic.sourcePartitions,
        detail: "MM2's position unknown: cannot tell whether everything was copied",
      });
      continue;
    }
    const lagging = topic.partitions.filter((p) => (p.lag ?? 0) > 0);
    checks.push({
      subject,
      ok: topic.lag === 0,
      blocking: true,
      reason: topic.lag === 0 ? 'topic-copied' : 'topic-lag',
      magnitude: topic.lag,
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
        reason: 'topic-span-shorter',
        magnitude: short.length,
        detail: `offset span shorter on the target on partition(s) ${short.map((p) => p.partition).join(',')}: transaction markers, compaction and retention take offsets without records; for the records run mirrorwatch compare --topic ${topic.source}`,
      });
    }
  }

  const moves = new Map(
    mm1
      ? groupMoves(
          snapshot.source.groups,
          snapshot.mirror.topics,
          snapshot.mirror.autoOffsetReset ?? 'latest',
        ).map((m) => [m.group, m])
      : [],
  );
  const targetGroups = new Map(snapshot.target.groups.map((g) => [g.group, g]));
  const mirrored = new Map(mirroredTopics(snapshot).map((t) => [t.source, t]));
  const mirroredTargets = new Set([...mirrored.values()].map((t) => t.target));
  const belowChecked = new Set<string>();
  for (const group of snapshot.source.groups) {
    const committed = group.partitions.rows().filter((p) => p.committed !== null && mirrored.has(p.topic));
    if (committed.length === 0) continue;
    const subject = `group ${group.group}`;
    const lag = committed.reduce((sum, p) => sum + (p.lag ?? 0), 0);
    checks.push({
      subject,
      ok: lag === 0,
      blocking: true,
      reason: lag === 0 ? 'group-caught-up' : 'group-source-lag',
      magnitude: lag,
      detail:
        lag === 0
          ? 'consumers caught up on the source'
          : `lag ${lag} on the source: consumers have not finished`,
    });
    // On the mirrored topics, as every check of the group: the source's, and their copies on the target.
    const below = belowLogStartCheck(
      subject,
      committed.filter((p) => p.belowLogStart),
      targetGroups.get(group.group),
      mirroredTargets,
    );
    if (below) checks.push(below);
    belowChecked.add(group.group);
    const move = moves.get(group.group);
    if (mm1) {
      const cost = (move?.reread ?? 0) + (move?.skipped ?? 0);
      checks.push({
        subject,
        ok: move !== undefined && move.reread !== null && cost === 0,
        blocking: false,
        reason: 'group-untranslated',
        magnitude: cost,
        detail: move
          ? `no offset translation (MirrorMaker 1): on the target it starts at ${describeMove(move)}`
          : 'no offset translation (MirrorMaker 1)',
      });
      continue;
    }
    const target = targetGroups.get(group.group);
    const translations = new Map(
      (target?.translations.rows() ?? []).map((t) => [partitionKey(t.topic, t.partition), t]),
    );
    const targetCommits = new Map(
      (target?.partitions.rows() ?? []).map((p) => [partitionKey(p.topic, p.partition), p]),
    );
    let missing = 0;
    let behind = 0;
    let reread = 0;
    for (const p of committed) {
      const targetTopic = mirrored.get(p.topic)?.target ?? p.topic;
      const key = partitionKey(targetTopic, p.partition);
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
      reason: missing > 0 ? 'group-no-checkpoint' : behind > 0 ? 'group-not-synced' : 'group-synced',
      magnitude: missing > 0 ? missing : behind,
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
        reason: 'group-reread',
        magnitude: reread,
        detail: `consumers moved now would re-read ${reread} record(s) on the target (translation granularity, offset.lag.max)`,
      });
    }
  }
  // Groups the source has no commits for on the mirrored topics, the target has (consumers already
  // moved, their source group expired): records deleted unread there reset them as well.
  for (const group of snapshot.target.groups) {
    if (belowChecked.has(group.group)) continue;
    const below = belowLogStartCheck(`group ${group.group}`, [], group, mirroredTargets);
    if (below) checks.push(below);
  }
  return { ready: checks.every((c) => c.ok || !c.blocking), checks };
}

/** The warning for a group's partitions committed below the log start on the mirrored topics; null when none. */
function belowLogStartCheck(
  subject: string,
  belowOnSource: readonly GroupPartition[],
  target: GroupInfo | undefined,
  mirroredTargets: ReadonlySet<string>,
): GateCheck | null {
  const belowOnTarget = (target?.partitions.rows() ?? []).filter(
    (p) => p.belowLogStart && mirroredTargets.has(p.topic),
  );
  if (belowOnSource.length + belowOnTarget.length === 0) return null;
  return {
    subject,
    ok: false,
    blocking: false,
    reason: 'group-below-log-start',
    magnitude: belowOnSource.length + belowOnTarget.length,
    detail: belowLogStartDetail(belowOnSource, belowOnTarget),
  };
}

/** `... 2 on the source (orders/0, orders/1), 1 on the target (orders/3): ...`: where records were deleted unread. */
function belowLogStartDetail(
  onSource: readonly GroupPartition[],
  onTarget: readonly GroupPartition[],
): string {
  const side = (below: readonly GroupPartition[], name: string) => {
    if (below.length === 0) return null;
    const shown = below.slice(0, 5).map((p) => `${p.topic}/${p.partition}`);
    return `${below.length} on the ${name} (${shown.join(', ')}${below.length > shown.length ? ', ...' : ''})`;
  };
  const sides = [side(onSource, 'source'), side(onTarget, 'target')].filter((s) => s !== null);
  return `partition(s) committed below the log start, ${sides.join(', ')}: retention deleted records the group had not read; its consumers reset per auto.offset.reset`;
}

export interface GateGroup {
  reason: GateReason;
  /** FAIL: blocking and failing; warn: failing, not blocking; ok. */
  status: 'FAIL' | 'warn' | 'ok';
  label: string;
  /** Worst first. */
  checks: GateCheck[];
}

const STATUS_ORDER = { FAIL: 0, warn: 1, ok: 2 } as const;

export function checkStatus(check: GateCheck): GateGroup['status'] {
  return check.ok ? 'ok' : check.blocking ? 'FAIL' : 'warn';
}

/** The checks counted by reason: failing reasons first, each with its checks worst first. */
export function groupGateChecks(checks: readonly GateCheck[]): GateGroup[] {
  const groups = new Map<string, GateGroup>();
  for (const check of checks) {
    const status = checkStatus(check);
    const key = `${status}\u0000${check.reason}`;
    const group = groups.get(key) ?? {
      reason: check.reason,
      status,
      label: GATE_REASONS[check.reason],
      checks: [],
    };
    group.checks.push(check);
    groups.set(key, group);
  }
  for (const group of groups.values()) group.checks.sort((a, b) => b.magnitude - a.magnitude);
  return [...groups.values()].sort(
    (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || b.checks.length - a.checks.length,
  );
}
