/**
 * The MM2 migration runbook of the seeds as ordered live checks: topics and configs on the target,
 * MM2 caught up, producers stopped, consumer groups drained, their offsets checkpointed and synced,
 * the groups started on the target, then the mirror stopped. Pure: what needs time (when the source
 * was last written, how far behind MM2 is, how each target group evaluates) comes in as signals.
 */
import type { GroupInfo, Snapshot } from '../monitor/snapshot.js';
import type { ConvergenceStatus } from './convergence.js';
import { cutoverGate, type GateCheck, type GateReason } from './cutover.js';
import { missingProblems, namedFew } from './verdict.js';

export type RunbookStepId =
  | 'topics-present'
  | 'mm2-caught-up'
  | 'producers-stopped'
  | 'groups-drained'
  | 'offsets-synced'
  | 'groups-on-target'
  | 'mirror-stopped';

/** `waiting`: a step before it is not done yet (its own check may already hold: `met`). */
export type RunbookStatus = 'done' | 'not-done' | 'waiting';

export interface RunbookStep {
  id: RunbookStepId;
  /** 1-based, as the runbook numbers it. */
  number: number;
  title: string;
  /** Its own check holds now, whatever the steps before say. */
  met: boolean;
  status: RunbookStatus;
  done: boolean;
  /** One line: why it is (not) met. */
  reason: string;
  /** What holds it back, worst first (topics, groups), at most a few. */
  blockers: string[];
}

export interface Runbook {
  ready: boolean;
  steps: RunbookStep[];
  /** The first step not done; null when ready. */
  current: RunbookStep | null;
}

/** A topic config set on the source that MM2 has not given the target copy (sync.topic.configs). */
export interface ConfigDrift {
  /** Source-side topic name. */
  topic: string;
  config: string;
  source: string;
  /** null: not set on the target topic (its default applies). */
  target: string | null;
}

export interface RunbookSignals {
  nowMs: number;
  /** Since when the source log ends have been watched; null before the first observation. */
  watchedSinceMs: number | null;
  /**
   * Per mirrored source topic, the newest time it was written to, where known (its log end seen
   * moving, or its newest record's timestamp); a topic absent has not been written since watchedSinceMs.
   */
  lastWriteMs: ReadonlyMap<string, number>;
  /** How many seconds the target is behind the source (MM2 overall); null when unknown. */
  mm2BehindSeconds: number | null;
  /** Target-side group id → its evaluation; absent while not evaluated. */
  targetGroupStatus: ReadonlyMap<string, ConvergenceStatus>;
  /** Config differences of the mirrored topics; null while not compared. */
  configDrift: readonly ConfigDrift[] | null;
}

export interface RunbookOptions {
  /** Step 2: MM2 may be this many seconds behind at most. */
  maxBehindSeconds: number;
  /** Step 3: no new record on any mirrored source topic for this long. */
  quietSeconds: number;
  /** The groups being moved; null or empty: every source group with offsets on a mirrored topic. */
  groups?: readonly string[] | null;
}

export const DEFAULT_MAX_BEHIND_SECONDS = 5;
export const DEFAULT_QUIET_SECONDS = 30;

export const RUNBOOK_TITLES: Readonly<Record<RunbookStepId, string>> = {
  'topics-present': 'topics and configs present on the target',
  'mm2-caught-up': 'MirrorMaker 2 caught up',
  'producers-stopped': 'producers stopped on the source',
  'groups-drained': 'consumer groups drained on the source',
  'offsets-synced': 'group offsets checkpointed and synced to the target',
  'groups-on-target': 'groups started on the target and evaluated OK',
  'mirror-stopped': 'mirror stopped',
};

const ORDER: readonly RunbookStepId[] = [
  'topics-present',
  'mm2-caught-up',
  'producers-stopped',
  'groups-drained',
  'offsets-synced',
  'groups-on-target',
  'mirror-stopped',
];

interface Check {
  met: boolean;
  reason: string;
  blockers: string[];
}

function seconds(ms: number): string {
  return `${Math.max(0, Math.floor(ms / 1000))} s`;
}

function groupOf(check: GateCheck): string {
  return check.subject.replace(/^group /, '');
}

