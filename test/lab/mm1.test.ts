/**
 * Seed 000's migration: a ZooKeeper-era source (Kafka 2.8.2) mirrored by MirrorMaker 1 into the 4.3.1
 * target. Brings up its own legacy lab and resets it afterwards.
 */
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { mirrorControlFor } from '../../source/actions/console-actions.js';
import { resolveConnection } from '../../source/config/connection.js';
import { createKafka } from '../../source/kafka/client.js';
import type { LabStatus } from '../../source/lab/lab-status.js';
import { consumerGroupsTool } from '../helpers/consumer-groups.js';
import { eventually, labStatusOf, uniqueValue } from '../helpers/lab.js';
import { CLI, kcat, kcatProduce, mirrorwatch } from '../helpers/run.js';

const STATE_DIR = process.env.MIRRORWATCH_TEST_MM1_LAB_DIR ?? join(tmpdir(), 'mirrorwatch-test-mm1-lab');
const OFFSET = Number(process.env.MIRRORWATCH_TEST_MM1_LAB_OFFSET ?? 500);
const MIRRORED = ['topic1', 'topic2'];

interface TopicRowJson {
  cluster: string;
  topic: string;
  mirror?: { topic: string; state: string };
}

async function json<T>(args: string[]): Promise<{ code: number; doc: T }> {
  const result = await mirrorwatch([...args, '--lab', STATE_DIR, '--json']);
  assert.ok(result.stdout.length > 0, `${args.join(' ')}: ${result.stderr}`);
  return { code: result.code, doc: JSON.parse(result.stdout) as T };
}

async function onTarget(lab: LabStatus, topic: string, value: string): Promise<boolean> {
  const consumed = await kcat(
    ['-C', '-b', lab.target.bootstrap, '-t', topic, '-o', '-50', '-e', '-q'],
    20_000,
  );
  return consumed.stdout.split('\n').includes(value);
}

/** The status document's fields this test reads. */
interface StatusJson {
  verdict: string;
  problems: string[];
  heartbeats: unknown[];
  mirror: {
    kind: string;
    positionsFrom: string | null;
    mm1?: { group: string; members: number; lagNote: string; recordsSent: number | null };
  };
  replication: {
    partitions: Array<{
      topic: string;
      partition: number;
      sourceEnd: number;
      committed?: number;
      lag: number;
    }>;
  };
}

