import type { Argv } from 'yargs';
import { LabError } from '../lab/errors.js';
import {
  type LabStatus,
  labBroker,
  labDown,
  labMirror,
  labReset,
  labStatus,
  labUp,
  prepareLab,
} from '../lab/lab.js';
import type { LabBroker } from '../lab/lab-status.js';
import { defaultStateDir } from '../lab/layout.js';
import { DEFAULT_BROKER_HEAP, DEFAULT_MM2_INTERVAL_SECONDS } from '../lab/record.js';
import { labScale } from '../lab/scale.js';
import { runTraffic } from '../lab/traffic.js';
import { ConnectRestError } from '../mm2/connect-rest.js';
import { EXIT, UserError } from './errors.js';

interface LabArgs {
  'state-dir': string;
  json: boolean;
  mm2: 'connect' | 'dedicated';
  secure: boolean;
  policy: 'identity' | 'default';
  'port-offset': number;
  traffic: boolean;
  brokers: number;
  'broker-heap': string;
  'mm2-interval': number;
  'source-version': '3.9' | '2.8';
  mirror: 'mm2' | 'mm1';
  flows: 'one' | 'both';
}

function progress(json: boolean): (line: string) => void {
  return (line) => {
    if (!json) process.stderr.write(`lab: ${line}\n`);
  };
}

function brokersDown(brokers: LabBroker[]): string {
  const down = brokers.filter((b) => !b.running);
  if (brokers.length === 1 || down.length === 0) return '';
  return ` (${brokers.length} brokers; down: ${down.map((b) => `${b.id}${b.stoppedByOperator ? ' stopped by operator' : ''}`).join(', ')})`;
}

const HEAP = /^[1-9]\d*[mMgG]$/;

export function printLabStatus(status: LabStatus): string {
  const mark = (up: boolean) => (up ? 'up  ' : 'down');
  const lines = [
    `lab ${status.state} (${status.stateDir})`,
    `  source  ${mark(status.source.running)} ${status.source.alias} Kafka ${status.source.version} ${status.source.bootstrap}${brokersDown(status.source.brokers)}`,
    `  target  ${mark(status.target.running)} ${status.target.alias} Kafka ${status.target.version} ${status.target.bootstrap}${brokersDown(status.target.brokers)}${status.target.security ? ` (SASL_SSL ${status.target.security.mechanism}, user ${status.target.security.username}, CA ${status.target.security.caFile})` : ''}`,
    ...(status.source.zookeeper
      ? [`  zookeeper ${mark(status.source.zookeeper.running)} ${status.source.zookeeper.connect}`]
      : []),
    `  mirror  ${mark(status.mirror.running)} ${status.mirror.kind === 'mm1' ? 'mm1 kafka.tools.MirrorMaker' : status.mirror.mode}${status.mirror.stoppedByOperator ? ' (stopped by operator)' : ''}: ${status.mirror.mm1 ? `group ${status.mirror.mm1.group}, include ${status.mirror.mm1.include}` : status.mirror.connectors.join(', ')}`,
    `  connect ${status.connect.url ?? '-'}`,
    `  metrics ${status.metrics.url}`,
    `  traffic ${status.traffic.running ? 'running' : 'off'}`,
    `  kafka jars ${status.kafkaLibDir}`,
  ];
  return `${lines.join('\n')}\n`;
}

function wrap(run: () => Promise<number>): Promise<number> {
  return run().catch((error: unknown) => {
    if (error instanceof LabError) throw new UserError(error.message, EXIT.degraded);
    // Kafka Connect not answering is an unreachable service (exit 2), not a bug.
    if (error instanceof ConnectRestError)
      throw new UserError(error.message, error.status === undefined ? EXIT.unreachable : EXIT.degraded);
    throw error;
  });
}

