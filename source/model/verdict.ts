/** Is the migration healthy? Pure verdicts over a snapshot, shared by `status` and the console header. */
import type { MirrorTopic, Snapshot } from '../monitor/snapshot.js';
import { freshnessLevel, HEARTBEAT_THRESHOLDS } from './freshness.js';
import { clusterReplicaHealth, describeReplicaHealth } from './replicas.js';

export type Verdict = 'healthy' | 'degraded' | 'unreachable';

export interface Assessment {
  verdict: Verdict;
  /** One line each, worst first. */
  problems: string[];
}

/** A missing topic's name, with the target's reason for refusing to create it when known. */
export function withRefusal(target: string, refused: ReadonlyMap<string, string> | undefined): string {
  const why = refused?.get(target);
  return why === undefined ? target : `${target} (the target refuses it: ${why})`;
}

export function assess(snapshot: Snapshot): Assessment {
  const problems: string[] = [];
  const { health } = snapshot;
  for (const role of ['source', 'target'] as const) {
    if (health[role].configured && !health[role].ok)
      problems.push(health[role].lastError ?? `${role} cluster unreachable`);
  }
  if (problems.length > 0) return { verdict: 'unreachable', problems };

  for (const role of ['source', 'target'] as const) {
    const replicas = describeReplicaHealth(clusterReplicaHealth(snapshot[role].topics));
    if (replicas) problems.push(`${role} cluster: ${replicas} partition(s)`);
  }
  for (const name of ['mm2-internal', 'metrics', 'connect'] as const) {
    if (health[name].configured && !health[name].ok)
      problems.push(health[name].lastError ?? `${health[name].label} failed`);
  }
  for (const connector of snapshot.connectors) {
    if (connector.state !== 'RUNNING') problems.push(`connector ${connector.name} is ${connector.state}`);
    for (const task of connector.tasks) {
      if (task.state !== 'RUNNING')
        problems.push(
          `connector ${connector.name} task ${task.id} is ${task.state}${task.trace ? `: ${task.trace}` : ''}`,
        );
    }
  }
  const mm1 = snapshot.mirror.kind === 'mm1';
  if (mm1) problems.push(...mm1Problems(snapshot));
  if (!mm1 && snapshot.connectors.length === 0 && (health.connect.configured || health.metrics.configured)) {
    problems.push('no MirrorMaker 2 connector found (neither Connect REST nor status metrics name one)');
  }
  const flow = `${snapshot.flow.source}->${snapshot.flow.target}`;
  const heartbeat = snapshot.heartbeats.find(
    (h) => h.source === snapshot.flow.source && h.target === snapshot.flow.target,
  );
  if (health['mm2-internal'].configured && health['mm2-internal'].ok) {
    if (!heartbeat) problems.push(`no heartbeat for ${flow} on the target`);
    else if (freshnessLevel(heartbeat.ageMs, HEARTBEAT_THRESHOLDS) === 'crit') {
      problems.push(`heartbeat for ${flow} is ${Math.round(heartbeat.ageMs / 1000)} s old`);
    }
  }
  if (
    !mm1 &&
    health.metrics.configured &&
    health.metrics.ok &&
    snapshot.metrics &&
    snapshot.metrics.partitions.length === 0
  ) {
    const found = snapshot.metrics.families.slice(0, 5).join(', ');
    problems.push(
      `no MM2 source-connector metrics at the metrics endpoint (families found: ${found || 'none'})`,
    );
  }
  const missing = snapshot.mirror.topics.filter((t) => t.state === 'missing');
  problems.push(...missingProblems(missing, snapshot.mirror.refusedTopics));
  const mismatched = snapshot.mirror.topics.filter((m) => m.state === 'partition-mismatch');
  const partitions = (t: MirrorTopic) =>
    `${t.targetPartitions} partitions on the target, ${t.sourcePartitions} on the source`;
  if (mismatched.length <= NAMED_IN_FULL)
    for (const t of mismatched) problems.push(`topic ${t.target} has ${partitions(t)}`);
  else
    problems.push(
      `${mismatched.length} topic(s) with other partition counts on the target: ${namedFew(mismatched.map((t) => `${t.target} (${partitions(t)})`))}`,
    );
  return { verdict: problems.length > 0 ? 'degraded' : 'healthy', problems };
}