function withReasons(checks: readonly GateCheck[], reasons: readonly GateReason[]): GateCheck[] {
  return checks
    .filter((c) => reasons.includes(c.reason))
    .sort((a, b) => Number(a.ok) - Number(b.ok) || b.magnitude - a.magnitude);
}

function topicsPresent(s: Snapshot, signals: RunbookSignals): Check {
  const absent = s.mirror.topics.filter((t) => t.state === 'missing');
  const mismatched = s.mirror.topics.filter((t) => t.state === 'partition-mismatch');
  if (absent.length > 0 || mismatched.length > 0) {
    const parts = [
      // As status says it: past ten topics, the target's reasons once each, with a count.
      ...missingProblems(absent, s.mirror.refusedTopics),
      ...(mismatched.length > 0
        ? [
            `another partition count: ${namedFew(mismatched.map((t) => `${t.target} (${t.sourcePartitions}/${t.targetPartitions})`))}`,
          ]
        : []),
    ];
    return {
      met: false,
      reason: parts.join('; '),
      blockers: [...absent, ...mismatched].map((t) => t.target),
    };
  }
  const drift = signals.configDrift;
  if (drift === null)
    return {
      met: false,
      reason: `${s.mirror.topics.length} topic(s) present; configs not compared yet`,
      blockers: [],
    };
  if (drift.length > 0) {
    const text = drift.map((d) => `${d.topic} ${d.config}=${d.source} (target ${d.target ?? 'default'})`);
    return {
      met: false,
      reason: `config not synced: ${namedFew(text)}`,
      blockers: [...new Set(drift.map((d) => d.topic))],
    };
  }
  return {
    met: true,
    reason: `${s.mirror.topics.length} topic(s) present with the source's partition counts and configs`,
    blockers: [],
  };
}

function mm2CaughtUp(s: Snapshot, signals: RunbookSignals, options: RunbookOptions): Check {
  const unknown = s.mirror.topics.filter((t) => t.state !== 'missing' && t.lag === null);
  const lagging = s.mirror.topics.filter((t) => (t.lag ?? 0) > 0).sort((a, b) => (b.lag ?? 0) - (a.lag ?? 0));
  const behind = signals.mm2BehindSeconds;
  const behindText = behind === null ? '' : `, ${behind.toFixed(behind < 10 ? 1 : 0)} s behind`;
  if (unknown.length > 0)
    return {
      met: false,
      reason: `MM2's position unknown for ${namedFew(unknown.map((t) => t.source))}`,
      blockers: unknown.map((t) => t.source),
    };
  if (lagging.length > 0) {
    const total = lagging.reduce((n, t) => n + (t.lag ?? 0), 0);
    // With lag, 0 s only means the lagging partitions could not be dated: say nothing then.
    return {
      met: false,
      reason: `MM2 lag ${total} record(s)${behind !== null && behind > 0 ? behindText : ''}: ${namedFew(lagging.map((t) => `${t.source} ${t.lag}`))}`,
      blockers: lagging.map((t) => t.source),
    };
  }
  if (behind !== null && behind > options.maxBehindSeconds)
    return {
      met: false,
      reason: `MM2 lag 0 but ${behind.toFixed(0)} s behind (at most ${options.maxBehindSeconds} s)`,
      blockers: [],
    };
  return { met: true, reason: `MM2 lag 0 on ${s.mirror.topics.length} topic(s)${behindText}`, blockers: [] };
}

function producersStopped(s: Snapshot, signals: RunbookSignals, options: RunbookOptions): Check {
  const { nowMs, watchedSinceMs } = signals;
  const needMs = options.quietSeconds * 1000;
  const quiet = s.mirror.topics
    .map((t) => {
      const last = signals.lastWriteMs.get(t.source);
      // A topic with no record in any partition has no newest write to date, and needs none: a write
      // would have made it non-empty.
      const empty =
        t.partitions.length > 0 &&
        t.partitions.every((p) => p.sourceLatest !== null && p.sourceLatest === p.sourceEarliest);
      return {
        topic: t.source,
        known: last !== undefined || empty,
        quietMs:
          last === undefined && empty ? Number.POSITIVE_INFINITY : nowMs - (last ?? watchedSinceMs ?? nowMs),
      };
    })
    .sort((a, b) => a.quietMs - b.quietMs);
  const written = quiet.filter((q) => q.quietMs < needMs);
  if (written.length === 0)
    return {
      met: true,
      reason: `no new record on ${s.mirror.topics.length} mirrored topic(s) for ${options.quietSeconds} s or more`,
      blockers: [],
    };
  const first = written[0]!;
  if (!first.known && watchedSinceMs === null)
    return { met: false, reason: 'the source log ends are not watched yet', blockers: [] };
  const newest = written.filter((q) => q.known);
  if (newest.length === 0)
    return {
      met: false,
      reason: `no new record for ${seconds(first.quietMs)} (watched that long; need ${options.quietSeconds} s)`,
      blockers: [],
    };
  return {
    met: false,
    reason: `written ${seconds(newest[0]!.quietMs)} ago (need ${options.quietSeconds} s quiet): ${namedFew(newest.map((q) => q.topic))}`,
    blockers: newest.map((q) => q.topic),
  };
}

