/**
 * Compressed topics on the real lab: kcat writes each codec, mirrorwatch reads them on the source and,
 * after MM2 mirrored them, on the target; kcat's reading is the reference. Also the lab's own workload
 * topics, and MM2's internal topics once the brokers compress them.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CompressionTypes } from 'kafkajs';
import { createKafka } from '../../source/kafka/client.js';
import { WireCluster } from '../../source/kafka/wire-cluster.js';
import type { LabStatus } from '../../source/lab/lab.js';
import { readNewestWrites } from '../../source/monitor/read-newest-writes.js';
import type { TopicInfo } from '../../source/monitor/snapshot.js';
import { eventually, SHARED_LAB_DIR, sharedLab, uniqueValue } from '../helpers/lab.js';
import {
  CLI,
  type Isolation,
  kafkaTool,
  kcatProduce,
  kcatReadTopic,
  kcatRecordAt,
  mirrorwatch,
  run,
} from '../helpers/run.js';

const CODECS = ['gzip', 'snappy', 'lz4', 'zstd'] as const;
type Codec = (typeof CODECS)[number];
const CODEC_IDS: Record<Codec, number> = { gzip: 1, snappy: 2, lz4: 3, zstd: 4 };
const RECORDS = 3000;
const PARTITIONS = 4;

interface ConsumedRecord {
  partition: number;
  offset: number;
  value: string | null;
}
interface ConsumeSummary {
  count: number;
  partitions: Record<string, number>;
}

/** `mirrorwatch consume --json`: the records as `partition/offset -> value` and the summary line. */
async function mirrorwatchRead(
  cluster: 'source' | 'target',
  topic: string,
  countOnly = false,
): Promise<{ values: Map<string, string | null>; summary: ConsumeSummary }> {
  const args = ['consume', '--cluster', cluster, '--topic', topic, '--json', '--lab', SHARED_LAB_DIR];
  const result = await mirrorwatch(countOnly ? [...args, '--count-only'] : args);
  assert.equal(result.code, 0, `mirrorwatch consume ${cluster} ${topic}: ${result.stderr}`);
  const lines = result.stdout.trim().split('\n');
  const summary = JSON.parse(lines.pop()!) as ConsumeSummary;
  const values = new Map<string, string | null>();
  for (const line of lines) {
    const r = JSON.parse(line) as ConsumedRecord;
    values.set(`${r.partition}/${r.offset}`, r.value);
  }
  return { values, summary };
}

/** kcat's reading of a whole topic: `partition/offset -> value`, and the count per partition. */
async function kcatRead(
  brokers: string,
  topic: string,
  isolation: Isolation = 'read_uncommitted',
): Promise<{ values: Map<string, string>; partitions: Record<string, number> }> {
  const lines = await kcatReadTopic(brokers, topic, isolation, '%p\t%o\t%s\n');
  const values = new Map<string, string>();
  const partitions: Record<string, number> = {};
  for (const line of lines) {
    const [partition, offset, ...value] = line.split('\t');
    values.set(`${partition}/${offset}`, value.join('\t'));
    partitions[partition!] = (partitions[partition!] ?? 0) + 1;
  }
  return { values, partitions };
}

function withoutZeros(partitions: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(partitions).filter(([, n]) => n > 0));
}

async function topicCommand(lab: LabStatus, brokers: string, args: string[]): Promise<void> {
  const result = await kafkaTool(lab.kafkaLibDir, 'org.apache.kafka.tools.TopicCommand', [
    '--bootstrap-server',
    brokers,
    ...args,
  ]);
  assert.equal(result.code, 0, result.stderr);
}

/** Kafka's ConfigCommand: an incremental change of one topic's configs (kafkajs' alterConfigs replaces them all). */
async function alterTopicConfig(
  lab: LabStatus,
  brokers: string,
  topic: string,
  change: string[],
): Promise<void> {
  const result = await kafkaTool(lab.kafkaLibDir, 'kafka.admin.ConfigCommand', [
    '--bootstrap-server',
    brokers,
    '--alter',
    '--entity-type',
    'topics',
    '--entity-name',
    topic,
    ...change,
  ]);
  assert.equal(result.code, 0, result.stderr);
}

