/**
 * MM2's checkpoints as `lag --json` shows them (`translatedFrom` on the target's rows), checked per
 * partition against an independent read of the checkpoints topic: kcat reads the raw records and the
 * test decodes their bytes by hand (key: group, topic, partition; value: version, upstream offset,
 * downstream offset, metadata). The group's source offsets are set by Kafka's own kafka-consumer-groups.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { LagRow } from '../../source/cli/commands/lag.js';
import type { LabStatus } from '../../source/lab/lab-status.js';
import { consumerGroupsTool, setOffsetsWithTool } from '../helpers/consumer-groups.js';
import {
  deleteGroupsOnBothClusters,
  eventually,
  SHARED_LAB_DIR,
  sharedLab,
  uniqueValue,
} from '../helpers/lab.js';
import { kcat, mirrorwatch } from '../helpers/run.js';

const TOPIC = 'apache-logs';
const PARTITIONS = 15;

interface RawCheckpoint {
  group: string;
  topic: string;
  partition: number;
  version: number;
  upstreamOffset: number;
  downstreamOffset: number;
  metadata: string;
  timestampMs: number;
}

/** kcat's records of a topic, whole, as bytes: each one a `keyLength valueLength timestamp` line, then key and value (%s is the value). */
function kcatRawRecords(
  brokers: string,
  topic: string,
): Promise<Array<{ key: Buffer; value: Buffer; timestampMs: number }>> {
  return new Promise((resolve, reject) => {
    execFile(
      'kcat',
      ['-C', '-b', brokers, '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%K %S %T\\n%k%s'],
      { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`kcat ${topic}: ${stderr.toString()}`));
        const records: Array<{ key: Buffer; value: Buffer; timestampMs: number }> = [];
        let at = 0;
        while (at < stdout.length) {
          const newline = stdout.indexOf(0x0a, at);
          const [keyLength, valueLength, timestampMs] = stdout
            .subarray(at, newline)
            .toString()
            .split(' ')
            .map(Number);
          at = newline + 1;
          const key = stdout.subarray(at, at + keyLength!);
          at += keyLength!;
          const value = stdout.subarray(at, at + valueLength!);
          at += valueLength!;
          records.push({ key, value, timestampMs: timestampMs! });
        }
        resolve(records);
      },
    );
  });
}

/** A checkpoint record decoded by hand from Kafka's Checkpoint schema (MirrorMaker 2). */
function decodeCheckpoint(key: Buffer, value: Buffer, timestampMs: number): RawCheckpoint {
  let at = 0;
  const string16 = (b: Buffer) => {
    const length = b.readInt16BE(at);
    const text = b.subarray(at + 2, at + 2 + length).toString('utf8');
    at += 2 + length;
    return text;
  };
  const group = string16(key);
  const topic = string16(key);
  const partition = key.readInt32BE(at);
  assert.equal(at + 4, key.length, 'the key ends after the partition');
  at = 0;
  const version = value.readInt16BE(0);
  const upstreamOffset = Number(value.readBigInt64BE(2));
  const downstreamOffset = Number(value.readBigInt64BE(10));
  at = 18;
  const metadata = string16(value);
  return { group, topic, partition, version, upstreamOffset, downstreamOffset, metadata, timestampMs };
}

/** The newest checkpoint of each of the group's partitions, as kcat reads them: `topic/partition` -> record. */
async function newestCheckpoints(lab: LabStatus, group: string): Promise<Map<string, RawCheckpoint>> {
  const records = await kcatRawRecords(lab.target.bootstrap, `${lab.source.alias}.checkpoints.internal`);
  const newest = new Map<string, RawCheckpoint>();
  for (const r of records) {
    const checkpoint = decodeCheckpoint(r.key, r.value, r.timestampMs);
    if (checkpoint.group === group) newest.set(`${checkpoint.topic}/${checkpoint.partition}`, checkpoint);
  }
  return newest;
}

async function targetRows(group: string): Promise<LagRow[]> {
  const result = await mirrorwatch(
    ['lag', '--json', '--cluster', 'target', '--group', group, '--lab', SHARED_LAB_DIR],
    { timeoutMs: 60_000 },
  );
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as LagRow[];
}