function groupsDrained(checks: readonly GateCheck[]): Check {
  const relevant = withReasons(checks, ['group-source-lag', 'group-caught-up']);
  if (relevant.length === 0)
    return { met: true, reason: 'no consumer group has offsets on the mirrored topics', blockers: [] };
  // Such a group's lag counts records that are gone: its consumers reset rather than drain it.
  const deleted = withReasons(checks, ['group-below-log-start']);
  const unread =
    deleted.length > 0
      ? `; committed below the log start (records deleted unread, consumers reset per auto.offset.reset): ${namedFew(deleted.map((c) => `${groupOf(c)} (${c.magnitude} partition(s))`))}`
      : '';
  const lagging = relevant.filter((c) => !c.ok);
  if (lagging.length === 0)
    return { met: true, reason: `${relevant.length} group(s) at lag 0 on the source${unread}`, blockers: [] };
  const total = lagging.reduce((n, c) => n + c.magnitude, 0);
  return {
    met: false,
    reason: `lag ${total} on the source: ${namedFew(lagging.map((c) => `${groupOf(c)} ${c.magnitude}`))}${unread}`,
    blockers: lagging.map(groupOf),
  };
}

function offsetsSynced(checks: readonly GateCheck[]): Check {
  const relevant = withReasons(checks, ['group-no-checkpoint', 'group-not-synced', 'group-synced']);
  if (relevant.length === 0) return { met: true, reason: 'no consumer group to translate', blockers: [] };
  const reread = withReasons(checks, ['group-reread']);
  const rereadRecords = reread.reduce((n, c) => n + c.magnitude, 0);
  const gap =
    rereadRecords > 0
      ? `; moved now they re-read ${rereadRecords} record(s) (translation gap, offset.lag.max): ${namedFew(reread.map((c) => `${groupOf(c)} ${c.magnitude}`))}`
      : '';
  const failing = relevant.filter((c) => !c.ok);
  if (failing.length === 0)
    return { met: true, reason: `${relevant.length} group(s) checkpointed and synced${gap}`, blockers: [] };
  const noCheckpoint = failing.filter((c) => c.reason === 'group-no-checkpoint');
  const notSynced = failing.filter((c) => c.reason === 'group-not-synced');
  const parts = [
    ...(noCheckpoint.length > 0
      ? [
          `no checkpoint of the current source offset: ${namedFew(noCheckpoint.map((c) => `${groupOf(c)} (${c.magnitude} partition(s))`))}`,
        ]
      : []),
    ...(notSynced.length > 0
      ? [
          `checkpointed, not yet synced to the target group: ${namedFew(notSynced.map((c) => `${groupOf(c)} (${c.magnitude} partition(s))`))}`,
        ]
      : []),
  ];
  return { met: false, reason: parts.join('; ') + gap, blockers: failing.map(groupOf) };
}

function groupsOnTarget(moving: readonly string[], s: Snapshot, signals: RunbookSignals): Check {
  if (moving.length === 0) return { met: true, reason: 'no consumer group to start', blockers: [] };
  const target = new Map<string, GroupInfo>(s.target.groups.map((g) => [g.group, g]));
  const problems: string[] = [];
  const blockers: string[] = [];
  for (const group of moving) {
    const info = target.get(group);
    const status = signals.targetGroupStatus.get(group);
    let problem: string | null = null;
    if (!info || info.members === 0) problem = `${group} not started (no member)`;
    else if (status === undefined) problem = `${group} not evaluated yet`;
    else if (status !== 'OK') problem = `${group} ${status}`;
    if (problem !== null) {
      problems.push(problem);
      blockers.push(group);
    }
  }
  if (problems.length === 0)
    return {
      met: true,
      reason: `${moving.length} group(s) consuming on the target, evaluated OK`,
      blockers: [],
    };
  return { met: false, reason: `on the target: ${namedFew(problems)}`, blockers };
}

