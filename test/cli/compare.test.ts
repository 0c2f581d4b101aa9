import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Kafka } from 'kafkajs';
import { startCheck } from '../../source/actions/check.js';
import type { CheckProgress } from '../../source/actions/types.js';
import { resolveConnection } from '../../source/config/connection.js';
import { createKafka } from '../../source/kafka/client.js';
import type { LabStatus } from '../../source/lab/lab.js';
import { findLab } from '../../source/lab/lab-status.js';
import { eventually, SHARED_LAB_DIR, sharedLab, uniqueValue } from '../helpers/lab.js';
import { type Isolation, kcat, kcatProduce, kcatReadTopic, mirrorwatch } from '../helpers/run.js';

interface ComparePartition {
  partition: number;
  sourceRecords: number;
  targetRecords: number;
  equal: boolean;
  complete: boolean;
  missing: number;
  extra: number;
  duplicates: number;
  different: number;
  sourceOffsets: { start: number; end: number };
  firstDifference: { sourceOffset: number | null; targetOffset: number | null } | null;
}

interface CompareJson {
  topic: string;
  targetTopic: string;
  equal: boolean;
  partitions: ComparePartition[];
}

async function compare(topic: string, ...extra: string[]) {
  const result = await mirrorwatch(
    ['compare', '--topic', topic, '--json', '--timeout', '90', '--lab', SHARED_LAB_DIR, ...extra],
    { timeoutMs: 180_000 },
  );
  assert.equal(
    result.stderr.split('\n').filter((l) => l.startsWith('mirrorwatch:')).length,
    0,
    result.stderr,
  );
  return { code: result.code, json: JSON.parse(result.stdout) as CompareJson };
}

/** Records kcat reads from the beginning to the end (`isolation` read_committed is librdkafka's default). */
async function kcatCount(
  brokers: string,
  topic: string,
  isolation: Isolation = 'read_committed',
): Promise<number> {
  return (await kcatReadTopic(brokers, topic, isolation, 'x\n')).length;
}

/** The target's end offset of partition 0, from kcat. */
async function kcatEndOffset(brokers: string, topic: string): Promise<number> {
  const result = await kcat(['-Q', '-b', brokers, '-t', `${topic}:0:-1`]);
  assert.equal(result.code, 0, result.stderr);
  const match = /\[0\]\s+offset\s+(\d+)/.exec(result.stdout);
  assert.ok(match, result.stdout);
  return Number(match[1]);
}

async function waitForCopy(lab: LabStatus, topic: string, records: number): Promise<void> {
  await eventually(
    `MM2 to copy ${topic}`,
    async () => (await kcatCount(lab.target.bootstrap, topic, 'read_uncommitted')) >= records,
    90_000,
    1000,
  );
}

