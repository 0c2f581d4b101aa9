import type { Argv } from 'yargs';
import { captureRange, consumeRange, UnknownTopicError } from '../../actions/consume.js';
import { describeKafkaError } from '../../kafka/errors.js';
import type { RawRecord } from '../../kafka/wire-cluster.js';
import { WireCluster } from '../../kafka/wire-cluster.js';
import type { ClusterRole } from '../../monitor/snapshot.js';
import { escapeBytes, escapeForTerminal } from '../../util/escape.js';
import { type ConnectionArgs, connectionFrom, withConnectionOptions } from '../connection-options.js';
import { EXIT, UserError } from '../errors.js';
import { table } from '../format.js';

interface ConsumeArgs extends ConnectionArgs {
  cluster: ClusterRole;
  topic: string;
  'from-beginning': boolean;
  max?: number;
  'count-only': boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** JSON for a key or value: the text when it is UTF-8, else base64. */
function jsonBytes(bytes: Buffer | null): { text: string | null; base64?: string } {
  if (bytes === null) return { text: null };
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    return { text: null, base64: bytes.toString('base64') };
  }
}

function recordJson(partition: number, r: RawRecord) {
  const key = jsonBytes(r.key);
  const value = jsonBytes(r.value);
  return {
    partition,
    offset: r.offset,
    timestamp: new Date(r.timestampMs).toISOString(),
    key: key.text,
    ...(key.base64 ? { keyBase64: key.base64 } : {}),
    value: value.text,
    ...(value.base64 ? { valueBase64: value.base64 } : {}),
  };
}

function recordLine(partition: number, r: RawRecord): string {
  const key = r.key === null ? '-' : escapeBytes(r.key);
  const value = r.value === null ? '-' : escapeBytes(r.value);
  return `${partition}\t${r.offset}\t${new Date(r.timestampMs).toISOString()}\t${key}\t${value}\n`;
}

export function consumeCommand(yargs: Argv) {
  return yargs.command<ConsumeArgs>(
    'consume',
    'read a topic from the beginning up to the end offsets captured at start (no consumer group), counting per partition',
    (y) =>
      withConnectionOptions(y, { namedClusters: false })
        .option('cluster', { choices: ['source', 'target'] as const, demandOption: true })
        .option('topic', { type: 'string', demandOption: true, describe: 'topic name on that cluster' })
        .option('from-beginning', {
          type: 'boolean',
          default: true,
          describe: 'start at the earliest offsets (the only mode)',
        })
        .option('max', { type: 'number', describe: 'stop after N records' })
        .option('count-only', {
          type: 'boolean',
          default: false,
          describe: 'print only the per-partition counts',
        }),
    async (args) => {
      const connection = connectionFrom(args);
      const c = connection[args.cluster];
      if (args.max !== undefined && (!Number.isInteger(args.max) || args.max < 0))
        throw new UserError('--max takes a whole number >= 0');
      const wire = new WireCluster(
        { name: args.cluster, brokers: c.bootstrap, security: c.security },
        'mirrorwatch-consume',
        { retries: 1 },
      );
      const started = Date.now();
      try {
        const range = await captureRange(wire, args.topic);
        const result = await consumeRange(wire, args.topic, range, {
          ...(args.max !== undefined ? { max: args.max } : {}),
          onRecords: args['count-only']
            ? undefined
            : (partition, records) => {
                let out = '';
                for (const r of records)
                  out += args.json
                    ? `${JSON.stringify(recordJson(partition, r))}\n`
                    : recordLine(partition, r);
                process.stdout.write(out);
              },
        });
        const partitions = Object.fromEntries(Object.entries(result.counts).map(([p, n]) => [p, n]));
        const offline = range.offline ?? [];
        if (args.json) {
          process.stdout.write(
            `${JSON.stringify({ cluster: args.cluster, topic: args.topic, count: result.total, partitions, offline })}\n`,
          );
        } else {
          const rows = Object.keys(result.counts).map((p) => {
            const partition = Number(p);
            const start = result.startOffsets[partition] ?? 0;
            const end = result.endOffsets[partition] ?? 0;
            return [partition, start, end, result.counts[partition] ?? 0];
          });
          process.stdout.write(table(['PARTITION', 'START-OFFSET', 'END-OFFSET', 'RECORDS'], rows));
          process.stdout.write(
            `${result.total} records from ${args.cluster} ${args.topic}${result.truncated ? ` (stopped at --max ${args.max})` : ''} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
          );
        }
        if (offline.length > 0)
          process.stderr.write(
            `mirrorwatch: partition(s) ${offline.join(',')} of ${escapeForTerminal(args.topic)} offline (no leader): not read\n`,
          );
        process.exitCode = offline.length > 0 ? EXIT.degraded : EXIT.ok;
      } catch (error) {
        if (error instanceof UnknownTopicError)
          throw new UserError(`${error.message} on the ${args.cluster} cluster`, EXIT.usage);
        if (error instanceof UserError) throw error;
        throw new UserError(
          describeKafkaError(error, `${args.cluster} cluster`, c.bootstrap),
          EXIT.unreachable,
        );
      } finally {
        await wire.disconnect();
      }
    },
  );
}
