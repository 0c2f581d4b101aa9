import type { Argv } from 'yargs';
import { describeReplicaHealth, replicaHealth } from '../../model/replicas.js';
import type { ClusterRole, Snapshot } from '../../monitor/snapshot.js';
import { type ConnectionArgs, connectionsFrom, withConnectionOptions } from '../connection-options.js';
import { EXIT } from '../errors.js';
import { json, table } from '../format.js';
import { snapshotOnce } from '../snapshot-once.js';

type Which = ClusterRole | 'both';
interface TopicsArgs extends ConnectionArgs {
  cluster: Which;
  'exclude-internal': boolean;
}

export interface TopicRow {
  cluster: ClusterRole;
  topic: string;
  partitions: number;
  replicationFactor: number;
  /** Offset span (latest − earliest summed over partitions); kept under this name for compatibility. */
  records: number | null;
  /** The same offset span, named for what it is: not a record count. */
  offsetSpan: number | null;
  /** Partitions with a leader but fewer in-sync replicas than replicas. */
  underReplicatedPartitions: number;
  /** Partitions without a leader. */
  offlinePartitions: number;
  mirror?: { topic: string; state: string };
  /** With several MM2 flows: the flow (`old->new`) this row was read for; one flow: absent. */
  flow?: string;
}

export function topicRows(snapshot: Snapshot, which: Which, excludeInternal: boolean): TopicRow[] {
  const mirrors = new Map(snapshot.mirror.topics.map((m) => [m.source, m]));
  const rows: TopicRow[] = [];
  for (const role of which === 'both' ? (['source', 'target'] as const) : [which]) {
    for (const t of snapshot[role].topics) {
      if (excludeInternal && t.internal) continue;
      const replicas = replicaHealth(t.partitions);
      const row: TopicRow = {
        cluster: role,
        topic: t.name,
        partitions: t.partitions.length,
        replicationFactor: t.replicationFactor,
        records: t.records,
        offsetSpan: t.records,
        underReplicatedPartitions: replicas.underReplicated,
        offlinePartitions: replicas.offline,
      };
      const mirror = role === 'source' && which === 'both' ? mirrors.get(t.name) : undefined;
      if (mirror) row.mirror = { topic: mirror.target, state: mirror.state };
      rows.push(row);
    }
  }
  return rows;
}

export function topicsCommand(yargs: Argv) {
  return yargs.command<TopicsArgs>(
    'topics',
    'list topics: partitions, replication factor, offset span (latest − earliest, not a record count); with --cluster both, each source topic beside its mirror',
    (y) =>
      withConnectionOptions(y, { namedClusters: false })
        .option('cluster', { choices: ['source', 'target', 'both'] as const, default: 'both' as const })
        .option('exclude-internal', {
          type: 'boolean',
          default: false,
          describe: 'leave out internal topics (__consumer_offsets...)',
        }),
    async (args) => {
      const connections = connectionsFrom(args);
      const required: ClusterRole[] = args.cluster === 'both' ? ['source', 'target'] : [args.cluster];
      // With both clusters, MM2's positions tell whether each mirror is in sync.
      const sources =
        args.cluster === 'both' ? [...required, 'mm2-internal' as const, 'connect' as const] : required;
      const rows: TopicRow[] = [];
      for (const connection of connections) {
        const snapshot = await snapshotOnce(connection, { sources, required, debug: args.debug });
        const flow = `${connection.source.alias}->${connection.target.alias}`;
        for (const row of topicRows(snapshot, args.cluster, args['exclude-internal']))
          rows.push(connections.length > 1 ? { ...row, flow } : row);
      }
      if (args.json) {
        process.stdout.write(json(rows));
      } else {
        const withMirror = args.cluster === 'both';
        const withFlow = connections.length > 1;
        process.stdout.write(
          table(
            [
              ...(withFlow ? ['FLOW'] : []),
              'CLUSTER',
              'TOPIC',
              'PARTITIONS',
              'RF',
              'OFFSETS',
              'REPLICAS',
              ...(withMirror ? ['MIRROR', 'STATE'] : []),
            ],
            rows.map((r) => [
              ...(withFlow ? [r.flow ?? ''] : []),
              r.cluster,
              r.topic,
              r.partitions,
              r.replicationFactor,
              r.records,
              describeReplicaHealth({
                offline: r.offlinePartitions,
                underReplicated: r.underReplicatedPartitions,
              }) || 'ok',
              ...(withMirror ? [r.mirror?.topic ?? '', r.mirror?.state ?? ''] : []),
            ]),
          ),
        );
      }
      process.exitCode = EXIT.ok;
    },
  );
}
