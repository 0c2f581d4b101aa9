/**
 * The wire client looks partition leaders up in the all-topic metadata it reads on every refresh, and
 * hands that answer to kafkajs as the metadata kafkajs holds, so that one decoded copy of every topic
 * is kept, not two. On the shared lab: offsets and records of a listed topic are read with no other
 * Metadata request and agree with kcat; a topic created after that read is still read (kafkajs is
 * told of it then).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { Admin } from 'kafkajs';
import { WireCluster } from '../../source/kafka/wire-cluster.js';
import { eventually, sharedLab, uniqueValue } from '../helpers/lab.js';
import { kcat } from '../helpers/run.js';

const PARTITIONS = 3;

/** kcat's log-end offset of each partition (`-Q`, offset query at the latest). */
async function kcatLogEnds(brokers: string, topic: string): Promise<number[]> {
  const args = ['-Q', '-b', brokers];
  for (let p = 0; p < PARTITIONS; p++) args.push('-t', `${topic}:${p}:-1`);
  const result = await kcat(args);
  if (result.code !== 0) throw new Error(`kcat -Q ${topic}: ${result.stderr}`);
  const ends: number[] = [];
  for (const match of result.stdout.matchAll(/\[(\d+)\] offset (\d+)/g))
    ends[Number(match[1])] = Number(match[2]);
  return ends;
}

/** Records into one partition with kcat, one value a line. */
async function kcatProduceMany(
  brokers: string,
  topic: string,
  partition: number,
  values: string[],
): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn('kcat', ['-P', '-b', brokers, '-t', topic, '-p', String(partition)], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`kcat -P: ${stderr}`))));
    child.stdin.end(`${values.join('\n')}\n`);
  });
}

describe("the wire client's partition leaders", () => {
  let brokers = '';
  let admin: Admin;
  let wire: WireCluster;
  const listed = uniqueValue('wire-leaders');
  const later = uniqueValue('wire-leaders-later');

  before(async () => {
    const lab = await sharedLab();
    brokers = lab.source.bootstrap;
    wire = new WireCluster({ name: 'source', brokers: [brokers] }, 'wire-leaders-test');
    admin = wire.kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: listed, numPartitions: PARTITIONS }],
      waitForLeaders: true,
    });
    for (let p = 0; p < PARTITIONS; p++)
      await kcatProduceMany(
        brokers,
        listed,
        p,
        Array.from({ length: p + 2 }, (_, i) => `p${p}-r${i}`),
      );
  });

  after(async () => {
    await admin.deleteTopics({ topics: [listed, later] }).catch(() => {});
    await admin.disconnect();
    await wire.disconnect();
  });

  it('reads offsets and records of a listed topic with no Metadata request beyond its own', async () => {
    await eventually('kcat to see every record produced', async () => {
      const ends = await kcatLogEnds(brokers, listed);
      return ends.every((end, p) => end === p + 2);
    });
    const metadata = await wire.metadata();
    assert.ok(metadata.topicMetadata.some((t) => t.topic === listed));
    // A new client: kafkajs' own read when it connects, then the all-topic read. Telling kafkajs of
    // every topic cost a third (and kafkajs read them all again every minute).
    assert.equal(wire.takeRequestCounts().byApi.Metadata, 2);

    const partitions = Array.from({ length: PARTITIONS }, (_, p) => p);
    const offsets = await wire.offsets([{ topic: listed, partitions }]);
    assert.deepEqual(
      partitions.map((p) => offsets.get(listed)?.get(p)?.latest),
      await kcatLogEnds(brokers, listed),
    );
    const fetched = await wire.fetch(listed, new Map([[1, 0]]));
    assert.deepEqual(
      fetched.flatMap((f) => f.records.map((r) => r.value?.toString())),
      ['p1-r0', 'p1-r1', 'p1-r2'],
    );
    assert.equal(
      wire.takeRequestCounts().byApi.Metadata,
      undefined,
      'the leaders came from the all-topic read',
    );

    await wire.metadata();
    assert.equal(
      wire.takeRequestCounts().byApi.Metadata,
      1,
      'kafkajs holds the answer: it reads none of its own',
    );
  });

  it('reads a topic created after the all-topic read', async () => {
    await wire.metadata();
    await admin.createTopics({ topics: [{ topic: later, numPartitions: 1 }], waitForLeaders: true });
    await kcatProduceMany(brokers, later, 0, ['late-0']);
    let values: Array<string | undefined> = [];
    await eventually('the record of the new topic', async () => {
      const answers = await wire.fetch(later, new Map([[0, 0]]));
      values = answers.flatMap((f) => f.records.map((r) => r.value?.toString()));
      return values.length > 0;
    });
    assert.deepEqual(values, ['late-0']);
  });
});