/** kcat producing `lines`, one record each, with `options` (codec, key delimiter, partition, linger). */
async function kcatWrite(brokers: string, topic: string, lines: string[], options: string[]): Promise<void> {
  const produced = await run('kcat', ['-P', '-b', brokers, '-t', topic, ...options], {
    input: `${lines.join('\n')}\n`,
  });
  assert.equal(produced.code, 0, produced.stderr);
}

/** kcat's timestamp of the record at `offset` of a partition (kcat's -o: a number, or -1 for the last). */
async function kcatTimestamp(
  brokers: string,
  topic: string,
  partition: number,
  offset: string,
): Promise<number> {
  return Number(await kcatRecordAt(brokers, topic, partition, offset, '%T'));
}

/**
 * `lag --evaluate 2 --json` of one source group: each partition's seconds behind, checked to lie between
 * the record's age (its kcat timestamp `timestampOf(partition)`) when the command started and ended.
 */
async function assertLagSeconds(
  group: string,
  partitions: number,
  timestampOf: (p: number) => number,
): Promise<void> {
  const startedMs = Date.now();
  const result = await mirrorwatch([
    'lag',
    '--lab',
    SHARED_LAB_DIR,
    '--cluster',
    'source',
    '--group',
    group,
    '--evaluate',
    '2',
    '--json',
  ]);
  const endedMs = Date.now();
  const doc = JSON.parse(result.stdout) as {
    groups: Array<{ group: string; partitions: Array<{ partition: number; lagSeconds: number | null }> }>;
  };
  const rows = doc.groups.find((g) => g.group === group)?.partitions ?? [];
  assert.equal(rows.length, partitions, result.stderr);
  for (const row of rows) {
    const ts = timestampOf(row.partition);
    assert.ok(
      row.lagSeconds !== null &&
        row.lagSeconds >= (startedMs - ts) / 1000 - 0.1 &&
        row.lagSeconds <= (endedMs - ts) / 1000 + 0.1,
      `partition ${row.partition}: ${row.lagSeconds === null ? 'unknown' : `${row.lagSeconds} s`} behind; the record was ` +
        `written ${((startedMs - ts) / 1000).toFixed(1)}-${((endedMs - ts) / 1000).toFixed(1)} s before`,
    );
  }
}

/** readNewestWrites of one source topic, given its log starts and ends. */
async function newestWriteOf(lab: LabStatus, info: TopicInfo): Promise<number | undefined> {
  const wire = new WireCluster({ name: 'source', brokers: [lab.source.bootstrap] }, 'codecs-test');
  try {
    return (await readNewestWrites(wire, [info])).get(info.name);
  } finally {
    await wire.disconnect();
  }
}

/** Every record batch in the newest segment of a partition, read from the broker's files. */
function segmentBatches(
  cluster: 'source' | 'target',
  topic: string,
  partition: number,
): Array<{ codec: number; control: boolean; bytes: number; baseOffset: number }> {
  const dir = join(SHARED_LAB_DIR, cluster, 'data', `${topic}-${partition}`);
  const newest = readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .sort()
    .at(-1);
  if (!newest) return [];
  const log = readFileSync(join(dir, newest));
  const batches: Array<{ codec: number; control: boolean; bytes: number; baseOffset: number }> = [];
  for (let at = 0; at + 61 <= log.length; at += 12 + log.readInt32BE(at + 8)) {
    batches.push({
      codec: log.readInt16BE(at + 21) & 0x07,
      control: (log.readInt16BE(at + 21) & 0x20) !== 0,
      bytes: 12 + log.readInt32BE(at + 8),
      baseOffset: Number(log.readBigInt64BE(at)),
    });
  }
  return batches;
}

/** The compression codec of every record batch in the newest segment of a partition. */
function segmentCodecs(cluster: 'source' | 'target', topic: string, partition: number): number[] {
  return segmentBatches(cluster, topic, partition).map((b) => b.codec);
}