describe('MirrorMaker 1 from a Kafka 2.8 (ZooKeeper) source', { timeout: 900_000 }, () => {
  let lab: LabStatus;

  before(async () => {
    const up = await mirrorwatch(
      [
        'lab',
        'up',
        '--source-version',
        '2.8',
        '--mirror',
        'mm1',
        '--port-offset',
        String(OFFSET),
        '--state-dir',
        STATE_DIR,
      ],
      { timeoutMs: 600_000 },
    );
    assert.equal(up.code, 0, up.stderr);
    lab = await labStatusOf(STATE_DIR);
  });

  after(async () => {
    await mirrorwatch(['lab', 'reset', '--state-dir', STATE_DIR], { timeoutMs: 120_000 });
  });

  it('runs Kafka 2.8.2 on ZooKeeper and kafka.tools.MirrorMaker, as lab status says', async () => {
    assert.equal(lab.state, 'running');
    assert.equal(lab.source.version, '2.8.2');
    assert.equal(lab.source.zookeeper?.running, true);
    assert.equal(lab.mirror.kind, 'mm1');
    assert.deepEqual(lab.mirror.mm1, { group: 'mirrormaker', include: 'topic1|topic2' });
    // The seed's manual step: the lab created topic1 and topic2 on the target (MM1 creates none).
    const listing = await kcat(['-L', '-b', lab.target.bootstrap]);
    for (const topic of MIRRORED)
      assert.match(listing.stdout, new RegExp(`topic "${topic}" with 1 partitions`));
    assert.doesNotMatch(listing.stdout, /topic "DmmAccess"/);
  });

  it('shows topic1 and topic2 as mirrored under their own names and in sync, no heartbeat expected', async () => {
    await eventually(
      'topic1 and topic2 in sync',
      async () => {
        const { doc } = await json<TopicRowJson[]>(['topics', '--cluster', 'both']);
        return MIRRORED.every((topic) => {
          const row = doc.find((r) => r.cluster === 'source' && r.topic === topic);
          return row?.mirror?.topic === topic && row.mirror.state === 'in-sync';
        });
      },
      120_000,
    );
    const { doc: rows } = await json<TopicRowJson[]>(['topics', '--cluster', 'both']);
    // Topics outside MM1's include are not mirrored, so never "missing".
    assert.equal(rows.find((r) => r.cluster === 'source' && r.topic === 'DmmAccess')?.mirror, undefined);
    const { code, doc } = await json<StatusJson>(['status']);
    assert.equal(doc.mirror.kind, 'mm1');
    assert.equal(doc.mirror.positionsFrom, 'group mirrormaker on old');
    assert.match(doc.mirror.mm1?.lagNote ?? '', /offset\.commit\.interval\.ms/);
    assert.deepEqual(doc.heartbeats, []);
    assert.equal(doc.verdict, 'healthy', doc.problems.join('; '));
    assert.equal(code, 0);
    assert.ok((doc.mirror.mm1?.recordsSent ?? 0) >= 20_300, 'MM1 producer metrics count the seed records');
  });

  it('stops MM1 by command: a record produced meanwhile does not arrive; lag equals kafka-consumer-groups; resumes', async () => {
    const lab = await labStatusOf(STATE_DIR);
    const command = (action: string) =>
      `${process.execPath} ${CLI} lab mirror ${action} --state-dir ${STATE_DIR}`;
    const connection = resolveConnection({ source: lab.source.bootstrap, target: lab.target.bootstrap });
    const control = mirrorControlFor(connection, { stop: command('stop'), resume: command('start') });
    assert.ok(control);
    const stopped = await control.stop();
    assert.equal(stopped.ok, true, stopped.message);

    const value = uniqueValue('mm1-stopped');
    assert.equal((await kcatProduce(lab.source.bootstrap, 'topic1', value)).code, 0);
    for (let i = 0; i < 3; i++) await kcatProduce(lab.source.bootstrap, 'topic2', uniqueValue('mm1-lag'));
    await sleep(8000);
    assert.equal(await onTarget(lab, 'topic1', value), false, 'record arrived while MM1 was stopped');

    // MM1 is stopped, so its committed offsets hold still: both readings must agree exactly.
    const { doc } = await json<StatusJson>(['status']);
    const tool = await consumerGroupsTool(lab.kafkaLibDir, lab.source.bootstrap);
    for (const topic of MIRRORED) {
      const row = tool.get(`mirrormaker/${topic}/0`);
      assert.ok(row, `kafka-consumer-groups lists mirrormaker on ${topic}`);
      const ours = doc.replication.partitions.find((p) => p.topic === topic && p.partition === 0);
      assert.deepEqual(
        [String(ours?.committed), String(ours?.sourceEnd), String(ours?.lag)],
        row,
        `${topic}: mirrorwatch vs kafka-consumer-groups`,
      );
    }
    assert.ok((doc.replication.partitions.find((p) => p.topic === 'topic1')?.lag ?? 0) >= 1);
    assert.equal(doc.mirror.mm1?.members, 0);
    assert.equal(doc.verdict, 'degraded');
    assert.ok(doc.problems.some((p) => /MirrorMaker 1 group mirrormaker has no members/.test(p)));
    // MM1's group is the mirror, not one of the operator's groups.
    const { doc: lagRows } = await json<Array<{ group: string }>>(['lag', '--cluster', 'source']);
    assert.equal(
      lagRows.some((r) => r.group === 'mirrormaker'),
      false,
    );

    const resumed = await control.resume();
    assert.equal(resumed.ok, true, resumed.message);
    await eventually('the record to arrive after resume', () => onTarget(lab, 'topic1', value), 120_000);
  });

  it('says where a group moved to the target starts and what it re-reads or skips', async () => {
    const lab = await labStatusOf(STATE_DIR);
    const group = uniqueValue('seed000-reader');
    const admin = createKafka(
      { name: 'source', brokers: lab.source.bootstrap.split(',') },
      'mm1-test',
    ).admin();
    await admin.connect();
    try {
      await admin.setOffsets({
        groupId: group,
        topic: 'topic1',
        partitions: [{ partition: 0, offset: '100' }],
      });
    } finally {
      await admin.disconnect();
    }
    await eventually(
      'topic1 in sync',
      async () => {
        const { doc } = await json<StatusJson>(['status']);
        return doc.replication.partitions.find((p) => p.topic === 'topic1')?.lag === 0;
      },
      120_000,
    );
    const mm1 = (await consumerGroupsTool(lab.kafkaLibDir, lab.source.bootstrap)).get('mirrormaker/topic1/0');
    const mirrored = Number(mm1?.[0]);
    interface Row {
      group: string;
      onTarget?: { autoOffsetReset: string; startsAt: number; reread: number; skipped: number };
    }
    const latest = (await json<Row[]>(['lag', '--cluster', 'source', '--group', group])).doc;
    assert.deepEqual(latest[0]?.onTarget, {
      autoOffsetReset: 'latest',
      startsAt: mirrored,
      reread: 0,
      skipped: mirrored - 100,
    });
    const earliest = (
      await json<Row[]>(['lag', '--cluster', 'source', '--group', group, '--auto-offset-reset', 'earliest'])
    ).doc;
    assert.deepEqual(earliest[0]?.onTarget, {
      autoOffsetReset: 'earliest',
      startsAt: 0,
      reread: 100,
      skipped: 0,
    });
  });
});