export function labCommand(yargs: Argv): Argv {
  return yargs
    .option('state-dir', {
      type: 'string',
      alias: 'lab', // what the console and the other commands call it (`mirrorwatch --lab DIR`)
      default: defaultStateDir(),
      defaultDescription: '$MIRRORWATCH_LAB_DIR or ~/.local/state/mirrorwatch/lab',
      describe: 'where the lab keeps data, logs and its record',
    })
    .check((args) => {
      // Given twice (`--lab A --state-dir B`), yargs hands over both: one directory is meant.
      if (Array.isArray(args['state-dir']))
        throw new UserError('give the lab directory once (--lab or --state-dir)', EXIT.usage);
      return true;
    })
    .option('json', { type: 'boolean', default: false, describe: 'print the lab status as one JSON object' })
    .command<LabArgs>(
      'up',
      'start the lab (idempotent) and wait until it is healthy',
      (y) =>
        y
          .option('mm2', {
            choices: ['connect', 'dedicated'] as const,
            default: 'connect' as const,
            describe: 'MM2 in a Connect worker, or the dedicated connect-mirror-maker process',
          })
          .option('secure', {
            type: 'boolean',
            default: false,
            describe: 'target cluster with a SASL_SSL (SCRAM-SHA-512) listener',
          })
          .option('policy', {
            choices: ['identity', 'default'] as const,
            default: 'identity' as const,
            describe: 'replication policy: identity keeps topic names, default prefixes old.',
          })
          .option('flows', {
            choices: ['one', 'both'] as const,
            default: 'one' as const,
            describe:
              "both: MM2 also mirrors new->old (active/active, as Kafka's sample mm2.properties); implies --policy default",
          })
          .option('port-offset', {
            type: 'number',
            default: Number(process.env.MIRRORWATCH_LAB_PORT_OFFSET ?? 0),
            describe: 'added to every default port',
          })
          .option('traffic', {
            type: 'boolean',
            default: false,
            describe: 'keep a low-rate producer and a consumer running on the source',
          })
          .option('brokers', {
            type: 'number',
            default: 1,
            describe: 'brokers per cluster (1-9; node 1 is also the controller); topics get RF min(3, N)',
          })
          .option('broker-heap', {
            type: 'string',
            default: DEFAULT_BROKER_HEAP,
            describe: 'maximum heap of each broker (e.g. 2g: holds 5,000 partitions with 100k records)',
          })
          .option('mm2-interval', {
            type: 'number',
            default: DEFAULT_MM2_INTERVAL_SECONDS,
            describe:
              "seconds between MM2's topic and group refreshes, checkpoints and group-offset syncs (Kafka's defaults: 600 and 60; a scaled lab wants 60)",
          })
          .option('source-version', {
            type: 'string',
            choices: ['3.9', '2.8'] as const,
            default: '3.9' as const,
            describe: 'source Kafka: 3.9.2 (KRaft) or 2.8.2 with ZooKeeper (a legacy cluster)',
          })
          .option('mirror', {
            choices: ['mm2', 'mm1'] as const,
            default: 'mm2' as const,
            describe:
              'MirrorMaker 2 (see --mm2), or MirrorMaker 1 (kafka.tools.MirrorMaker; needs --source-version 2.8)',
          }),
      async (args) => {
        if (args.flows === 'both' && args.mirror === 'mm1')
          throw new UserError(
            '--flows both runs MirrorMaker 2 both ways: MirrorMaker 1 (--mirror mm1) has one flow',
          );
        if (args.flows === 'both' && args.mm2 !== 'connect')
          throw new UserError('--flows both runs the two flows in Kafka Connect: use it with --mm2 connect');
        if (!Number.isInteger(args.brokers) || args.brokers < 1 || args.brokers > 9)
          throw new UserError('--brokers takes a whole number from 1 to 9');
        if (!HEAP.test(args['broker-heap']))
          throw new UserError(
            `--broker-heap takes a JVM size such as 512m or 2g, not '${args['broker-heap']}'`,
          );
        const interval = args['mm2-interval'];
        if (!Number.isInteger(interval) || interval < 1 || interval > 3600)
          throw new UserError('--mm2-interval takes a whole number of seconds from 1 to 3600');
        if (args.mirror === 'mm1' && args['source-version'] !== '2.8')
          throw new UserError(
            '--mirror mm1 runs kafka.tools.MirrorMaker from the 2.8 jars: add --source-version 2.8',
          );
        process.exitCode = await wrap(async () => {
          const started = Date.now();
          await labUp({
            stateDir: args['state-dir'],
            log: progress(args.json),
            traffic: args.traffic,
            settings: {
              mm2: args.mm2,
              secure: args.secure,
              policy: args.flows === 'both' ? 'default' : args.policy,
              portOffset: args['port-offset'],
              brokers: args.brokers,
              brokerHeap: args['broker-heap'],
              ...(interval !== DEFAULT_MM2_INTERVAL_SECONDS ? { mm2IntervalSeconds: interval } : {}),
              ...(args['source-version'] !== '3.9' ? { sourceVersion: args['source-version'] } : {}),
              ...(args.mirror !== 'mm2' ? { mirror: args.mirror } : {}),
              ...(args.flows === 'both' ? { flows: 'both' as const } : {}),
            },
          });
          const status = labStatus({ stateDir: args['state-dir'] });
          if (args.json) process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
          else
            process.stdout.write(
              `${printLabStatus(status)}lab healthy in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
            );
          return EXIT.ok;
        });
      },
    )
    .command<LabArgs>(
      'prepare',
      'resolve the Kafka and exporter jars from Maven Central into the cache (lab up does it too)',
      (y) => y,
      async (args) => {
        process.exitCode = await wrap(async () => {
          const dirs = await prepareLab(progress(args.json));
          process.stdout.write(
            args.json ? `${JSON.stringify(dirs)}\n` : `jars ready: ${Object.values(dirs).join(' ')}\n`,
          );
          return EXIT.ok;
        });
      },
    )
    .command<LabArgs>(
      'down',
      'stop every process the lab started',
      (y) => y,
      async (args) => {
        process.exitCode = await wrap(async () => {
          await labDown({ stateDir: args['state-dir'] });
          if (!args.json) process.stdout.write('lab stopped\n');
          return EXIT.ok;
        });
      },
    )
    .command<LabArgs>(
      'reset',
      'stop the lab and delete its state',
      (y) => y,
      async (args) => {
        process.exitCode = await wrap(async () => {
          await labReset({ stateDir: args['state-dir'] });
          if (!args.json) process.stdout.write(`lab reset: ${args['state-dir']} removed\n`);
          return EXIT.ok;
        });
      },
    )
    .command<LabArgs>(
      'status',
      'show the lab (exit 0 running, 1 degraded, 2 stopped)',
      (y) => y,
      async (args) => {
        const status = labStatus({ stateDir: args['state-dir'] });
        process.stdout.write(args.json ? `${JSON.stringify(status, null, 2)}\n` : printLabStatus(status));
        process.exitCode =
          status.state === 'running'
            ? EXIT.ok
            : status.state === 'degraded'
              ? EXIT.degraded
              : EXIT.unreachable;
      },
    )
    .command<LabArgs & { action: 'stop' | 'start' }>(
      'mirror <action>',
      'stop or start the mirror as an operator would (dedicated: the process; connect: the REST API)',
      (y) => y.positional('action', { choices: ['stop', 'start'] as const, demandOption: true }),
      async (args) => {
        process.exitCode = await wrap(async () => {
          await labMirror({ stateDir: args['state-dir'] }, args.action);
          if (!args.json) process.stdout.write(`mirror ${args.action === 'stop' ? 'stopped' : 'started'}\n`);
          return EXIT.ok;
        });
      },
    )
    .command<LabArgs & { action: 'stop' | 'start'; cluster: 'source' | 'target'; id: number }>(
      'broker <action>',
      'stop or start one broker of a cluster (lab status lists them)',
      (y) =>
        y
          .positional('action', { choices: ['stop', 'start'] as const, demandOption: true })
          .option('cluster', { choices: ['source', 'target'] as const, demandOption: true })
          .option('id', { type: 'number', demandOption: true, describe: 'the broker (node) id, from 1' }),
      async (args) => {
        process.exitCode = await wrap(async () => {
          await labBroker({ stateDir: args['state-dir'] }, args.cluster, args.id, args.action);
          if (!args.json)
            process.stdout.write(
              `${args.cluster} broker ${args.id} ${args.action === 'stop' ? 'stopped' : 'started'}\n`,
            );
          return EXIT.ok;
        });
      },
    )
    .command<LabArgs & { topics: number; partitions: number; groups: number; records: number }>(
      'scale',
      'add load to the running lab: topics scale-NNN, records spread over them, groups scale-group-NNNN with lag',
      (y) =>
        y
          .option('topics', { type: 'number', default: 10, describe: 'topics scale-000, scale-001, ...' })
          .option('partitions', { type: 'number', default: 10, describe: 'partitions per topic' })
          .option('groups', {
            type: 'number',
            default: 20,
            describe: 'groups scale-group-0000, ... with committed offsets (half read)',
          })
          .option('records', {
            type: 'number',
            default: 10_000,
            describe: 'records spread over all partitions',
          }),
      async (args) => {
        for (const name of ['topics', 'partitions', 'groups', 'records'] as const) {
          const value = args[name];
          if (!Number.isInteger(value) || value < 0 || (name === 'partitions' && value < 1))
            throw new UserError(`--${name} takes a whole number${name === 'partitions' ? ' >= 1' : ' >= 0'}`);
        }
        process.exitCode = await wrap(async () => {
          const started = Date.now();
          await labScale(
            { stateDir: args['state-dir'] },
            { topics: args.topics, partitions: args.partitions, groups: args.groups, records: args.records },
            progress(args.json),
          );
          if (!args.json)
            process.stdout.write(
              `lab scaled: ${args.topics} topic(s) x ${args.partitions} partition(s), ${args.groups} group(s), ${args.records} record(s) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
            );
          return EXIT.ok;
        });
      },
    )
    .command<LabArgs>(
      'traffic',
      false,
      (y) => y.option('marker', { type: 'string', hidden: true }),
      async (args) => {
        await runTraffic(args['state-dir']);
      },
    )
    .demandCommand(1, 'lab needs a subcommand: up, down, status, reset, mirror, broker or scale');
}
