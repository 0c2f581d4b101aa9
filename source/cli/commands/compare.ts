import type { Argv } from 'yargs';
import {
  BadPartitionError,
  type CompareProgress,
  type CompareResult,
  compareTopic,
  isCompacted,
  type PartitionComparison,
  positionsIn,
  reachedLine,
  targetTopicOf,
} from '../../actions/compare.js';
import { UnknownTopicError } from '../../actions/consume.js';
import type { Connection } from '../../config/connection.js';
import { describeKafkaError } from '../../kafka/errors.js';
import { WireCluster } from '../../kafka/wire-cluster.js';
import { Poller } from '../../monitor/poller.js';
import type { ClusterRole } from '../../monitor/snapshot.js';
import { escapeForTerminal } from '../../util/escape.js';
import { type ConnectionArgs, connectionFrom, withConnectionOptions } from '../connection-options.js';
import { EXIT, UserError } from '../errors.js';
import { json, table } from '../format.js';

interface CompareArgs extends ConnectionArgs {
  topic: string;
  partition?: number;
  timeout: number;
}

function partitionJson(p: PartitionComparison) {
  return {
    partition: p.partition,
    sourceRecords: p.sourceRecords,
    targetRecords: p.targetRecords,
    equal: p.equal,
    complete: p.complete,
    missing: p.missing,
    extra: p.extra,
    duplicates: p.duplicates,
    different: p.different,
    explainedByCompaction: p.explainedByCompaction,
    sourceOffsets: { start: p.sourceStartOffset, end: p.sourceEndOffset },
    targetReachedSourceOffset: p.targetReachedSourceOffset,
    firstDifference: p.firstDifference,
  };
}

export function compareJson(result: CompareResult) {
  return {
    topic: result.topic,
    targetTopic: result.targetTopic,
    equal: result.equal,
    partitions: result.partitions.map(partitionJson),
  };
}

function verdictCell(p: PartitionComparison): string {
  if (!p.complete) return 'INCOMPLETE';
  return p.equal ? 'equal' : 'DIFFERENT';
}

function firstDifferenceCell(p: PartitionComparison): string {
  const d = p.firstDifference;
  if (!d) return '-';
  return `source ${d.sourceOffset ?? '-'} / target ${d.targetOffset ?? '-'}`;
}

export function compareText(result: CompareResult): string {
  const rows = result.partitions.map((p) => [
    p.partition,
    `${p.sourceStartOffset}..${p.sourceEndOffset}`,
    p.sourceRecords,
    p.targetRecords,
    p.missing,
    p.extra,
    p.different,
    verdictCell(p),
    firstDifferenceCell(p),
  ]);
  let out = `source ${escapeForTerminal(result.topic)} -> target ${escapeForTerminal(result.targetTopic)}, record by record (key, value, timestamp, headers)\n`;
  out += table(
    [
      'PARTITION',
      'SOURCE-OFFSETS',
      'SOURCE-RECORDS',
      'TARGET-RECORDS',
      'MISSING',
      'EXTRA',
      'DIFFERENT',
      'RESULT',
      'FIRST-DIFFERENCE',
    ],
    rows,
  );
  for (const p of result.partitions)
    if (!p.complete)
      out += `${reachedLine(p.partition, p.targetReachedSourceOffset, p.sourceEndOffset, result.elapsedMs)}\n`;
  const explained = result.partitions.reduce((n, p) => n + p.explainedByCompaction, 0);
  if (explained > 0)
    out += `${explained} record(s) on one side only are older versions of a key (or tombstones) that compaction removes\n`;
  const sourceRecords = result.partitions.reduce((n, p) => n + p.sourceRecords, 0);
  const took = `in ${(result.elapsedMs / 1000).toFixed(1)} s`;
  if (result.equal)
    out += `EQUAL: ${sourceRecords} source records have their copy on the target, nothing extra (${took})\n`;
  else {
    const sum = (f: (p: PartitionComparison) => number) => result.partitions.reduce((n, p) => n + f(p), 0);
    const incomplete = result.partitions.filter((p) => !p.complete).length;
    const duplicates = sum((p) => p.duplicates);
    const dup =
      duplicates > 0
        ? ` (${duplicates} of them duplicates of records already copied: MM2 wrote them again)`
        : '';
    out += `DIFFERENT: ${sum((p) => p.missing)} missing, ${sum((p) => p.extra)} extra${dup}, ${sum((p) => p.different)} different${incomplete > 0 ? `, ${incomplete} partition(s) not fully copied yet` : ''} (${took})\n`;
  }
  return out;
}