describe('compare: a topic with its copy on the target, record by record, on the lab', () => {
  let lab: LabStatus;
  let source: Kafka;
  before(async () => {
    lab = await sharedLab();
    source = createKafka({ name: 'source', brokers: [lab.source.bootstrap] }, 'compare-test');
  });

  async function createSourceTopic(
    topic: string,
    configEntries: Array<{ name: string; value: string }> = [],
    numPartitions = 1,
  ) {
    const admin = source.admin();
    await admin.connect();
    try {
      await admin.createTopics({
        topics: [{ topic, numPartitions, configEntries }],
        waitForLeaders: true,
      });
    } finally {
      await admin.disconnect();
    }
  }

  // A topic of its own: a lab topic may hold MM2 duplicates from an earlier test that restarted the
  // target broker (compare rightly reports those as extra).
  it('is equal on a topic while producers keep writing to it', async () => {
    const topic = `compare-traffic-${process.pid}-${Date.now()}`;
    await createSourceTopic(topic, [], 3);
    const producer = source.producer();
    await producer.connect();
    let writing = true;
    let written = 0;
    const traffic = (async () => {
      while (writing) {
        await producer.send({
          topic,
          messages: [
            {
              key: `user-${written % 7}`,
              value: uniqueValue('compare-traffic'),
              headers: { n: String(written) },
            },
          ],
        });
        written++;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    try {
      await eventually(
        'MM2 to create the copy',
        async () => (await kcatCount(lab.target.bootstrap, topic, 'read_uncommitted')) > 20,
        90_000,
      );
      const { code, json } = await compare(topic);
      const one = await compare(topic, '--partition', '2');
      await new Promise((r) => setTimeout(r, 300));
      writing = false;
      await traffic;
      assert.equal(code, 0, JSON.stringify(json));
      assert.equal(json.equal, true);
      assert.equal(json.targetTopic, topic);
      assert.deepEqual(
        json.partitions.map((p) => p.partition),
        [0, 1, 2],
      );
      for (const p of json.partitions) {
        assert.equal(p.equal, true);
        assert.equal(p.missing + p.extra + p.different, 0);
        // no transactions or compaction: records are exactly the offsets
        assert.equal(p.sourceRecords, p.sourceOffsets.end - p.sourceOffsets.start);
        assert.equal(p.targetRecords, p.sourceRecords);
      }
      // records kept arriving after the captured end, and were not compared
      const compared = json.partitions.reduce((n, p) => n + p.sourceRecords, 0);
      assert.ok(written > compared, `wrote ${written}, compared ${compared}`);
      assert.equal(one.code, 0, JSON.stringify(one.json));
      assert.deepEqual(
        one.json.partitions.map((p) => p.partition),
        [2],
      );
    } finally {
      writing = false;
      await traffic.catch(() => {});
      await producer.disconnect();
    }
  });

  it('is equal on topic1 of the lab (unless MM2 duplicated a record there: then it says so)', async () => {
    const { code, json } = await compare('topic1');
    const [p] = json.partitions;
    assert.ok(p);
    assert.equal(p.missing + p.different, 0, JSON.stringify(p));
    assert.equal(p.extra, p.duplicates, JSON.stringify(p));
    assert.equal(code, p.duplicates === 0 ? 0 : 1);
  });

  it('reports a record written straight to the target copy (split brain) as extra, with its target offset', async () => {
    const topic = `compare-split-${process.pid}-${Date.now()}`;
    await createSourceTopic(topic);
    for (let i = 0; i < 20; i++) {
      const produced = await kcatProduce(lab.source.bootstrap, topic, `value-${i}`, `key-${i % 4}`);
      assert.equal(produced.code, 0, produced.stderr);
    }
    await waitForCopy(lab, topic, 20);
    const before = await compare(topic);
    assert.equal(before.code, 0, JSON.stringify(before.json));

    const splitBrainOffset = await kcatEndOffset(lab.target.bootstrap, topic);
    const produced = await kcatProduce(lab.target.bootstrap, topic, 'written-to-the-target', 'key-0');
    assert.equal(produced.code, 0, produced.stderr);
    assert.equal(await kcatEndOffset(lab.target.bootstrap, topic), splitBrainOffset + 1);

    const { code, json } = await compare(topic);
    assert.equal(code, 1, JSON.stringify(json));
    assert.equal(json.equal, false);
    const [p] = json.partitions;
    assert.ok(p);
    assert.equal(p.extra, 1);
    assert.equal(p.missing, 0);
    assert.equal(p.different, 0);
    assert.equal(p.sourceRecords, 20);
    assert.equal(p.targetRecords, 21);
    assert.deepEqual(p.firstDifference, { sourceOffset: null, targetOffset: splitBrainOffset });

    const text = await mirrorwatch(['compare', '--topic', topic, '--lab', SHARED_LAB_DIR]);
    assert.equal(text.code, 1);
    assert.match(text.stdout, new RegExp(`DIFFERENT\\s+source - / target ${splitBrainOffset}`));
    assert.match(text.stdout, /^DIFFERENT: 0 missing, 1 extra, 0 different/m);
  });

  it('is equal on a transactional topic with commits and aborts (offset spans differ from record counts)', async () => {
    const topic = `compare-txn-${process.pid}-${Date.now()}`;
    await createSourceTopic(topic);
    const producer = source.producer({
      transactionalId: `compare-test-${process.pid}`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    try {
      for (let i = 0; i < 4; i++) {
        const committed = await producer.transaction();
        await committed.send({
          topic,
          messages: [
            { key: `order-${i}`, value: `placed-${i}`, headers: { source: 'compare-test' } },
            { key: `order-${i}`, value: `paid-${i}` },
          ],
        });
        await committed.commit();
        const aborted = await producer.transaction();
        await aborted.send({ topic, messages: [{ key: `order-${i}`, value: `cancelled-${i}` }] });
        await aborted.abort();
      }
    } finally {
      await producer.disconnect();
    }
    // MM2 reads with read_uncommitted (its consumer default): aborted records are copied too.
    const sourceRecords = await kcatCount(lab.source.bootstrap, topic, 'read_uncommitted');
    assert.equal(sourceRecords, 12);
    assert.equal(await kcatCount(lab.source.bootstrap, topic), 8);
    await waitForCopy(lab, topic, sourceRecords);

    const { code, json } = await compare(topic);
    assert.equal(code, 0, JSON.stringify(json));
    const [p] = json.partitions;
    assert.ok(p);
    assert.equal(p.equal, true);
    assert.equal(p.sourceRecords, sourceRecords);
    assert.equal(p.targetRecords, await kcatCount(lab.target.bootstrap, topic, 'read_uncommitted'));
    // 8 transaction markers take offsets on the source and have no copy
    assert.equal(p.sourceOffsets.end - p.sourceOffsets.start, sourceRecords + 8);
    assert.equal(await kcatEndOffset(lab.target.bootstrap, topic), sourceRecords);
  });

  it('is equal on a compacted topic with updates of the same keys', async () => {
    const topic = `compare-compact-${process.pid}-${Date.now()}`;
    await createSourceTopic(topic, [
      { name: 'cleanup.policy', value: 'compact' },
      { name: 'segment.ms', value: '1000' },
      { name: 'min.cleanable.dirty.ratio', value: '0.01' },
    ]);
    const producer = source.producer();
    await producer.connect();
    try {
      for (let round = 0; round < 5; round++) {
        await producer.send({
          topic,
          messages: Array.from({ length: 6 }, (_, k) => ({ key: `customer-${k}`, value: `v${round}` })),
        });
        await new Promise((r) => setTimeout(r, 400));
      }
      await producer.send({ topic, messages: [{ key: 'customer-5', value: null }] });
    } finally {
      await producer.disconnect();
    }
    await eventually(
      'the copy to exist on the target',
      async () => (await kcatCount(lab.target.bootstrap, topic, 'read_uncommitted')) > 0,
      90_000,
    );
    const { code, json } = await compare(topic);
    assert.equal(code, 0, JSON.stringify(json));
    const [p] = json.partitions;
    assert.ok(p);
    assert.equal(p.equal, true);
    assert.equal(p.missing + p.extra + p.different, 0);
    assert.equal(p.sourceRecords, await kcatCount(lab.source.bootstrap, topic));
  });

  it("the console's check compares through the engine: a split-brain record is extra on the check's range", async () => {
    const topic = `compare-check-${process.pid}-${Date.now()}`;
    await createSourceTopic(topic);
    for (let i = 0; i < 10; i++) await kcatProduce(lab.source.bootstrap, topic, `value-${i}`, `key-${i}`);
    await waitForCopy(lab, topic, 10);
    const splitBrainOffset = await kcatEndOffset(lab.target.bootstrap, topic);
    await kcatProduce(lab.target.bootstrap, topic, 'written-to-the-target', 'key-1');
    const connection = resolveConnection({ lab: SHARED_LAB_DIR }, findLab);
    const check = (cluster: 'source' | 'target') =>
      new Promise<CheckProgress>((resolve) => {
        startCheck(connection, cluster, topic, (p) => {
          if (p.error || p.stopped || (p.done && p.comparison && !p.comparison.running)) resolve(p);
        });
      });
    for (const cluster of ['source', 'target'] as const) {
      const done = await check(cluster);
      assert.equal(done.error, null);
      const c = done.comparison;
      assert.ok(c);
      assert.equal(c.error, null, c.error ?? '');
      assert.equal(c.equal, false);
      assert.equal(c.cluster, cluster === 'source' ? 'target' : 'source');
      const [p] = c.partitions;
      assert.ok(p);
      assert.equal(p.extra, 1);
      assert.equal(p.sourceRecords, 10);
      assert.deepEqual(p.firstDifference, { sourceOffset: null, targetOffset: splitBrainOffset });
    }
  });

  describe('bad input', () => {
    it('an unknown topic is one line and exit 3', async () => {
      const result = await mirrorwatch(['compare', '--topic', 'no-such-topic', '--lab', SHARED_LAB_DIR]);
      assert.equal(result.code, 3);
      assert.equal(result.stdout, '');
      assert.equal(result.stderr, "mirrorwatch: unknown topic 'no-such-topic' on the source cluster\n");
    });

    it('a partition the topic does not have is one line and exit 3', async () => {
      const result = await mirrorwatch([
        'compare',
        '--topic',
        'topic1',
        '--partition',
        '7',
        '--lab',
        SHARED_LAB_DIR,
      ]);
      assert.equal(result.code, 3);
      assert.equal(result.stderr, "mirrorwatch: topic 'topic1' has no partition 7 (partitions 0..0)\n");
    });

    it('unreachable clusters are one line and exit 2', async () => {
      const result = await mirrorwatch(
        ['compare', '--topic', 'topic1', '--source', '127.0.0.1:1', '--target', '127.0.0.1:2'],
        { timeoutMs: 60_000 },
      );
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /^mirrorwatch: source cluster \(127\.0\.0\.1:1\): .+\n$/);
    });
  });
});