describe('checkpoints: lag --json translatedFrom against kcat reading MM2s checkpoints topic', () => {
  let lab: LabStatus;
  const group = uniqueValue('checkpoint-check');
  /**
   * The offsets the group commits on the source: each partition's log end as kcat reads it (a group
   * caught up), which differs from partition to partition. MM2 translates an offset only from an offset
   * sync at or below it, and its syncs topic is compacted: on a lab whose syncs of a partition had been
   * compacted down to one near its end, offsets set low (1 to 19) got no checkpoint at all on 6 of the
   * 15 partitions. The log end is past the newest sync, always.
   */
  const committed: number[] = [];

  before(async () => {
    lab = await sharedLab();
    const ends = await kcat(
      [
        '-Q',
        '-b',
        lab.source.bootstrap,
        ...Array.from({ length: PARTITIONS }, (_, p) => ['-t', `${TOPIC}:${p}:-1`]).flat(),
      ],
      60_000,
    );
    for (const match of ends.stdout.matchAll(/\[(\d+)\] offset (\d+)/g))
      committed[Number(match[1])] = Number(match[2]);
    assert.equal(
      committed.filter((offset) => Number.isInteger(offset) && offset > 0).length,
      PARTITIONS,
      `kcat -Q: ${ends.stdout} ${ends.stderr}`,
    );
    await setOffsetsWithTool(
      lab.kafkaLibDir,
      lab.source.bootstrap,
      group,
      committed.map((offset, partition) => ({ topic: TOPIC, partition, offset })),
    );
  });

  after(async () => {
    await deleteGroupsOnBothClusters(lab, [group]);
  });

  it('shows, on every partition, the upstream and downstream offsets of the newest checkpoint MM2 wrote', async () => {
    let checkpoints = new Map<string, RawCheckpoint>();
    // MM2 checkpoints the group every 5 s and syncs it to the target. The group is idle: once every
    // partition is checkpointed at its committed offset and kafka-consumer-groups shows the synced
    // offsets on the target, the newest checkpoint of each partition stays the same.
    await eventually(
      'kcat to read a checkpoint of every partition at its committed offset, and MM2 to sync them',
      async () => {
        checkpoints = await newestCheckpoints(lab, group);
        if (checkpoints.size !== PARTITIONS) return false;
        if (![...checkpoints.values()].every((c) => c.upstreamOffset === committed[c.partition]))
          return false;
        const synced = await consumerGroupsTool(lab.kafkaLibDir, lab.target.bootstrap);
        return [...checkpoints.values()].every(
          (c) => synced.get(`${group}/${c.topic}/${c.partition}`)?.[0] === String(c.downstreamOffset),
        );
      },
      150_000,
      2000,
    );
    const rows = await targetRows(group);
    assert.equal(rows.length, PARTITIONS, 'a row per partition of the group on the target');

    const again = await newestCheckpoints(lab, group);
    for (const row of rows) {
      const key = `${row.topic}/${row.partition}`;
      const checkpoint = checkpoints.get(key);
      assert.ok(checkpoint, `kcat finds a checkpoint of ${key}`);
      assert.equal(checkpoint.version, 0);
      assert.deepEqual(
        again.get(key) && [again.get(key)!.upstreamOffset, again.get(key)!.downstreamOffset],
        [checkpoint.upstreamOffset, checkpoint.downstreamOffset],
        `${key}: the idle group's checkpoint did not move between the reads`,
      );
      assert.equal(row.translatedFrom!.upstreamOffset, checkpoint.upstreamOffset, `${key} upstream offset`);
      assert.equal(
        row.translatedFrom!.downstreamOffset,
        checkpoint.downstreamOffset,
        `${key} downstream offset`,
      );
      assert.equal(
        row.translatedFrom!.upstreamOffset,
        committed[row.partition],
        `${key}: the offset the group committed`,
      );
      // MM2 writes the same checkpoint every 5 s: the one shown is at most a few intervals old.
      assert.ok(
        row.translatedFrom!.checkpointAgeMs >= 0 && row.translatedFrom!.checkpointAgeMs < 60_000,
        `${key} checkpoint age ${row.translatedFrom!.checkpointAgeMs} ms`,
      );
    }
    // Partitions are not mixed up: each row has its own partition's offset (most differ by partition).
    assert.deepEqual(
      rows.map((r) => [r.partition, r.translatedFrom!.upstreamOffset]).sort((a, b) => a[0]! - b[0]!),
      committed.map((offset, p) => [p, offset]),
    );
    // The synced offset on the target is the checkpoint's downstream offset (what the group resumes from).
    for (const row of rows) {
      const checkpoint = checkpoints.get(`${row.topic}/${row.partition}`)!;
      assert.equal(
        row.currentOffset,
        checkpoint.downstreamOffset,
        `${row.topic}/${row.partition} synced offset`,
      );
    }
  });
});
