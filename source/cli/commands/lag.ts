import type { Argv } from 'yargs';
import type { AutoOffsetReset } from '../../config/mirror-kind.js';
import { evaluateConvergence } from '../../model/convergence.js';
import { describeMove, groupMoves } from '../../model/mm1.js';
import { partitionKey } from '../../model/partition-key.js';
import type { ClusterRole, GroupProtocol, Snapshot } from '../../monitor/snapshot.js';
import { escapeForTerminal } from '../../util/escape.js';
import { type ConnectionArgs, connectionFrom, withConnectionOptions } from '../connection-options.js';
import { EXIT, UserError } from '../errors.js';
import { json, table } from '../format.js';
import { evaluateSeconds, snapshotOnce, snapshotOver } from '../snapshot-once.js';
import { groupEvaluationDocument, groupEvaluationText } from './evaluation.js';

type Which = ClusterRole | 'both';
interface LagArgs extends ConnectionArgs {
  cluster: Which;
  group?: string[];
  evaluate?: number;
}

export interface LagRow {
  cluster: ClusterRole;
  group: string;
  /** `classic`, or `consumer` for a KIP-848 group (group.protocol=consumer). */
  protocol: GroupProtocol;
  topic: string;
  partition: number;
  currentOffset: number | null;
  logEndOffset: number | null;
  lag: number | null;
  /** The committed offset is below the log start: records the group had not read were deleted (retention). */
  belowLogStart: boolean;
  consumerId: string | null;
  host: string | null;
  clientId: string | null;
  /** Target rows whose offset MM2 translated: the source offset and the checkpoint it came from. */
  translatedFrom?: { upstreamOffset: number; downstreamOffset: number; checkpointAgeMs: number };
  /**
   * MirrorMaker 1 translates no offsets: where this source group would start on the target (its
   * auto.offset.reset) and the records it would re-read or skip there.
   */
  onTarget?: {
    autoOffsetReset: AutoOffsetReset;
    startsAt: number | null;
    reread: number | null;
    skipped: number | null;
  };
}

export function lagRows(snapshot: Snapshot, which: Which, groups: readonly string[]): LagRow[] {
  const roles = which === 'both' ? (['source', 'target'] as const) : [which];
  const wanted = new Set(groups);
  const rows: LagRow[] = [];
  const reset = snapshot.mirror.autoOffsetReset ?? 'latest';
  const moves =
    snapshot.mirror.kind === 'mm1'
      ? new Map(
          groupMoves(snapshot.source.groups, snapshot.mirror.topics, reset).flatMap((m) =>
            m.partitions.map((p) => [`${m.group}\u0000${p.topic}\u0000${p.partition}`, p] as const),
          ),
        )
      : null;
  for (const role of roles) {
    for (const g of snapshot[role].groups) {
      if (wanted.size > 0 && !wanted.has(g.group)) continue;
      const translations = new Map(g.translations.rows().map((t) => [partitionKey(t.topic, t.partition), t]));
      for (const p of g.partitions) {
        const row: LagRow = {
          cluster: role,
          group: g.group,
          protocol: g.protocol,
          topic: p.topic,
          partition: p.partition,
          currentOffset: p.committed,
          logEndOffset: p.logEnd,
          lag: p.lag,
          belowLogStart: p.belowLogStart,
          consumerId: p.owner?.memberId ?? null,
          host: p.owner?.host ?? null,
          clientId: p.owner?.clientId ?? null,
        };
        const t = translations.get(partitionKey(p.topic, p.partition));
        if (t) {
          row.translatedFrom = {
            upstreamOffset: t.upstreamOffset,
            downstreamOffset: t.downstreamOffset,
            checkpointAgeMs: Math.max(0, snapshot.takenAtMs - t.recordTimestampMs),
          };
        }
        const move =
          role === 'source' ? moves?.get(`${g.group}\u0000${p.topic}\u0000${p.partition}`) : undefined;
        if (move)
          row.onTarget = {
            autoOffsetReset: reset,
            startsAt: move.startsAt,
            reread: move.reread,
            skipped: move.skipped,
          };
        rows.push(row);
      }
    }
  }
  return rows;
}