/** MM2's positions through one refresh of the poller (Connect REST or the Connect offsets topic). */
function positionReader(connection: Connection) {
  const poller = new Poller({ connection, sources: ['source', 'target', 'mm2-internal', 'connect'] });
  return {
    read: async (topic: string) => positionsIn(await poller.refresh(), topic),
    stop: () => poller.stop(),
  };
}

function progressLine(p: CompareProgress): string | null {
  if (p.phase !== 'waiting' || p.waitingMs < 2000) return null;
  return `waiting for MM2: ${reachedLine(p.partition, p.targetReachedSourceOffset, p.sourceEndOffset, p.elapsedMs)}\n`;
}

export function compareCommand(yargs: Argv) {
  return yargs.command<CompareArgs>(
    'compare',
    'compare a topic with its copy on the target record by record (key, value, timestamp, headers), up to the source end offsets captured at start',
    (y) =>
      withConnectionOptions(y)
        .option('topic', { type: 'string', demandOption: true, describe: 'topic name on the source cluster' })
        .option('partition', { type: 'number', describe: 'only this partition' })
        .option('timeout', {
          type: 'number',
          default: 60,
          describe: 'seconds to wait for MM2 to copy the captured range to the target',
        }),
    async (args) => {
      if (args.partition !== undefined && (!Number.isInteger(args.partition) || args.partition < 0))
        throw new UserError('--partition takes a partition number >= 0');
      if (!Number.isFinite(args.timeout) || args.timeout < 0)
        throw new UserError('--timeout takes seconds >= 0');
      const connection = connectionFrom(args);
      const targetTopic = targetTopicOf(connection, args.topic);
      const wire = (role: ClusterRole) =>
        new WireCluster(
          { name: role, brokers: connection[role].bootstrap, security: connection[role].security },
          'mirrorwatch-compare',
          { retries: 1, connectionTimeoutMs: 5000, requestTimeoutMs: 10_000 },
        );
      const source = wire('source');
      const target = wire('target');
      const positions = positionReader(connection);
      let role: ClusterRole = 'source';
      let lastProgress = 0;
      try {
        await source.connect();
        role = 'target';
        await target.connect();
        role = 'source';
        const compacted = await isCompacted(source, args.topic).catch(() => false);
        const result = await compareTopic(source, target, args.topic, targetTopic, {
          ...(args.partition !== undefined ? { partition: args.partition } : {}),
          deadlineMs: Date.now() + args.timeout * 1000,
          positions: positions.read,
          compacted,
          onProgress: (p) => {
            const line = progressLine(p);
            if (line && Date.now() - lastProgress >= 5000) {
              lastProgress = Date.now();
              process.stderr.write(line);
            }
          },
        });
        process.stdout.write(args.json ? json(compareJson(result)) : compareText(result));
        process.exitCode = result.equal ? EXIT.ok : EXIT.degraded;
      } catch (error) {
        if (error instanceof UnknownTopicError) throw new UserError(error.message, EXIT.usage);
        if (error instanceof BadPartitionError) throw new UserError(error.message, EXIT.usage);
        if (error instanceof UserError) throw error;
        let text = describeKafkaError(error, `${role} cluster`, connection[role].bootstrap);
        for (const secret of connection.secrets) if (secret) text = text.split(secret).join('***');
        throw new UserError(text, EXIT.unreachable);
      } finally {
        await positions.stop();
        await Promise.all([source.disconnect(), target.disconnect()]);
      }
    },
  );
}
