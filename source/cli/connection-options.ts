import type { Argv } from 'yargs';
import type { Connection, ConnectionFlags } from '../config/connection.js';
import { fetchConnectionInfo, isConnectionInfoUrl } from '../config/connection-info.js';
import { ConfigError } from '../config/errors.js';
import { type FlowFlags, resolveFlows } from '../config/flows.js';
import { resolveMirrorSettings } from '../config/mirror-kind.js';
import { findLab } from '../lab/lab-status.js';
import { EXIT, UserError } from './errors.js';

export interface ConnectionArgs {
  lab?: string | boolean;
  source?: string;
  target?: string;
  'source-config'?: string;
  'target-config'?: string;
  'source-alias'?: string;
  'target-alias'?: string;
  'mm2-config'?: string;
  'metrics-url'?: string;
  'metrics-timeout': number;
  'connect-url'?: string;
  'offsets-topic'?: string;
  policy?: 'identity' | 'default';
  /** Set by the middleware when `--source`/`--target` was a connection-info URL (then the flag holds its brokers). */
  'source-connection-url'?: string;
  'target-connection-url'?: string;
  /** `--cluster alias=host:port,...` (repeatable); `topics` keeps its own `--cluster source|target|both`. */
  cluster?: string[] | string;
  flow?: string[];
  json: boolean;
  debug: boolean;
  mirror?: string;
  'mm1-group'?: string;
  'mm1-include'?: string;
  'auto-offset-reset'?: string;
}

/** The connection flags every command shares. */
export function withConnectionOptions<T>(
  yargs: Argv<T>,
  options: { namedClusters?: boolean } = {},
): Argv<T & ConnectionArgs> {
  const withClusters =
    options.namedClusters === false
      ? yargs
      : yargs.option('cluster', {
          type: 'string',
          array: true,
          describe:
            'a cluster by name, ALIAS=host:port,... (repeat it; flows between them, or the --flow ones)',
        });
  return withClusters
    .option('lab', {
      describe:
        'attach to the running lab (optionally: its state directory); the default when no cluster is given',
    })
    .option('source', {
      type: 'string',
      describe:
        'source cluster bootstrap servers (host:port,...), or a connection-info URL (http(s)://.../v1/connection)',
    })
    .option('target', {
      type: 'string',
      describe: 'target cluster bootstrap servers, or a connection-info URL',
    })
    .middleware((argv) => resolveConnectionUrls(argv as Partial<ConnectionArgs>))
    .option('source-config', {
      type: 'string',
      describe: 'Kafka client properties file for the source (security.protocol, sasl.*, ssl.*)',
    })
    .option('target-config', { type: 'string', describe: 'Kafka client properties file for the target' })
    .option('source-alias', {
      type: 'string',
      describe: 'source cluster alias in MM2 (default: from mm2.properties or the lab)',
    })
    .option('target-alias', { type: 'string', describe: 'target cluster alias in MM2' })
    .option('mm2-config', {
      type: 'string',
      describe: 'read clusters, flow, policy and credentials from an MM2 properties file',
    })
    .option('metrics-url', {
      type: 'string',
      describe: "MM2's Prometheus endpoint (JMX exporter), e.g. http://mm2:9099/metrics",
    })
    .option('metrics-timeout', {
      type: 'number',
      default: 15,
      describe: 'seconds one metrics scrape may take (a large exporter page can need several)',
    })
    .option('connect-url', { type: 'string', describe: 'Kafka Connect REST URL running the MM2 connectors' })
    .option('offsets-topic', {
      type: 'string',
      describe: "the Connect offsets topic holding MM2's positions (default: discovered)",
    })
    .option('policy', {
      choices: ['identity', 'default'] as const,
      describe: 'replication policy (topic naming on the target)',
    })
    .option('mirror', {
      choices: ['mm2', 'mm1'] as const,
      describe: 'the mirror: MirrorMaker 2 (default), or MirrorMaker 1 (kafka.tools.MirrorMaker)',
    })
    .option('mm1-group', {
      type: 'string',
      describe: "MirrorMaker 1's consumer group on the source (implies --mirror mm1; default mirrormaker)",
    })
    .option('mm1-include', {
      type: 'string',
      describe: "MirrorMaker 1's --include/--whitelist regex: the topics it mirrors (default: all)",
    })
    .option('auto-offset-reset', {
      choices: ['earliest', 'latest'] as const,
      describe:
        'auto.offset.reset of your consumers: where a group moved to the target starts (MM1 translates no offsets; default latest)',
    })
    .option('flow', {
      type: 'string',
      array: true,
      describe:
        'only this flow, SOURCE->TARGET (repeatable); default: every enabled flow of --mm2-config, the lab or --cluster',
    })
    .option('json', { type: 'boolean', default: false, describe: 'print JSON (shapes in the README)' })
    .option('debug', {
      type: 'boolean',
      default: false,
      describe: 'print request counts and timings per refresh on stderr',
    }) as Argv<T & ConnectionArgs>;
}

