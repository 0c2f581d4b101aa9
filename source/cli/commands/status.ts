import type { Argv } from 'yargs';
import { probeFor } from '../../actions/probe.js';
import type { Connection } from '../../config/connection.js';
import { type Convergence, evaluateConvergence } from '../../model/convergence.js';
import { formatAge, SLOW_SOURCE_MS } from '../../model/freshness.js';
import { worstPartitions } from '../../model/lag.js';
import { mirroredTopics } from '../../model/mirror.js';
import { describeMove, groupMoves, MM1_LAG_NOTE } from '../../model/mm1.js';
import { clusterReplicaHealth, describeReplicaHealth } from '../../model/replicas.js';
import { assess } from '../../model/verdict.js';
import { ProbeTopicMissingError } from '../../monitor/probe.js';
import type { Snapshot } from '../../monitor/snapshot.js';
import { convergenceLine, formatBehind, formatTrend } from '../../ui/convergence-text.js';
import {
  type ConnectionArgs,
  connectionsFrom,
  metricsTimeoutMs,
  withConnectionOptions,
} from '../connection-options.js';
import { EXIT, UserError } from '../errors.js';
import { cell, json, table } from '../format.js';
import { probeTopicFrom, withProbeOption } from '../probe-options.js';
import { evaluateSeconds, snapshotOnce, snapshotOver } from '../snapshot-once.js';
import { replicationConvergence } from './evaluation.js';

interface StatusArgs extends ConnectionArgs {
  probe?: string;
  'probe-timeout': number;
  'read-only': boolean;
  evaluate?: number;
}

function probeDocument(snapshot: Snapshot) {
  const p = snapshot.probe;
  if (!p) return null;
  return {
    topic: p.topic,
    targetTopic: p.targetTopic,
    partition: p.partition,
    lastLatencyMs: p.lastLatencyMs,
    pending: p.pendingSinceMs !== null,
    pendingMs: p.pendingSinceMs === null ? null : Math.max(0, p.atMs - p.pendingSinceMs),
    error: p.error,
  };
}

/**
 * The document `status --json` prints. The convergence fields come from the snapshot's offset history:
 * over a `--evaluate` window, or from the one reading (null where one reading cannot tell).
 */