describe('topics written by kcat with each codec', () => {
  const topics = Object.fromEntries(CODECS.map((c) => [c, uniqueValue(`codecs-${c}`)])) as Record<
    Codec,
    string
  >;
  const written = new Map<Codec, Map<string, string>>();

  before(async () => {
    const lab = await sharedLab();
    // compression.type on the topic keeps kcat's batches as they are on the source, and MM2 copies the
    // setting to the mirror: the target's broker then writes MM2's records with the same codec (Java's).
    for (const codec of CODECS) {
      await topicCommand(lab, lab.source.bootstrap, [
        '--create',
        '--topic',
        topics[codec],
        '--partitions',
        String(PARTITIONS),
        '--config',
        `compression.type=${codec}`,
      ]);
      const lines: string[] = [];
      for (let i = 0; i < RECORDS; i++)
        lines.push(`key-${i % 97}\t${topics[codec]} record ${i} ${'x'.repeat(i % 50)}`);
      await kcatWrite(lab.source.bootstrap, topics[codec], lines, [
        '-z',
        codec,
        '-K',
        '\t',
        '-X',
        'linger.ms=20',
      ]);
      written.set(codec, new Map(lines.map((l) => [l.split('\t')[1]!, l])));
    }
  });

  for (const codec of CODECS) {
    it(`${codec}: mirrorwatch counts and values equal kcat's on the source`, async () => {
      const lab = await sharedLab();
      const reference = await kcatRead(lab.source.bootstrap, topics[codec]);
      assert.equal(reference.values.size, RECORDS, 'kcat reads what it wrote');
      const counted = await mirrorwatchRead('source', topics[codec], true);
      assert.equal(counted.summary.count, RECORDS);
      assert.deepEqual(withoutZeros(counted.summary.partitions), reference.partitions);
      const read = await mirrorwatchRead('source', topics[codec]);
      assert.deepEqual(read.values, reference.values);
      for (const value of read.values.values())
        assert.ok(written.get(codec)!.has(value!), `written: ${value}`);
      assert.ok(
        segmentCodecs('source', topics[codec], 0).every((c) => c === CODEC_IDS[codec]),
        `every batch on the source is ${codec}`,
      );
    });
  }

  for (const codec of CODECS) {
    it(`${codec}: after MM2 mirrored the topic, mirrorwatch reads on the target what kcat reads`, async () => {
      const lab = await sharedLab();
      await eventually(
        `${topics[codec]} fully mirrored`,
        async () => (await mirrorwatchRead('target', topics[codec], true)).summary.count === RECORDS,
        120_000,
        2000,
      );
      const reference = await kcatRead(lab.target.bootstrap, topics[codec]);
      const read = await mirrorwatchRead('target', topics[codec]);
      assert.equal(read.summary.count, RECORDS);
      assert.deepEqual(withoutZeros(read.summary.partitions), reference.partitions);
      assert.deepEqual(read.values, reference.values);
      const source = await mirrorwatchRead('source', topics[codec]);
      assert.deepEqual(
        [...read.values.values()].sort(),
        [...source.values.values()].sort(),
        'same values both sides',
      );
      const batches = segmentCodecs('target', topics[codec], 0);
      assert.ok(
        batches.length > 0 && batches.every((c) => c === CODEC_IDS[codec]),
        `target batches are ${codec}`,
      );
    });
  }

  for (const codec of CODECS) {
    it(`${codec}: compare finds every record kcat counts, equal on both clusters`, async () => {
      const lab = await sharedLab();
      const reference = await kcatRead(lab.source.bootstrap, topics[codec]);
      const result = await mirrorwatch(
        ['compare', '--topic', topics[codec], '--json', '--timeout', '60', '--lab', lab.stateDir],
        { timeoutMs: 120_000 },
      );
      assert.equal(result.code, 0, `${result.stderr}\n${result.stdout}`);
      const doc = JSON.parse(result.stdout) as {
        equal: boolean;
        partitions: Array<{ partition: number; sourceRecords: number; targetRecords: number }>;
      };
      assert.equal(doc.equal, true);
      const counts = (side: 'sourceRecords' | 'targetRecords') =>
        withoutZeros(Object.fromEntries(doc.partitions.map((p) => [String(p.partition), p[side]])));
      assert.deepEqual(counts('sourceRecords'), reference.partitions);
      assert.deepEqual(counts('targetRecords'), reference.partitions);
    });
  }
});

