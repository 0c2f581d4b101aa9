import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LagRow } from '../../source/cli/commands/lag.js';
import type { TopicRow } from '../../source/cli/commands/topics.js';
import { resolveConnection } from '../../source/config/connection.js';
import { findLab } from '../../source/lab/lab-status.js';
import { Poller } from '../../source/monitor/poller.js';
import type { Snapshot } from '../../source/monitor/snapshot.js';
import { consumerGroupsTool, lagRowsLikeTool } from '../helpers/consumer-groups.js';
import { eventually, SHARED_LAB_DIR, sharedLab, uniqueValue } from '../helpers/lab.js';
import { kafkaTool, kcat, kcatProduce, mirrorwatch } from '../helpers/run.js';

const LAB = ['--lab', SHARED_LAB_DIR];

async function kcatTopics(brokers: string): Promise<Map<string, number>> {
  const result = await kcat(['-L', '-b', brokers, '-m', '10']);
  assert.equal(result.code, 0, result.stderr);
  return new Map(
    [...result.stdout.matchAll(/topic "([^"]+)" with (\d+) partitions/g)].map((m) => [m[1]!, Number(m[2])]),
  );
}

describe('plain commands against the lab', () => {
  it('topics --json agrees with kcat -L on both clusters', async () => {
    const lab = await sharedLab();
    const result = await mirrorwatch(['topics', '--json', ...LAB]);
    assert.equal(result.code, 0, result.stderr);
    const rows = JSON.parse(result.stdout) as TopicRow[];
    for (const [cluster, brokers] of [
      ['source', lab.source.bootstrap],
      ['target', lab.target.bootstrap],
    ] as const) {
      const expected = await kcatTopics(brokers);
      const got = new Map(rows.filter((r) => r.cluster === cluster).map((r) => [r.topic, r.partitions]));
      assert.deepEqual(got, expected, `${cluster} topics`);
    }
    const topic2 = rows.find((r) => r.cluster === 'source' && r.topic === 'topic2');
    assert.equal(topic2?.records, 20_000);
    assert.equal(topic2?.replicationFactor, 1);
    assert.deepEqual(topic2?.mirror, { topic: 'topic2', state: 'in-sync' });
  });

  it("topics lists the names in kafka-topics --list's order (Java's String order, not a locale's)", async () => {
    const lab = await sharedLab();
    for (const [cluster, brokers] of [
      ['source', lab.source.bootstrap],
      ['target', lab.target.bootstrap],
    ] as const) {
      const tool = await kafkaTool(lab.kafkaLibDir, 'org.apache.kafka.tools.TopicCommand', [
        '--bootstrap-server',
        brokers,
        '--list',
        '--exclude-internal',
      ]);
      assert.equal(tool.code, 0, tool.stderr);
      const result = await mirrorwatch([
        'topics',
        '--json',
        '--cluster',
        cluster,
        '--exclude-internal',
        ...LAB,
      ]);
      assert.equal(result.code, 0, result.stderr);
      const ours = (JSON.parse(result.stdout) as TopicRow[]).map((r) => r.topic);
      assert.deepEqual(ours, tool.stdout.trim().split('\n'), `${cluster} topics in order`);
      // The seed topics are where a locale's order differs: DmmAccess before apache-logs.
      if (cluster === 'source') assert.ok(ours.indexOf('DmmAccess') < ours.indexOf('apache-logs'));
    }
  });

  it('lag --json agrees row for row with kafka-consumer-groups --describe --all-groups', async () => {
    const lab = await sharedLab();
    await eventually(
      'both tools to agree on both clusters',
      async () => {
        const result = await mirrorwatch(['lag', '--json', ...LAB]);
        assert.equal(result.code, 0, result.stderr);
        const rows = JSON.parse(result.stdout) as LagRow[];
        const source = await consumerGroupsTool(lab.kafkaLibDir, lab.source.bootstrap);
        const target = await consumerGroupsTool(lab.kafkaLibDir, lab.target.bootstrap);
        assert.ok(source.size >= 21, 'the two seed groups cover 21 partitions');
        assert.deepEqual(lagRowsLikeTool(rows, 'source'), source);
        assert.deepEqual(lagRowsLikeTool(rows, 'target'), target);
        const translated = rows.filter((r) => r.cluster === 'target' && r.translatedFrom);
        assert.ok(translated.length > 0, 'target rows carry the MM2 translation');
        return true;
      },
      60_000,
      3000,
    );
  });

  it('consume --count-only reads topic2 with the same count as kcat on both clusters', async () => {
    const lab = await sharedLab();
    for (const [cluster, brokers] of [
      ['source', lab.source.bootstrap],
      ['target', lab.target.bootstrap],
    ] as const) {
      const result = await mirrorwatch([
        'consume',
        '--cluster',
        cluster,
        '--topic',
        'topic2',
        '--count-only',
        '--json',
        ...LAB,
      ]);
      assert.equal(result.code, 0, result.stderr);
      const summary = JSON.parse(result.stdout) as {
        cluster: string;
        topic: string;
        count: number;
        partitions: Record<string, number>;
        offline: number[];
      };
      const counted = await kcat(['-C', '-b', brokers, '-t', 'topic2', '-e', '-q', '-f', '%o\n']);
      const kcatCount = counted.stdout.split('\n').filter((l) => l.length > 0).length;
      assert.equal(kcatCount, 20_000);
      assert.deepEqual(summary, {
        cluster,
        topic: 'topic2',
        count: kcatCount,
        partitions: { '0': kcatCount },
        offline: [],
      });
    }
  });

  it('consume prints records with escaped keys and values', async () => {
    const lab = await sharedLab();
    const value = `${uniqueValue('escape')}\u001b]0;pwned\u0007\u001b[31mred`;
    await kcatProduce(lab.source.bootstrap, 'topic1', value);
    const result = await mirrorwatch(['consume', '--cluster', 'source', '--topic', 'topic1', ...LAB]);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(!result.stdout.includes('\u001b'), 'no raw ESC reaches the terminal');
    assert.match(result.stdout, /\\x1b\]0;pwned\\x07\\x1b\[31mred/);
  });

  it('status --json: heartbeat fresh, connectors RUNNING, records counted, lag reaching 0 after traffic stops', async () => {
    const lab = await sharedLab();
    for (let i = 0; i < 30; i++)
      await kcatProduce(lab.source.bootstrap, 'apache-logs', uniqueValue('status'), `k${i}`);
    await eventually(
      'replication lag 0',
      async () => {
        const result = await mirrorwatch(['status', '--json', ...LAB]);
        const doc = JSON.parse(result.stdout);
        assert.equal(result.code, 0, `${doc.problems}`);
        assert.equal(doc.verdict, 'healthy');
        assert.equal(doc.clusters.source.reachable, true);
        assert.equal(doc.clusters.source.version, '3.9');
        assert.equal(doc.clusters.target.version, '4.x');
        const heartbeat = doc.heartbeats.find((h: { source: string }) => h.source === 'old');
        assert.ok(heartbeat.ageMs < 30_000, `heartbeat age ${heartbeat.ageMs}`);
        assert.equal(doc.mirror.connectors.length, 3);
        for (const c of doc.mirror.connectors) {
          assert.equal(c.state, 'RUNNING');
          assert.ok(c.tasks.every((t: { state: string }) => t.state === 'RUNNING'));
        }
        assert.ok(doc.metrics.recordCount > 0);
        assert.ok(doc.replication.partitions.length >= 23);
        return (
          doc.replication.totalLag === 0 &&
          doc.replication.partitions.every((p: { lag: number }) => p.lag === 0)
        );
      },
      90_000,
      2000,
    );
  });

  it('--debug prints the request count of the refresh', async () => {
    const result = await mirrorwatch(['topics', '--debug', '--cluster', 'source', ...LAB]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^debug: refresh #1: \d+ requests \(source \d+\) in \d+ ms$/m);
  });

  it('status --json agrees with independent sources: kcat (heartbeats), Connect REST, the metrics endpoint', async () => {
    const lab = await sharedLab();
    await eventually(
      'status and the independent reads to agree',
      async () => {
        const result = await mirrorwatch(['status', '--json', ...LAB]);
        const doc = JSON.parse(result.stdout);
        // Heartbeat: the newest record of `heartbeats` on the target, read with kcat (record timestamp).
        const hb = await kcat([
          '-C',
          '-b',
          lab.target.bootstrap,
          '-t',
          'heartbeats',
          '-o',
          '-1',
          '-e',
          '-q',
          '-f',
          '%T\n',
        ]);
        const kcatTimestamp = Number(hb.stdout.trim().split('\n').pop());
        const heartbeat = doc.heartbeats.find((h: { source: string }) => h.source === 'old');
        const ourTimestamp = Date.parse(doc.takenAt) - heartbeat.ageMs;
        assert.ok(
          Math.abs(ourTimestamp - kcatTimestamp) <= 3000,
          `heartbeat ${ourTimestamp} vs kcat ${kcatTimestamp}`,
        );
        // Connectors and task states: Connect REST asked directly.
        const rest = (await (await fetch(`${lab.connect.url}/connectors?expand=status`)).json()) as Record<
          string,
          {
            status: {
              name: string;
              connector: { state: string };
              tasks: Array<{ id: number; state: string }>;
            };
          }
        >;
        const expected = Object.values(rest)
          .map((r) => ({
            name: r.status.name,
            state: r.status.connector.state,
            tasks: r.status.tasks.map((t) => ({ id: t.id, state: t.state })).sort((a, b) => a.id - b.id),
          }))
          .sort((a, b) => a.name.localeCompare(b.name));
        assert.deepEqual(doc.mirror.connectors, expected);
        // Record count: the sum of the exporter's record_count lines, scraped directly.
        const metrics = await (await fetch(lab.metrics.url)).text();
        const scraped = [
          ...metrics.matchAll(/^kafka_connect_mirror_mirrorsourceconnector_record_count\{[^}]*\} (\S+)/gm),
        ].reduce((sum, m) => sum + Number(m[1]), 0);
        assert.equal(doc.metrics.recordCount, scraped);
        return true;
      },
      30_000,
      1000,
    );
  });
});