/** Up to this many topics are named with all they have to say; past it, they are counted and a few named. */
export const NAMED_IN_FULL = 10;
/** Names shown before `and N more`. */
const NAMED_OF_MANY = 3;
/** Reasons of refusal listed apart, past NAMED_IN_FULL missing topics; the others are counted. */
const REASONS_LISTED = 3;

/** The first few of `items`, and how many more. */
export function namedFew(items: readonly string[]): string {
  const shown = items.slice(0, NAMED_OF_MANY).join(', ');
  return items.length > NAMED_OF_MANY ? `${shown} and ${items.length - NAMED_OF_MANY} more` : shown;
}

/** Topics by the target's reason for refusing them, the most common reason first. */
export function topicsByReason(refusals: Iterable<readonly [string, string]>): Array<[string, string[]]> {
  const byReason = new Map<string, string[]>();
  for (const [topic, reason] of refusals) {
    const topics = byReason.get(reason);
    if (topics) topics.push(topic);
    else byReason.set(reason, [topic]);
  }
  return [...byReason].sort((a, b) => b[1].length - a[1].length);
}

/**
 * The missing topics, each with the target's reason when it refuses it. At scale (a dynamic broker config
 * the target refuses keeps every topic missing: thousands) one line of names and one per reason, each
 * counted with a few names: `status` and `verify` stay readable.
 */
export function missingProblems(
  missing: readonly Pick<MirrorTopic, 'target'>[],
  refused: ReadonlyMap<string, string> | undefined,
): string[] {
  if (missing.length === 0) return [];
  if (missing.length <= NAMED_IN_FULL)
    return [
      `${missing.length} topic(s) missing on the target: ${missing.map((t) => withRefusal(t.target, refused)).join(', ')}`,
    ];
  const reasons = topicsByReason(
    missing.flatMap((t): Array<[string, string]> => {
      const why = refused?.get(t.target);
      return why === undefined ? [] : [[t.target, why]];
    }),
  );
  const lines = [
    `${missing.length} topic(s) missing on the target: ${namedFew(missing.map((t) => t.target))}`,
  ];
  for (const [why, topics] of reasons.slice(0, REASONS_LISTED))
    lines.push(`${topics.length} of them refused by the target (${namedFew(topics)}): ${why}`);
  if (reasons.length > REASONS_LISTED) {
    const others = reasons.slice(REASONS_LISTED);
    const count = others.reduce((n, [, topics]) => n + topics.length, 0);
    lines.push(
      `${count} more refused by the target for ${others.length} other reason(s) (verify --all lists each)`,
    );
  }
  return lines;
}

/** MirrorMaker 1 has no heartbeats or connectors: its group on the source tells whether it runs. */
function mm1Problems(snapshot: Snapshot): string[] {
  const view = snapshot.mirror.mm1;
  if (!view) return [];
  const problems: string[] = [];
  if (view.state === null || view.committedPartitions === 0)
    problems.push(`MirrorMaker 1 group ${view.group} has no committed offset on the source`);
  else if (view.members === 0)
    problems.push(`MirrorMaker 1 group ${view.group} has no members (${view.state}): MM1 is not running`);
  const m = snapshot.metrics?.mm1;
  if (snapshot.health.metrics.ok && m && m.recordsSent === null)
    problems.push('no MirrorMaker 1 producer metrics at the metrics endpoint (record-send)');
  if (m && (m.recordErrors ?? 0) > 0) problems.push(`MirrorMaker 1 producer send errors: ${m.recordErrors}`);
  return problems;
}
