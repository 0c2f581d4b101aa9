import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createKafka } from '../../source/kafka/client.js';
import { WireCluster } from '../../source/kafka/wire-cluster.js';
import type { LabStatus } from '../../source/lab/lab-status.js';
import { eventually, labStatusOf, uniqueValue } from '../helpers/lab.js';
import { kcat, mirrorwatch } from '../helpers/run.js';
import { ConsoleSession } from '../helpers/tmux.js';

const STATE_DIR = join(tmpdir(), `mirrorwatch-test-brokers-${process.pid}`);
const STATE = ['--state-dir', STATE_DIR];
const LAB = ['--lab', STATE_DIR];

/** kcat's view of the cluster's partitions: offline (leader -1) and under-replicated (leader, ISR < replicas). */
async function kcatReplicaHealth(brokers: string): Promise<{ offline: number; underReplicated: number }> {
  const result = await kcat(['-L', '-b', brokers, '-m', '10']);
  assert.equal(result.code, 0, result.stderr);
  let offline = 0;
  let underReplicated = 0;
  for (const m of result.stdout.matchAll(
    /partition \d+, leader (-?\d+), replicas: ([\d,]*), isrs: ([\d,]*)/g,
  )) {
    const replicas = m[2]!.split(',').filter(Boolean).length;
    const isr = m[3]!.split(',').filter(Boolean).length;
    if (Number(m[1]) < 0) offline++;
    else if (isr < replicas) underReplicated++;
  }
  return { offline, underReplicated };
}

/** kcat's metadata, one line per partition: `topic/partition leader replicas isrs` (ids sorted). */
async function kcatPartitionLines(brokers: string): Promise<string[]> {
  const result = await kcat(['-L', '-b', brokers, '-m', '10']);
  assert.equal(result.code, 0, result.stderr);
  const lines: string[] = [];
  let topic = '';
  for (const line of result.stdout.split('\n')) {
    const t = /^\s*topic "(.*)" with \d+ partitions:/.exec(line);
    if (t) topic = t[1]!;
    const p = /partition (\d+), leader (-?\d+), replicas: ([\d,]*), isrs: ([\d,]*)/.exec(line);
    if (p) lines.push(partitionLine(topic, Number(p[1]), Number(p[2]), ids(p[3]!), ids(p[4]!)));
  }
  return lines.sort();
}

function ids(list: string): number[] {
  return list.split(',').filter(Boolean).map(Number);
}

function partitionLine(
  topic: string,
  partition: number,
  leader: number,
  replicas: readonly number[],
  isr: readonly number[],
) {
  const sorted = (xs: readonly number[]) => [...xs].sort((a, b) => a - b).join(',');
  return `${topic}/${partition} ${leader} ${sorted(replicas)} ${sorted(isr)}`;
}

/** The same lines from mirrorwatch's Metadata decoder (kafka/protocol/metadata.ts). */
async function wirePartitionLines(wire: WireCluster) {
  const metadata = await wire.metadata();
  const lines = metadata.topicMetadata.flatMap((t) =>
    t.partitionMetadata.map((p) => partitionLine(t.topic, p.partitionId, p.leader, p.replicas, p.isr)),
  );
  return { metadata, lines: lines.sort() };
}

async function statusDoc() {
  const result = await mirrorwatch(['status', '--json', ...LAB]);
  return { code: result.code, doc: JSON.parse(result.stdout) };
}