/**
 * `--source`/`--target` given as a connection-info URL: the broker list is read from it before the command
 * runs (the URL is kept, for the poller to read it again when the cluster stops answering).
 */
async function resolveConnectionUrls(argv: Partial<ConnectionArgs>): Promise<void> {
  for (const role of ['source', 'target'] as const) {
    const value = argv[role];
    if (typeof value !== 'string' || !isConnectionInfoUrl(value)) continue;
    try {
      const brokers = await fetchConnectionInfo(value.trim(), role);
      argv[`${role}-connection-url`] = value.trim();
      argv[role] = brokers.join(',');
    } catch (error) {
      if (error instanceof ConfigError) throw new UserError(error.message, EXIT.unreachable);
      throw error;
    }
  }
}

/** `--metrics-timeout` in milliseconds; a value that is not a positive number is bad input. */
export function metricsTimeoutMs(args: ConnectionArgs): number {
  const seconds = args['metrics-timeout'];
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0)
    throw new UserError('--metrics-timeout must be a positive number of seconds', EXIT.usage);
  return Math.round(seconds * 1000);
}

/** The first flow's connection: commands that follow one flow (`--flow` chooses it). */
export function connectionFrom(args: ConnectionArgs): Connection {
  return connectionsFrom(args)[0] as Connection;
}

/** One connection per flow, in order; `--flow` narrows them. */
export function connectionsFrom(args: ConnectionArgs): Connection[] {
  const flags: ConnectionFlags & FlowFlags = {
    ...(args.lab !== undefined
      ? { lab: args.lab === true || args.lab === '' ? true : String(args.lab) }
      : {}),
    ...(args.source ? { source: args.source } : {}),
    ...(args.target ? { target: args.target } : {}),
    ...(args['source-config'] ? { sourceConfig: args['source-config'] } : {}),
    ...(args['target-config'] ? { targetConfig: args['target-config'] } : {}),
    ...(args['source-alias'] ? { sourceAlias: args['source-alias'] } : {}),
    ...(args['target-alias'] ? { targetAlias: args['target-alias'] } : {}),
    ...(args['mm2-config'] ? { mm2Config: args['mm2-config'] } : {}),
    ...(args['metrics-url'] ? { metricsUrl: args['metrics-url'] } : {}),
    ...(args['connect-url'] ? { connectUrl: args['connect-url'] } : {}),
    ...(args['offsets-topic'] ? { offsetsTopic: args['offsets-topic'] } : {}),
    ...(args.policy ? { policy: args.policy } : {}),
    ...(args['source-connection-url'] ? { sourceConnectionUrl: args['source-connection-url'] } : {}),
    ...(args['target-connection-url'] ? { targetConnectionUrl: args['target-connection-url'] } : {}),
    ...(Array.isArray(args.cluster) && args.cluster.length > 0 ? { clusters: args.cluster } : {}),
    ...(args.flow && args.flow.length > 0 ? { flows: args.flow } : {}),
  };
  try {
    return resolveFlows(flags, findLab).map((connection) => {
      const mirror = resolveMirrorSettings(
        {
          ...(args.mirror ? { mirror: args.mirror } : {}),
          ...(args['mm1-group'] !== undefined ? { mm1Group: args['mm1-group'] } : {}),
          ...(args['mm1-include'] !== undefined ? { mm1Include: args['mm1-include'] } : {}),
          ...(args['auto-offset-reset'] ? { autoOffsetReset: args['auto-offset-reset'] } : {}),
        },
        connection.mirror?.mm1,
      );
      // MM1 keeps topic names: its mirror of `orders` is `orders` (no replication policy).
      if (mirror.kind === 'mm1')
        return { ...connection, mirror, policy: { ...connection.policy, kind: 'identity' as const } };
      return { ...connection, mirror };
    });
  } catch (error) {
    if (error instanceof ConfigError) throw new UserError(error.message, EXIT.usage);
    throw error;
  }
}