const WORKLOAD = ['codec-gzip', 'codec-snappy', 'codec-lz4', 'codec-zstd', 'txn-orders', 'customers'];

async function endOffsets(cluster: 'source' | 'target'): Promise<Map<string, number>> {
  const result = await mirrorwatch(['topics', '--cluster', cluster, '--json', '--lab', SHARED_LAB_DIR]);
  assert.equal(result.code, 0, result.stderr);
  const rows = JSON.parse(result.stdout) as Array<{ topic: string; records: number | null }>;
  return new Map(rows.map((r) => [r.topic, r.records ?? 0]));
}

describe("the lab's workload topics", () => {
  it('exist on both clusters and are read back like kcat reads them', async () => {
    const lab = await sharedLab();
    for (const topic of WORKLOAD) {
      for (const [cluster, brokers] of [
        ['source', lab.source.bootstrap],
        ['target', lab.target.bootstrap],
      ] as const) {
        const read = await mirrorwatchRead(cluster, topic, true);
        assert.ok(read.summary.count > 0, `${topic} on the ${cluster} has records`);
        if (topic === 'customers' || topic === 'txn-orders') continue; // compacted / written meanwhile: see below
        const reference = await kcatRead(brokers, topic);
        assert.ok(reference.values.size > 0);
      }
    }
  });

  it('txn-orders holds committed and aborted transactions (kcat read_committed sees fewer)', async () => {
    const lab = await sharedLab();
    const uncommitted = await kcatRead(lab.source.bootstrap, 'txn-orders', 'read_uncommitted');
    const committed = await kcatRead(lab.source.bootstrap, 'txn-orders', 'read_committed');
    assert.ok(committed.values.size > 0);
    assert.ok(committed.values.size < uncommitted.values.size, 'some transactions were aborted');
    assert.ok([...uncommitted.values.values()].some((v) => v.includes('"state":"aborted"')));
  });

  it('customers is compacted: fewer records remain than offsets were written', async () => {
    const lab = await sharedLab();
    await eventually(
      'compaction of customers on the source',
      async () => {
        // A segment rolls (segment.ms) only when a record arrives: keep updating one key, as an
        // application would, so closed segments exist for the cleaner.
        await kcatProduce(lab.source.bootstrap, 'customers', `{"update":${Date.now()}}`, 'customer-test');
        const read = await mirrorwatchRead('source', 'customers', true);
        const written = (await endOffsets('source')).get('customers') ?? 0;
        return read.summary.count < written;
      },
      120_000,
      3000,
    );
  });

  it('get traffic from the lab traffic (--traffic)', async () => {
    const lab = await sharedLab();
    const before = await endOffsets('source');
    const targetBefore = await endOffsets('target');
    // The shared test lab runs without --traffic: run the same traffic process for a few seconds then.
    const traffic = lab.traffic.running
      ? undefined
      : spawn(process.execPath, [CLI, 'lab', 'traffic', '--state-dir', SHARED_LAB_DIR], { stdio: 'ignore' });
    try {
      await eventually(
        'every workload topic to grow',
        async () => {
          const now = await endOffsets('source');
          return WORKLOAD.every((t) => (now.get(t) ?? 0) > (before.get(t) ?? 0));
        },
        60_000,
        2000,
      );
    } finally {
      if (traffic) {
        const exited = new Promise((resolve) => traffic.once('exit', resolve));
        traffic.kill('SIGTERM');
        await Promise.race([exited, sleep(15_000)]);
      }
    }
    await eventually(
      'the new records mirrored',
      async () => {
        const target = await endOffsets('target');
        return WORKLOAD.every((t) => (target.get(t) ?? 0) > (targetBefore.get(t) ?? 0));
      },
      60_000,
      2000,
    );
  });
});