describe('the console’s poller against the lab', () => {
  it('takes MM2 positions from the offsets topic once it reads it, as Connect REST gives them, and stops asking REST', async () => {
    const lab = await sharedLab();
    const poller = new Poller({ connection: resolveConnection({ lab: SHARED_LAB_DIR }, findLab) });
    const snapshots: Snapshot[] = [];
    poller.subscribe((s) => snapshots.push(s));
    poller.start();
    try {
      await eventually(
        'positions from the offsets topic, equal to what Connect REST says',
        async () => {
          const last = snapshots.at(-1);
          if (!last || !/^topic /.test(last.mirror.positionsFrom ?? '')) return false;
          // Statuses only: the offsets are not asked for.
          assert.equal(last.health.connect.requests, 1);
          const connectors = (await (await fetch(`${lab.connect.url}/connectors`)).json()) as string[];
          const rest = new Map<string, number>();
          for (const name of connectors.filter((c) => c.endsWith('MirrorSourceConnector'))) {
            const url = `${lab.connect.url}/connectors/${encodeURIComponent(name)}/offsets`;
            const { offsets } = (await (await fetch(url)).json()) as {
              offsets: Array<{ partition: { topic: string; partition: number }; offset: { offset: number } }>;
            };
            for (const o of offsets)
              rest.set(`${o.partition.topic}/${o.partition.partition}`, o.offset.offset);
          }
          // REST keeps the positions of topics deleted since: compare the topics the source has.
          const mirrored = new Set(last.mirror.topics.map((t) => t.source));
          for (const key of rest.keys())
            if (!mirrored.has(key.slice(0, key.lastIndexOf('/')))) rest.delete(key);
          const ours = new Map<string, number>();
          for (const t of last.mirror.topics)
            for (const p of t.partitions)
              if (p.mm2Position !== null) ours.set(`${t.source}/${p.partition}`, p.mm2Position);
          // Records flow in the lab: compare where REST's answer and ours are of the same moment.
          if (JSON.stringify([...rest].sort()) !== JSON.stringify([...ours].sort())) return false;
          return rest.size > 0;
        },
        60_000,
        1000,
      );
    } finally {
      await poller.stop();
    }
  });

  it("each mirror partition's MM2 record count is the exporter's for its target topic and partition", async () => {
    const lab = await sharedLab();
    // record_count only grows: a direct scrape before the poller's and one after bracket what it read.
    const scrapeCounts = async () => {
      const page = await (await fetch(lab.metrics.url)).text();
      const counts = new Map<string, number>();
      for (const m of page.matchAll(
        /^kafka_connect_mirror_mirrorsourceconnector_record_count\{([^}]*)\} (\S+)/gm,
      )) {
        const labels = new Map([...(m[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
        counts.set(`${labels.get('topic')}/${labels.get('partition')}`, Number(m[2]));
      }
      return counts;
    };
    const poller = new Poller({ connection: resolveConnection({ lab: SHARED_LAB_DIR }, findLab) });
    try {
      const before = await scrapeCounts();
      const snapshot = await poller.refresh();
      const after = await scrapeCounts();
      const ours = new Map<string, number>();
      for (const t of snapshot.mirror.topics)
        for (const p of t.partitions)
          if (p.recordCount !== null) ours.set(`${t.target}/${p.partition}`, p.recordCount);
      assert.ok(ours.size > 0, 'record counts joined');
      const mirroredKeys = [...after.keys()].filter((k) =>
        snapshot.mirror.topics.some((t) => k.startsWith(`${t.target}/`)),
      );
      assert.deepEqual([...ours.keys()].sort(), mirroredKeys.sort());
      for (const [key, count] of ours) {
        assert.ok(
          (before.get(key) ?? 0) <= count,
          `${key}: ${count} below the earlier scrape's ${before.get(key)}`,
        );
        assert.ok(
          count <= (after.get(key) ?? -1),
          `${key}: ${count} above the later scrape's ${after.get(key)}`,
        );
      }
    } finally {
      await poller.stop();
    }
  });
});