export function lagCommand(yargs: Argv) {
  return yargs.command<LagArgs>(
    'lag',
    'consumer-group offsets and lag per partition, as kafka-consumer-groups --describe, with MM2-translated offsets on the target',
    (y) =>
      withConnectionOptions(y, { namedClusters: false })
        .option('cluster', { choices: ['source', 'target', 'both'] as const, default: 'both' as const })
        .option('group', { type: 'string', array: true, describe: 'only these groups (repeatable)' })
        .option('evaluate', {
          type: 'number',
          describe:
            'sample for SECONDS, then evaluate each group (OK, WARN, STALL, STOP, REWIND; seconds behind, trend, ETA); exit 0 when every group is OK, 1 otherwise',
        })
        .epilog(
          'Exit codes: 0 done (with --evaluate: every group OK), 1 with --evaluate: a group is not OK, 2 a cluster unreachable, 3 bad input.',
        ),
    async (args) => {
      const evaluate = evaluateSeconds(args.evaluate);
      const connection = connectionFrom(args);
      const required: ClusterRole[] = args.cluster === 'both' ? ['source', 'target'] : [args.cluster];
      // With MM1, where a source group would start on the target needs the target's offsets too.
      const mm1 = connection.mirror?.kind === 'mm1';
      const sources =
        args.cluster === 'source'
          ? [...required, ...(mm1 ? (['target'] as const) : [])]
          : [...required, 'mm2-internal' as const];
      const snapshot =
        evaluate === undefined
          ? await snapshotOnce(connection, { sources, required, debug: args.debug })
          : await snapshotOver(connection, evaluate, { sources, required, debug: args.debug });
      const groups = args.group ?? [];
      const roles = args.cluster === 'both' ? (['source', 'target'] as const) : [args.cluster];
      for (const group of groups) {
        if (!roles.some((role) => snapshot[role].groups.some((g) => g.group === group))) {
          throw new UserError(
            `unknown group '${group}' on the ${roles.join(' and ')} cluster${roles.length > 1 ? 's' : ''}`,
            EXIT.usage,
          );
        }
      }
      if (evaluate !== undefined) {
        const wanted = new Set(groups);
        const evaluated = evaluateConvergence(snapshot).groups.filter(
          (g) => roles.includes(g.cluster) && (wanted.size === 0 || wanted.has(g.group)),
        );
        process.stdout.write(
          args.json
            ? json({
                evaluatedSeconds: evaluate,
                takenAt: new Date(snapshot.takenAtMs).toISOString(),
                groups: evaluated.map(groupEvaluationDocument),
              })
            : groupEvaluationText(evaluated, evaluate),
        );
        process.exitCode = evaluated.every((g) => g.status === 'OK') ? EXIT.ok : EXIT.degraded;
        return;
      }
      const rows = lagRows(snapshot, args.cluster, groups);
      if (args.json) {
        process.stdout.write(
          json(
            rows.map(({ consumerId, host, clientId, ...rest }) => ({ ...rest, consumerId, host, clientId })),
          ),
        );
      } else {
        process.stdout.write(
          table(
            [
              'CLUSTER',
              'GROUP',
              'TOPIC',
              'PARTITION',
              'CURRENT-OFFSET',
              'LOG-END-OFFSET',
              'LAG',
              'TRANSLATED-FROM',
              'CONSUMER-ID',
              'HOST',
              'CLIENT-ID',
            ],
            rows.map((r) => [
              r.cluster,
              r.group,
              r.topic,
              r.partition,
              r.currentOffset,
              r.logEndOffset,
              r.lag,
              r.translatedFrom
                ? `${r.translatedFrom.upstreamOffset}@source`
                : r.onTarget
                  ? `none (MM1): ${describeMove({ reset: r.onTarget.autoOffsetReset, reread: r.onTarget.reread, skipped: r.onTarget.skipped })}`
                  : '',
              r.consumerId,
              r.host,
              r.clientId,
            ]),
          ),
        );
        // Beside the table, which keeps kafka-consumer-groups' columns for scripts that read them.
        const note = belowLogStartNote(rows);
        if (note !== null) process.stderr.write(note);
      }
      process.exitCode = EXIT.ok;
    },
  );
}

/** The stderr line naming partitions committed below the log start (up to 5), or null when none is. */
export function belowLogStartNote(
  rows: ReadonlyArray<Pick<LagRow, 'cluster' | 'group' | 'topic' | 'partition' | 'belowLogStart'>>,
): string | null {
  const below = rows.filter((r) => r.belowLogStart);
  if (below.length === 0) return null;
  const shown = below
    .slice(0, 5)
    .map((r) => `${r.cluster} ${escapeForTerminal(r.group)} ${escapeForTerminal(r.topic)}/${r.partition}`);
  return `note: ${below.length} partition(s) committed below the log start (records the group had not read were deleted; its consumers reset per auto.offset.reset): ${shown.join(', ')}${below.length > 5 ? ', ...' : ''}\n`;
}