export function statusDocument(snapshot: Snapshot, convergence: Convergence = evaluateConvergence(snapshot)) {
  const assessment = assess(snapshot);
  const evaluated = new Map(convergence.groups.map((g) => [`${g.cluster}\u0000${g.group}`, g]));
  const partitions = mirroredTopics(snapshot).flatMap((t) =>
    t.partitions.map((p) => ({
      topic: t.source,
      partition: p.partition,
      sourceEnd: p.sourceLatest,
      position: p.mm2Position,
      ...(p.mm1Committed !== undefined ? { committed: p.mm1Committed } : {}),
      lag: p.lag,
    })),
  );
  const mm1 = snapshot.mirror.mm1;
  const cluster = (role: 'source' | 'target') => {
    const replicas = clusterReplicaHealth(snapshot[role].topics);
    return {
      alias: snapshot[role].alias,
      bootstrap: snapshot[role].bootstrap,
      reachable: snapshot.health[role].ok,
      version: snapshot[role].version,
      /** Brokers answering: the ones the cluster's metadata lists as alive. */
      brokers: snapshot[role].brokers.length,
      topics: snapshot[role].topics.length,
      offlinePartitions: replicas.offline,
      underReplicatedPartitions: replicas.underReplicated,
    };
  };
  return {
    verdict: assessment.verdict,
    problems: assessment.problems,
    takenAt: new Date(snapshot.takenAtMs).toISOString(),
    clusters: { source: cluster('source'), target: cluster('target') },
    mirror: {
      kind: snapshot.mirror.kind ?? 'mm2',
      ...(mm1
        ? {
            mm1: {
              ...mm1,
              lagNote: MM1_LAG_NOTE,
              recordsSent: snapshot.metrics?.mm1?.recordsSent ?? null,
              recordErrors: snapshot.metrics?.mm1?.recordErrors ?? null,
            },
            groupsOnTarget: groupMoves(
              snapshot.source.groups,
              snapshot.mirror.topics,
              snapshot.mirror.autoOffsetReset ?? 'latest',
            ).map((m) => ({
              group: m.group,
              autoOffsetReset: m.reset,
              reread: m.reread,
              skipped: m.skipped,
            })),
          }
        : {}),
      connectors: snapshot.connectors.map((c) => ({
        name: c.name,
        state: c.state,
        tasks: c.tasks.map((t) => ({ id: t.id, state: t.state })),
      })),
      positionsFrom: snapshot.mirror.positionsFrom,
    },
    heartbeats: snapshot.heartbeats.map((h) => ({ source: h.source, target: h.target, ageMs: h.ageMs })),
    checkpoints: snapshot.checkpoints.map((c) => ({
      group: c.group,
      partitions: c.partitions,
      ageMs: c.ageMs,
    })),
    replication: {
      totalLag: snapshot.mirror.totalLag,
      ...replicationConvergence(convergence.mirror),
      latencyMs: snapshot.timing?.replicationLatencyMs ?? null,
      recordAgeMs: snapshot.timing?.recordAgeMs ?? null,
      timing: snapshot.timing
        ? {
            basis: snapshot.timing.basis,
            replicatingPartitions: snapshot.timing.replicating,
            idlePartitions: snapshot.timing.idle,
            unknownPartitions: snapshot.timing.unknown,
          }
        : null,
      worst: worstPartitions(partitions, 5),
      partitions,
    },
    metrics: {
      ...(snapshot.metrics
        ? { recordCount: snapshot.metrics.totalRecordCount, families: snapshot.metrics.families }
        : { recordCount: null, families: [] }),
      /** How long the last scrape of the endpoint took (a large exporter page can take seconds). */
      scrapeMs: snapshot.health.metrics.ok ? snapshot.health.metrics.durationMs : null,
    },
    groups: (['source', 'target'] as const).flatMap((role) =>
      snapshot[role].groups
        .filter((g) => (g.totalLag ?? 0) > 0)
        .map((g) => ({
          cluster: role,
          group: g.group,
          protocol: g.protocol,
          state: g.state,
          members: g.members,
          lag: g.totalLag,
          ...groupConvergence(evaluated.get(`${role}\u0000${g.group}`)),
        })),
    ),
    stale: Object.values(snapshot.health)
      .filter((h) => h.configured && !h.ok)
      .map((h) => ({
        source: h.name,
        label: h.label,
        lastError: h.lastError,
        lastSuccess: h.lastSuccessMs ? new Date(h.lastSuccessMs).toISOString() : null,
      })),
    probe: probeDocument(snapshot),
    requests: snapshot.requests,
  };
}

function groupConvergence(g: Convergence['groups'][number] | undefined) {
  return {
    status: g?.status ?? null,
    lagSeconds: g?.lagSeconds === null || g === undefined ? null : Math.round(g.lagSeconds * 10) / 10,
    trend: g?.trend ?? null,
    ratePerSecond:
      g?.ratePerSecond === null || g === undefined ? null : Math.round(g.ratePerSecond * 100) / 100,
    etaSeconds: g?.etaSeconds === null || g === undefined ? null : Math.round(g.etaSeconds * 10) / 10,
  };
}

function replicaNote(c: { offlinePartitions: number; underReplicatedPartitions: number }): string {
  const text = describeReplicaHealth({
    offline: c.offlinePartitions,
    underReplicated: c.underReplicatedPartitions,
  });
  return text ? `, ${text} partition(s)` : '';
}

const ms = (v: number | null) => (v === null ? '-' : `${Math.round(v)} ms`);

function timingLine(doc: ReturnType<typeof statusDocument>): string {
  const r = doc.replication;
  const t = r.timing;
  if (!t || t.basis === null) return '  replication latency - (no MM2 age or latency metrics)';
  if (t.basis === 'windowed' && t.replicatingPartitions === 0)
    return `  replication latency idle: no record replicated in MM2's metric window (${t.idlePartitions} partition(s) idle)`;
  const how =
    t.basis === 'windowed'
      ? `max over MM2's metric window, ${t.replicatingPartitions} partition(s) replicating, ${t.idlePartitions} idle`
      : 'last-value gauges: the exporter has no -max/-avg attributes, an idle partition keeps its last value';
  return `  replication latency ${ms(r.latencyMs)}, record age ${ms(r.recordAgeMs)} (${how})`;
}