const STOPPED_STATES = new Set(['STOPPED', 'PAUSED']);
const MIRROR_CONNECTOR = /Mirror(Source|Checkpoint|Heartbeat)Connector/;

function mirrorStopped(s: Snapshot): Check {
  const connectors = s.connectors.filter((c) => MIRROR_CONNECTOR.test(c.name));
  if (connectors.length === 0) {
    // Dedicated MM2 has no REST API: its connector states come from its metrics, gone with the process.
    const metrics = s.health.metrics;
    if (!s.health.connect.configured && metrics.configured && !metrics.ok && metrics.lastSuccessMs !== null)
      return {
        met: true,
        reason: 'the MM2 process does not answer (its metrics endpoint is down)',
        blockers: [],
      };
    return { met: false, reason: 'no MM2 connector state known', blockers: [] };
  }
  const running = connectors.filter((c) => !STOPPED_STATES.has(c.state.toUpperCase()));
  if (running.length === 0)
    return {
      met: true,
      reason: `${connectors.length} connector(s) ${[...new Set(connectors.map((c) => c.state))].join('/')}`,
      blockers: [],
    };
  const states = new Map<string, number>();
  for (const c of running) states.set(c.state, (states.get(c.state) ?? 0) + 1);
  return {
    met: false,
    reason: `${running.length} of ${connectors.length} connector(s) not stopped (${[...states].map(([state, n]) => `${n} ${state}`).join(', ')})`,
    blockers: running.map((c) => c.name),
  };
}

/** The source groups the runbook moves: the ones asked for, else every group with offsets on a mirrored topic. */
export function movingGroups(s: Snapshot, groups?: readonly string[] | null): string[] {
  const mirrored = new Set(s.mirror.topics.map((t) => t.source));
  const wanted = groups && groups.length > 0 ? new Set(groups) : null;
  return s.source.groups
    .filter((g) => (wanted ? wanted.has(g.group) : true))
    .filter((g) => g.partitions.rows().some((p) => p.committed !== null && mirrored.has(p.topic)))
    .map((g) => g.group);
}

export function runbook(s: Snapshot, signals: RunbookSignals, options: RunbookOptions): Runbook {
  const moving = movingGroups(s, options.groups);
  const movingSet = new Set(moving);
  const gate = cutoverGate({
    ...s,
    source: { ...s.source, groups: s.source.groups.filter((g) => movingSet.has(g.group)) },
  });
  const checks: Record<RunbookStepId, () => Check> = {
    'topics-present': () => topicsPresent(s, signals),
    'mm2-caught-up': () => mm2CaughtUp(s, signals, options),
    'producers-stopped': () => producersStopped(s, signals, options),
    'groups-drained': () => groupsDrained(gate.checks),
    'offsets-synced': () => offsetsSynced(gate.checks),
    'groups-on-target': () => groupsOnTarget(moving, s, signals),
    'mirror-stopped': () => mirrorStopped(s),
  };
  let previousDone = true;
  const steps = ORDER.map((id, index): RunbookStep => {
    const check = checks[id]();
    const status: RunbookStatus = !previousDone ? 'waiting' : check.met ? 'done' : 'not-done';
    previousDone = status === 'done';
    return {
      id,
      number: index + 1,
      title: RUNBOOK_TITLES[id],
      met: check.met,
      status,
      done: status === 'done',
      reason: check.reason,
      blockers: check.blockers,
    };
  });
  const current = steps.find((step) => !step.done) ?? null;
  return { ready: current === null, steps, current };
}

/** Whether stopping the mirror now skips a step: every step before `mirror stopped` must be done. */
export function readyToStopMirror(book: Runbook): boolean {
  return book.steps.filter((s) => s.id !== 'mirror-stopped').every((s) => s.done);
}

/** The flow's name as the operator types it to confirm: `old->new`. */
export function flowName(s: Pick<Snapshot, 'flow'>): string {
  return `${s.flow.source}->${s.flow.target}`;
}