describe("MM2's internal topics compressed by the brokers", () => {
  const changed: Array<{ brokers: string; topic: string }> = [];
  let lab: LabStatus;

  before(async () => {
    lab = await sharedLab();
  });

  after(async () => {
    for (const { brokers, topic } of changed)
      await alterTopicConfig(lab, brokers, topic, ['--delete-config', 'compression.type']);
  });

  it('status reads heartbeats (zstd), checkpoints (lz4) and the Connect offsets topic (snappy)', async () => {
    const offsetsTopic = lab.mirror.offsetsTopic;
    assert.ok(offsetsTopic, 'the lab names its Connect offsets topic');
    const plan = [
      { topic: 'heartbeats', codec: 'zstd' as const },
      { topic: `${lab.source.alias}.checkpoints.internal`, codec: 'lz4' as const },
      { topic: offsetsTopic, codec: 'snappy' as const },
    ];
    for (const { topic, codec } of plan) {
      await alterTopicConfig(lab, lab.target.bootstrap, topic, ['--add-config', `compression.type=${codec}`]);
      changed.push({ brokers: lab.target.bootstrap, topic });
    }
    // New checkpoints and positions: a group that commits on a mirrored topic, and records MM2 copies.
    const group = uniqueValue('codecs-checkpointed');
    const admin = createKafka({ name: 'source', brokers: [lab.source.bootstrap] }, 'codecs-test').admin();
    await admin.connect();
    try {
      await admin.setOffsets({
        groupId: group,
        topic: 'topic2',
        partitions: [{ partition: 0, offset: '5' }],
      });
    } finally {
      await admin.disconnect();
    }
    await eventually(
      'new internal records written compressed',
      async () => {
        await run('kcat', ['-P', '-b', lab.source.bootstrap, '-t', 'topic1'], {
          input: `${uniqueValue('codecs')}\n`,
        });
        return plan.every(({ topic, codec }) => {
          const partitions = readdirSync(join(SHARED_LAB_DIR, 'target', 'data')).filter((d) =>
            d.startsWith(`${topic}-`),
          );
          return partitions.some((d) =>
            segmentCodecs('target', topic, Number(d.slice(topic.length + 1))).includes(CODEC_IDS[codec]),
          );
        });
      },
      90_000,
      2000,
    );
    // Without Connect REST, positions come from the offsets topic: every internal topic is read.
    const statusArgs = [
      'status',
      '--json',
      '--source',
      lab.source.bootstrap,
      '--target',
      lab.target.bootstrap,
      '--source-alias',
      lab.source.alias,
      '--target-alias',
      lab.target.alias,
      '--policy',
      lab.settings?.policy ?? 'identity',
      '--metrics-url',
      lab.metrics.url,
      '--offsets-topic',
      offsetsTopic,
    ];
    interface StatusDoc {
      heartbeats: Array<{ ageMs: number }>;
      checkpoints: Array<{ group: string; partitions: number }>;
      mirror: { positionsFrom: string };
      stale: unknown[];
      replication: { partitions: Array<{ topic: string; position: number | null }> };
    }
    let doc: StatusDoc | undefined;
    let stderr = '';
    await eventually(
      `a checkpoint of ${group} in status`,
      async () => {
        const status = await mirrorwatch(statusArgs);
        stderr = status.stderr;
        doc = JSON.parse(status.stdout) as StatusDoc;
        return doc.checkpoints.some((c) => c.group === group);
      },
      60_000,
      2000,
    );
    assert.ok(doc);
    assert.deepEqual(doc.stale, [], stderr);
    assert.ok(doc.heartbeats.length > 0 && doc.heartbeats.every((h) => h.ageMs < 30_000), 'fresh heartbeats');
    assert.match(doc.mirror.positionsFrom, new RegExp(offsetsTopic));
    assert.ok(doc.replication.partitions.some((p) => p.topic === 'topic1' && p.position !== null));
  });
});