function probeLine(p: NonNullable<ReturnType<typeof probeDocument>>): string {
  const where = `  probe ${cell(p.topic)}->${cell(p.targetTopic)} partition ${p.partition}`;
  if (p.lastLatencyMs !== null) return `${where}: marker arrived in ${ms(p.lastLatencyMs)}`;
  if (p.error) return `${where}: ${cell(p.error)}`;
  return `${where}: marker pending, not arrived after ${ms(p.pendingMs)}`;
}

function printStatus(doc: ReturnType<typeof statusDocument>): string {
  const lines: string[] = [];
  lines.push(`migration ${doc.verdict.toUpperCase()} at ${doc.takenAt}`);
  for (const role of ['source', 'target'] as const) {
    const c = doc.clusters[role];
    lines.push(
      `  ${role.padEnd(6)} ${cell(c.alias)} ${c.bootstrap.map(cell).join(',')}  ${c.reachable ? `reachable, Kafka ${c.version ?? '?'}, ${c.brokers} broker(s), ${c.topics} topics${replicaNote(c)}` : 'UNREACHABLE'}`,
    );
  }
  for (const c of doc.mirror.connectors) {
    lines.push(
      `  connector ${cell(c.name)} ${c.state} tasks ${c.tasks.map((t) => `${t.id}:${t.state}`).join(' ') || '-'}`,
    );
  }
  for (const h of doc.heartbeats)
    lines.push(`  heartbeat ${cell(h.source)}->${cell(h.target)} ${formatAge(h.ageMs)} ago`);
  const mm1 = doc.mirror.mm1;
  if (mm1)
    lines.push(
      `  mirror MirrorMaker 1, group ${cell(mm1.group)} ${mm1.state ?? 'absent'} with ${mm1.members} member(s), include ${cell(mm1.include ?? '(all topics)')}`,
    );
  lines.push(
    `  replication lag ${doc.replication.totalLag ?? '-'} records${doc.mirror.positionsFrom ? ` (positions from ${cell(doc.mirror.positionsFrom)})` : mm1 ? ' (MM1 positions unknown)' : ' (MM2 positions unknown)'}`,
  );
  if (mm1) lines.push(`    ${mm1.lagNote}`);
  const r = doc.replication;
  lines.push(`  convergence ${convergenceLine({ ...r, lag: r.totalLag, lagSeconds: r.behindSeconds })}`);
  if (!mm1) lines.push(timingLine(doc));
  if (doc.probe) lines.push(probeLine(doc.probe));
  const scrape = doc.metrics.scrapeMs;
  const slow =
    scrape !== null && scrape >= SLOW_SOURCE_MS
      ? ` (metrics endpoint slow: ${(scrape / 1000).toFixed(1)} s)`
      : '';
  if (mm1)
    lines.push(`  MM1 records sent ${mm1.recordsSent ?? '-'}, send errors ${mm1.recordErrors ?? '-'}${slow}`);
  else lines.push(`  MM2 record count ${doc.metrics.recordCount ?? '-'}${slow}`);
  let out = `${lines.join('\n')}\n`;
  if (doc.replication.worst.length > 0) {
    out += `\nworst partitions\n${table(
      ['TOPIC', 'PARTITION', 'SOURCE-END', mm1 ? 'MM1-COMMITTED' : 'MM2-POSITION', 'LAG'],
      doc.replication.worst.map((p) => [
        p.topic,
        p.partition,
        p.sourceEnd,
        mm1 ? (p.committed ?? null) : p.position,
        p.lag,
      ]),
    )}`;
  }
  const moves = doc.mirror.groupsOnTarget ?? [];
  if (moves.length > 0) {
    out += `\ngroups moved to the target (no offset translation with MM1)\n${table(
      ['GROUP', 'STARTS AT', 'ON THE TARGET'],
      moves.map((m) => [m.group, m.autoOffsetReset, describeMove({ ...m, reset: m.autoOffsetReset })]),
    )}`;
  }
  if (doc.groups.length > 0) {
    out += `\ngroups with lag\n${table(
      ['CLUSTER', 'GROUP', 'PROTOCOL', 'STATE', 'MEMBERS', 'LAG', 'STATUS', 'LAG-TIME', 'TREND'],
      doc.groups.map((g) => [
        g.cluster,
        g.group,
        g.protocol,
        g.state,
        g.members,
        g.lag,
        g.status ?? '-',
        formatBehind(g.lagSeconds),
        formatTrend(g),
      ]),
    )}`;
  }
  if (doc.problems.length > 0) out += `\nproblems\n${doc.problems.map((p) => `  - ${cell(p)}`).join('\n')}\n`;
  return out;
}