describe('a lab of three brokers a side, one of them stopped and started again', () => {
  let lab: LabStatus;
  const topic = uniqueValue('rf1-on-broker-2');
  before(async () => {
    const up = await mirrorwatch(['lab', 'up', '--brokers', '3', '--port-offset', '3300', ...STATE], {
      timeoutMs: 600_000,
    });
    assert.equal(up.code, 0, up.stderr);
    lab = await labStatusOf(STATE_DIR);
    // A topic whose only replicas are on broker 2: offline while it is down.
    const admin = createKafka({ name: 'source', brokers: lab.source.bootstrap.split(',') }, 'test').admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, replicaAssignment: [0, 1, 2].map((partition) => ({ partition, replicas: [2] })) }],
    });
    await admin.disconnect();
  });
  after(async () => {
    await ConsoleSession.killServer();
    await mirrorwatch(['lab', 'reset', ...STATE], { timeoutMs: 120_000 });
  });

  it('lists the brokers of each cluster with id, port and running; seed topics get RF 3', async () => {
    for (const cluster of [lab.source, lab.target]) {
      assert.deepEqual(
        cluster.brokers.map((b) => [b.id, b.running]),
        [
          [1, true],
          [2, true],
          [3, true],
        ],
      );
      assert.deepEqual(
        cluster.brokers.map((b) => `127.0.0.1:${b.port}`),
        cluster.bootstrap.split(','),
      );
    }
    const topics = JSON.parse((await mirrorwatch(['topics', '--json', '--cluster', 'both', ...LAB])).stdout);
    const rf = (cluster: string, name: string) =>
      topics.find((t: { cluster: string; topic: string }) => t.cluster === cluster && t.topic === name)
        ?.replicationFactor;
    assert.equal(rf('source', 'apache-logs'), 3);
    assert.equal(rf('target', 'apache-logs'), 3, 'MM2 creates remote topics with the lab RF');
    const notRf3 = (topics as Array<{ cluster: string; topic: string; replicationFactor: number }>)
      .filter((t) => t.cluster === 'source' && t.replicationFactor !== 3)
      .map((t) => t.topic);
    assert.deepEqual(notRf3, [topic], 'seed, workload and internal topics have RF 3; the test topic 1');
    // MM2 picks the test's new topic up within its refresh interval: then the migration is healthy.
    await eventually('a healthy status', async () => (await statusDoc()).code === 0, 60_000, 2000);
    const { doc } = await statusDoc();
    assert.equal(doc.clusters.source.brokers, 3);
    assert.equal(doc.clusters.source.offlinePartitions, 0);
  });

  it('shows offline and under-replicated partitions as kcat does, stays reachable, recovers by itself', async () => {
    const console = await ConsoleSession.start('brokers', LAB, { width: 160, height: 40 });
    try {
      await console.waitFor(/SOURCE old .*3 brokers\s+✓ reachable/, 60_000);
      const stop = await mirrorwatch(['lab', 'broker', 'stop', '--cluster', 'source', '--id', '2', ...STATE]);
      assert.equal(stop.code, 0, stop.stderr);
      const stopped = await labStatusOf(STATE_DIR);
      assert.deepEqual(
        stopped.source.brokers.map((b) => [b.id, b.running, b.stoppedByOperator]),
        [
          [1, true, false],
          [2, false, true],
          [3, true, false],
        ],
      );
      assert.equal(stopped.state, 'running', 'a broker stopped on purpose leaves the lab running');

      // Once the controller has fenced broker 2, kcat (asking broker 1) sees the partitions' new state.
      const source = `127.0.0.1:${lab.source.brokers[0]!.port}`;
      await eventually(
        'kcat sees the offline partitions',
        async () => (await kcatReplicaHealth(source)).offline === 3,
        60_000,
      );
      // The console shows them within two refreshes (2 s each), without a key press.
      const screen = await console.waitFor(
        /SOURCE old .*2 brokers\s+✗ 3 offline, \d+ under-replicated/,
        6000,
      );
      assert.doesNotMatch(screen, /SOURCE old .*(STALE|unreachable)/);

      // mirrorwatch's Metadata decoder reads what kcat reads, offline partitions included, and a second
      // answer keeps the objects of the topics whose bytes did not change.
      const wire = new WireCluster({ name: 'source', brokers: [source] }, 'test-metadata');
      try {
        await eventually(
          'the Metadata decoder agrees with kcat',
          async () => {
            const expected = await kcatPartitionLines(source);
            const first = await wirePartitionLines(wire);
            const second = await wirePartitionLines(wire);
            if (JSON.stringify(expected) !== JSON.stringify(await kcatPartitionLines(source))) return false;
            assert.deepEqual(first.lines, expected);
            assert.deepEqual(second.lines, expected);
            const before = new Map(first.metadata.topicMetadata.map((t) => [t.topic, t]));
            assert.ok(second.metadata.topicMetadata.every((t) => before.get(t.topic) === t));
            return true;
          },
          60_000,
        );
      } finally {
        await wire.disconnect();
      }

      // status and topics agree with kcat, and the cluster is reachable (exit 1 degraded, not 2).
      await eventually(
        'status agrees with kcat',
        async () => {
          const expected = await kcatReplicaHealth(source);
          const { code, doc } = await statusDoc();
          const again = await kcatReplicaHealth(source);
          if (JSON.stringify(expected) !== JSON.stringify(again)) return false;
          assert.equal(code, 1);
          assert.equal(doc.clusters.source.reachable, true);
          assert.equal(doc.clusters.source.brokers, 2);
          assert.ok(
            doc.problems.some((p: string) => /source cluster: 3 offline, \d+ under-replicated/.test(p)),
            JSON.stringify(doc.problems),
          );
          assert.equal(doc.stale.length, 0, JSON.stringify(doc.stale));
          return (
            doc.clusters.source.offlinePartitions === expected.offline &&
            doc.clusters.source.underReplicatedPartitions === expected.underReplicated &&
            expected.underReplicated > 0
          );
        },
        60_000,
      );
      const rows = JSON.parse(
        (await mirrorwatch(['topics', '--json', '--cluster', 'source', ...LAB])).stdout,
      );
      const row = rows.find((r: { topic: string }) => r.topic === topic);
      assert.equal(row.offlinePartitions, 3);
      assert.equal(
        rows.find((r: { topic: string }) => r.topic === 'apache-logs').underReplicatedPartitions,
        15,
      );
      const consume = await mirrorwatch([
        'consume',
        '--cluster',
        'source',
        '--topic',
        topic,
        '--count-only',
        ...LAB,
      ]);
      assert.equal(consume.code, 1);
      assert.match(consume.stderr, /partition\(s\) 0,1,2 of .* offline \(no leader\): not read/);

      const start = await mirrorwatch(
        ['lab', 'broker', 'start', '--cluster', 'source', '--id', '2', ...STATE],
        {
          timeoutMs: 180_000,
        },
      );
      assert.equal(start.code, 0, start.stderr);
      await eventually(
        'kcat sees every partition back in sync',
        async () => JSON.stringify(await kcatReplicaHealth(source)) === '{"offline":0,"underReplicated":0}',
        120_000,
      );
      await console.waitFor(/SOURCE old .*3 brokers\s+✓ reachable/, 10_000);
      const { code } = await statusDoc();
      assert.equal(code, 0);
    } finally {
      await console.stop();
    }
  });

  it('with a target broker down, still says why the target refuses a topic MM2 cannot create', async () => {
    // The source (3.9) takes segment.bytes=100, the target (4.x) refuses it: MM2 leaves the topic missing.
    const refused = uniqueValue('refused-small-segments');
    const admin = createKafka({ name: 'source', brokers: lab.source.bootstrap.split(',') }, 'test').admin();
    await admin.connect();
    try {
      const stop = await mirrorwatch(['lab', 'broker', 'stop', '--cluster', 'target', '--id', '2', ...STATE]);
      assert.equal(stop.code, 0, stop.stderr);
      await admin.createTopics({
        waitForLeaders: true,
        topics: [
          { topic: refused, numPartitions: 2, configEntries: [{ name: 'segment.bytes', value: '100' }] },
        ],
      });
      // The refusal is asked of the target with a validate-only CreateTopics, which one of the two brokers
      // left takes; the source topic's configs come from the source. Both clusters stay reachable.
      await eventually(
        'status names the refusal',
        async () => {
          const { code, doc } = await statusDoc();
          assert.equal(code, 1);
          assert.equal(doc.clusters.target.reachable, true);
          assert.equal(doc.clusters.target.brokers, 2);
          return (doc.problems as string[]).some((p) =>
            p.includes(
              `${refused} (the target refuses it: Invalid value 100 for configuration segment.bytes: Value must be at least 1048576)`,
            ),
          );
        },
        60_000,
        2000,
      );
    } finally {
      await admin.deleteTopics({ topics: [refused] }).finally(() => admin.disconnect());
      const start = await mirrorwatch(
        ['lab', 'broker', 'start', '--cluster', 'target', '--id', '2', ...STATE],
        {
          timeoutMs: 180_000,
        },
      );
      assert.equal(start.code, 0, start.stderr);
    }
    await eventually('a healthy status again', async () => (await statusDoc()).code === 0, 120_000, 2000);
  });
});