describe('a compressed topic with large batches', () => {
  const topic = uniqueValue('codecs-large-batches');
  let lab: LabStatus;

  before(async () => {
    lab = await sharedLab();
    await topicCommand(lab, lab.source.bootstrap, [
      '--create',
      '--topic',
      topic,
      '--partitions',
      String(PARTITIONS),
    ]);
    // Records half random, lingered into lz4 batches of about a hundred kilobytes: what a producer with
    // linger and compression writes in production. One partition at a time, so each partition's records
    // carry other timestamps.
    for (let partition = 0; partition < PARTITIONS; partition++) {
      const lines = Array.from(
        { length: 600 },
        () => `${randomBytes(150).toString('base64')} ${'x'.repeat(800)}`,
      );
      await kcatWrite(lab.source.bootstrap, topic, lines, [
        '-p',
        String(partition),
        '-z',
        'lz4',
        '-X',
        'linger.ms=1000',
        '-X',
        'batch.size=1000000',
      ]);
      await sleep(1100);
    }
  });

  it("LAG TIME: dates every partition's committed offset as kcat reads its timestamp, batches over 32 KB included", async () => {
    const group = uniqueValue('codecs-large-batches-group');
    const committed = 100;
    for (let partition = 0; partition < PARTITIONS; partition++) {
      const batch = segmentBatches('source', topic, partition).find(
        (b, i, all) => b.baseOffset <= committed && (all[i + 1]?.baseOffset ?? Infinity) > committed,
      );
      assert.ok(
        batch && batch.bytes > 32 * 1024 && batch.codec === CODEC_IDS.lz4,
        `partition ${partition}: the batch holding offset ${committed} is lz4 and over 32 KB (${batch?.bytes} bytes)`,
      );
    }
    const reset = await kafkaTool(
      lab.kafkaLibDir,
      'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
      [
        '--bootstrap-server',
        lab.source.bootstrap,
        '--reset-offsets',
        '--to-offset',
        String(committed),
        '--execute',
        '--group',
        group,
        '--topic',
        topic,
      ],
    );
    assert.equal(reset.code, 0, reset.stderr);
    const timestamps = new Map<number, number>();
    for (let partition = 0; partition < PARTITIONS; partition++) {
      timestamps.set(
        partition,
        await kcatTimestamp(lab.source.bootstrap, topic, partition, String(committed)),
      );
    }
    await assertLagSeconds(group, PARTITIONS, (p) => timestamps.get(p) as number);
  });

  it('LAG TIME at a transaction marker followed by a large batch: the first data record after it', async () => {
    // A committed offset on a commit marker (a transactional producer's consumer commits past its
    // records), then a batch over 32 KB: the answer holds the marker and stops before the batch.
    const txnTopic = uniqueValue('codecs-large-txn');
    const group = uniqueValue('codecs-large-txn-group');
    await topicCommand(lab, lab.source.bootstrap, ['--create', '--topic', txnTopic, '--partitions', '1']);
    const kafka = createKafka({ name: 'source', brokers: [lab.source.bootstrap] }, 'codecs-test');
    const producer = kafka.producer({
      transactionalId: uniqueValue('codecs-txn'),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    try {
      for (let t = 0; t < 2; t++) {
        const txn = await producer.transaction();
        await txn.send({
          topic: txnTopic,
          compression: CompressionTypes.GZIP,
          messages: Array.from({ length: 600 }, () => ({
            partition: 0,
            value: `${randomBytes(150).toString('base64')} ${'x'.repeat(800)}`,
          })),
        });
        await txn.commit();
        await sleep(1100);
      }
    } finally {
      await producer.disconnect();
    }
    const batches = segmentBatches('source', txnTopic, 0);
    const marker = batches.find((b) => b.baseOffset === 600);
    const after = batches.find((b) => b.baseOffset === 601);
    assert.ok(marker?.control && after && !after.control && after.bytes > 32 * 1024, JSON.stringify(batches));
    const admin = kafka.admin();
    await admin.connect();
    await admin
      .setOffsets({ groupId: group, topic: txnTopic, partitions: [{ partition: 0, offset: '600' }] })
      .finally(() => admin.disconnect());
    // kcat delivers no marker: from 600 it reads the record at 601.
    const ts = await kcatTimestamp(lab.source.bootstrap, txnTopic, 0, '600');
    await assertLagSeconds(group, 1, () => ts);
  });

  it('the newest write: the newest record timestamp kcat reads at the end of any partition', async () => {
    let newestByKcat = 0;
    for (let partition = 0; partition < PARTITIONS; partition++) {
      newestByKcat = Math.max(
        newestByKcat,
        await kcatTimestamp(lab.source.bootstrap, topic, partition, '-1'),
      );
    }
    const admin = createKafka({ name: 'source', brokers: [lab.source.bootstrap] }, 'codecs-test').admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
    // The log ends and starts as a snapshot holds them: all readNewestWrites looks at.
    const info = {
      name: topic,
      partitions: offsets.map((o) => ({
        partition: o.partition,
        earliest: Number(o.low),
        latest: Number(o.high),
      })),
    } as unknown as TopicInfo;
    assert.equal(await newestWriteOf(lab, info), newestByKcat);
  });
});

describe('a topic rolled into a log segment per record', () => {
  const topic = uniqueValue('newest-write-segments');
  let lab: LabStatus;

  before(async () => {
    lab = await sharedLab();
    // segment.bytes below a batch's size rolls a segment for every batch, and a Fetch reads one segment
    // at most: the last 16 offsets are 16 reads. The source's broker (Kafka 3.9) takes 14 bytes and up;
    // 4.x brokers, and the TopicCommand of the lab's tools (4.3), ask for 1 MB: the admin API asks the broker.
    const admin = createKafka({ name: 'source', brokers: [lab.source.bootstrap] }, 'codecs-test').admin();
    await admin.connect();
    await admin
      .createTopics({
        waitForLeaders: true,
        topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'segment.bytes', value: '100' }] }],
      })
      .finally(() => admin.disconnect());
    const oneRecordBatches = ['-p', '0', '-X', 'batch.num.messages=1', '-X', 'linger.ms=0'];
    await kcatWrite(
      lab.source.bootstrap,
      topic,
      Array.from({ length: 16 }, (_, i) => `older-${i}`),
      oneRecordBatches,
    );
    // The newest records a few milliseconds later: a read that stopped at the first segment it reached
    // (offset 4) would date the topic by an older record.
    await sleep(50);
    await kcatWrite(
      lab.source.bootstrap,
      topic,
      Array.from({ length: 4 }, (_, i) => `newer-${i}`),
      oneRecordBatches,
    );
  });

  // The target (Kafka 4.3) refuses such a topic, so MM2 never mirrors it: a missing topic left behind would
  // fail the later tests of the shared lab that expect a healthy mirror.
  after(async () => {
    const admin = createKafka({ name: 'source', brokers: [lab.source.bootstrap] }, 'codecs-test').admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).finally(() => admin.disconnect());
  });

  it('the newest write: read across the segments to the newest record, as kcat dates it', async () => {
    const dir = join(SHARED_LAB_DIR, 'source', 'data', `${topic}-0`);
    assert.equal(readdirSync(dir).filter((f) => f.endsWith('.log')).length, 20);
    const newestByKcat = await kcatTimestamp(lab.source.bootstrap, topic, 0, '-1');
    const oldestRead = await kcatTimestamp(lab.source.bootstrap, topic, 0, '4');
    assert.ok(newestByKcat > oldestRead, `${newestByKcat} > ${oldestRead}`);
    const info = {
      name: topic,
      partitions: [{ partition: 0, earliest: 0, latest: 20 }],
    } as unknown as TopicInfo;
    assert.equal(await newestWriteOf(lab, info), newestByKcat);
  });
});