export function statusCommand(yargs: Argv) {
  return yargs.command<StatusArgs>(
    'status',
    'one snapshot of the migration; exit 0 healthy, 1 degraded, 2 unreachable',
    (y) =>
      withProbeOption(withConnectionOptions(y))
        .option('probe-timeout', {
          type: 'number',
          default: 10,
          describe:
            'with --probe: seconds to wait for the marker on the target (then it is reported pending)',
        })
        .option('read-only', {
          type: 'boolean',
          default: false,
          describe: 'refuse anything that writes (--probe)',
        })
        .option('evaluate', {
          type: 'number',
          describe:
            'sample for SECONDS, then report how far behind MM2 and the groups are, their trend and ETA (exit codes unchanged)',
        }),
    async (args) => {
      const probeTopic = probeTopicFrom(args);
      const timeout = args['probe-timeout'];
      if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 600)
        throw new UserError('--probe-timeout takes a number of seconds between 0 and 600');
      const evaluate = evaluateSeconds(args.evaluate);
      const options = { debug: args.debug, metricsTimeoutMs: metricsTimeoutMs(args) };
      const docs: Array<ReturnType<typeof flowStatusDocument>> = [];
      for (const [index, connection] of connectionsFrom(args).entries()) {
        const snapshot =
          evaluate === undefined
            ? await snapshotOnce(connection, options)
            : await snapshotOver(connection, evaluate, options);
        // The probe topic is a topic of the first flow's source (--flow chooses it).
        const probe = index === 0 ? probeTopic : null;
        docs.push(flowStatusDocument(await withProbe(snapshot, connection, probe, timeout)));
      }
      const doc = docs.length === 1 ? docs[0]! : { ...docs[0]!, flows: docs };
      process.stdout.write(args.json ? json(doc) : docs.map(printFlowStatus).join('\n'));
      process.exitCode = Math.max(...docs.map(verdictExit));
    },
  );
}

function verdictExit(doc: { verdict: string }): number {
  return doc.verdict === 'healthy' ? EXIT.ok : doc.verdict === 'degraded' ? EXIT.degraded : EXIT.unreachable;
}

/** The status document of one flow: `flow` names it (`old->new`); with several flows, `flows` lists them all. */
function flowStatusDocument(snapshot: Snapshot) {
  return { flow: `${snapshot.flow.source}->${snapshot.flow.target}`, ...statusDocument(snapshot) };
}

function printFlowStatus(doc: ReturnType<typeof flowStatusDocument>): string {
  return `flow ${cell(doc.flow)}\n${printStatus(doc)}`;
}

async function withProbe(
  first: Snapshot,
  connection: Connection,
  probeTopic: string | null | undefined,
  timeout: number,
): Promise<Snapshot> {
  let snapshot = first;
  if (probeTopic) {
    const probe = probeFor(connection, probeTopic, 0);
    const down = (['source', 'target'] as const).filter((role) => !snapshot.health[role].ok);
    try {
      const state =
        down.length > 0
          ? { ...probe.state(), error: `not run: ${down.join(' and ')} cluster unreachable` }
          : await probe.once(timeout * 1000);
      snapshot = { ...snapshot, probe: state };
    } catch (error) {
      if (error instanceof ProbeTopicMissingError) throw new UserError(error.message, EXIT.usage);
      throw error;
    } finally {
      await probe.stop();
    }
  }
  return snapshot;
}
