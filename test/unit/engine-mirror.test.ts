import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { missingTopicsPlan } from '../../source/actions/create-topics.js';
import { normaliseMetricsUrl, parseBootstrap } from '../../source/config/connection.js';
import { inferKafkaVersion } from '../../source/kafka/version.js';
import { committedTopics } from '../../source/kafka/wire-cluster.js';
import {
  attachTranslations,
  buildMirrorTopics,
  isUserTopic,
  summariseCheckpoints,
} from '../../source/model/mirror.js';
import { buildGroup } from '../../source/monitor/read-cluster.js';
import { offsetsTopicCandidates } from '../../source/monitor/read-mm2-internal.js';
import type { TopicInfo } from '../../source/monitor/snapshot.js';
import { checkpointsByGroup } from '../helpers/group-partitions.js';
import { clusterView } from '../helpers/snapshot.js';

const identity = { kind: 'identity' as const, separator: '.' };
const prefixing = { kind: 'default' as const, separator: '.' };

function topic(name: string, ranges: Array<[number, number]>): TopicInfo {
  return {
    name,
    internal: name.startsWith('__'),
    replicationFactor: 3,
    partitions: ranges.map(([earliest, latest], partition) => ({
      partition,
      leader: 1,
      replicas: 3,
      isr: 3,
      earliest,
      latest,
    })),
    records: ranges.reduce((sum, [a, b]) => sum + b - a, 0),
  };
}

const cluster = (role: 'source' | 'target', topics: TopicInfo[]) => clusterView(role, topics);

describe('mirror join', () => {
  const source = cluster('source', [
    topic('orders', [
      [0, 100],
      [10, 50],
    ]),
    topic('payments', [[0, 5]]),
    topic('events', [
      [0, 7],
      [0, 7],
    ]),
    topic('__consumer_offsets', [[0, 1]]),
    topic('mm2-offset-syncs.new.internal', [[0, 3]]),
    topic('heartbeats', [[0, 9]]),
  ]);

  it('lists user topics with their state and MM2 lag per partition', () => {
    const target = cluster('target', [
      topic('orders', [
        [0, 99],
        [0, 40],
      ]),
      topic('events', [[0, 7]]),
    ]);
    const positions = new Map<string, number | null>([
      ['orders\u00000', 98],
      ['orders\u00001', 49],
    ]);
    const mirror = buildMirrorTopics({
      source,
      target,
      sourceAlias: 'old',
      policy: identity,
      positions,
      metricPartitions: [],
    });
    assert.deepEqual(
      mirror.map((m) => [m.source, m.target, m.state, m.lag]),
      [
        ['orders', 'orders', 'mirroring', 1],
        ['payments', 'payments', 'missing', 5],
        ['events', 'events', 'partition-mismatch', 14],
      ],
    );
    const orders = mirror[0]!;
    assert.deepEqual(
      orders.partitions.map((p) => [p.partition, p.mm2Position, p.lag, p.targetLatest]),
      [
        [0, 98, 1, 99],
        [1, 49, 0, 40],
      ],
    );
  });

  it('maps names through DefaultReplicationPolicy and joins metrics by the target-side name', () => {
    const target = cluster('target', [
      topic('old.orders', [
        [0, 100],
        [0, 40],
      ]),
    ]);
    const mirror = buildMirrorTopics({
      source,
      target,
      sourceAlias: 'old',
      policy: prefixing,
      positions: null,
      metricPartitions: [
        { topic: 'old.orders', partition: 1, recordCount: 40, recordAgeMs: 12, replicationLatencyMs: 30 },
      ],
    });
    const orders = mirror.find((m) => m.source === 'orders')!;
    assert.equal(orders.target, 'old.orders');
    assert.equal(orders.state, 'unknown', 'no MM2 positions: in sync or not cannot be told');
    assert.equal(orders.lag, null);
    assert.deepEqual(
      [
        orders.partitions[1]!.recordCount,
        orders.partitions[1]!.recordAgeMs,
        orders.partitions[1]!.replicationLatencyMs,
      ],
      [40, 12, 30],
    );
  });

  it('reports in-sync when every partition has lag 0, and plans the missing topics', () => {
    const target = cluster('target', [
      topic('orders', [
        [0, 100],
        [10, 50],
      ]),
    ]);
    const positions = new Map<string, number | null>([
      ['orders\u00000', 99],
      ['orders\u00001', 49],
      ['payments\u00000', 4],
      ['events\u00000', 6],
      ['events\u00001', 6],
    ]);
    const topics = buildMirrorTopics({
      source,
      target,
      sourceAlias: 'old',
      policy: identity,
      positions,
      metricPartitions: [],
    });
    assert.equal(topics.find((t) => t.source === 'orders')?.state, 'in-sync');
    const snapshot = { mirror: { topics }, source, target } as unknown as Parameters<
      typeof missingTopicsPlan
    >[0];
    assert.deepEqual(missingTopicsPlan(snapshot), [
      { source: 'payments', target: 'payments', partitions: 1, replicationFactor: 1, configs: {} },
      { source: 'events', target: 'events', partitions: 2, replicationFactor: 1, configs: {} },
    ]);
  });

  it('marks the topics an mm2.properties flow leaves out as not mirrored, never missing', () => {
    const target = cluster('target', [
      topic('orders', [
        [0, 100],
        [10, 50],
      ]),
    ]);
    const flow = {
      source: 'old',
      target: 'new',
      topics: ['orders', 'pay.*'],
      topicsExclude: ['payments'],
      groups: ['.*'],
      groupsExclude: [],
      emitHeartbeats: true,
      emitCheckpoints: true,
      syncGroupOffsets: true,
    };
    const mirror = buildMirrorTopics({
      source,
      target,
      sourceAlias: 'old',
      policy: identity,
      positions: new Map([['payments\u00000', 4]]),
      metricPartitions: [],
      flow,
    });
    assert.deepEqual(
      mirror.map((m) => [m.source, m.state]),
      [
        ['orders', 'mirroring'],
        ['payments', 'not-mirrored'],
        ['events', 'not-mirrored'],
      ],
    );
    const payments = mirror.find((m) => m.source === 'payments');
    assert.equal(payments?.lag, null, 'a topic MM2 does not copy has no replication lag');
    assert.equal(payments?.partitions[0]?.mm2Position, null);
    const snapshot = { mirror: { topics: mirror }, source, target } as unknown as Parameters<
      typeof missingTopicsPlan
    >[0];
    assert.deepEqual(
      missingTopicsPlan(snapshot).map((p) => p.source),
      [],
      'T does not create topics the flow leaves out',
    );
  });

  it('keeps MM2, Connect and Kafka internal topics out of the user topics', () => {
    assert.deepEqual(
      [
        'orders',
        '__consumer_offsets',
        'mm2-offset-syncs.new.internal',
        'heartbeats',
        'old.heartbeats',
        'mm2-connect-offsets',
        'old.checkpoints.internal',
      ].filter((t) => isUserTopic(t, identity)),
      ['orders'],
    );
  });
});

/** Offsets of `orders` on the cluster a group is read from. */
const offsets = new Map([
  [
    'orders',
    new Map([
      [0, { earliest: 0, latest: 100 }],
      [1, { earliest: 0, latest: 10 }],
    ]),
  ],
]);

describe('groups and translations', () => {
  it('computes lag per partition as kafka-consumer-groups does, flagging a committed offset past the end', () => {
    const group = buildGroup(
      'target',
      'billing',
      'consumer',
      undefined,
      committedTopics([
        { topic: 'orders', partition: 0, offset: 60 },
        { topic: 'orders', partition: 1, offset: 12 },
        { topic: 'gone', partition: 0, offset: 5 },
      ]),
      offsets,
    );
    assert.deepEqual(
      group.partitions.rows().map((p) => [p.topic, p.partition, p.committed, p.logEnd, p.lag, p.negative]),
      [
        ['gone', 0, 5, null, null, false],
        ['orders', 0, 60, 100, 40, false],
        ['orders', 1, 12, 10, 0, true],
      ],
    );
    assert.equal(group.totalLag, 40);
    assert.equal(group.state, 'Unknown');
  });

  /** billing on the target, committed on orders-0. */
  const billingOnTarget = () =>
    buildGroup(
      'target',
      'billing',
      '',
      undefined,
      committedTopics([{ topic: 'orders', partition: 0, offset: 60 }]),
      offsets,
    );

  it('attaches the checkpoints MM2 wrote to the target group', () => {
    const group = billingOnTarget();
    const billing = {
      group: 'billing',
      topic: 'orders',
      partition: 0,
      upstreamOffset: 61,
      downstreamOffset: 60,
      recordTimestampMs: 1000,
    };
    const other = { ...billing, group: 'other', upstreamOffset: 1, downstreamOffset: 1 };
    const [withTranslations] = attachTranslations([group], checkpointsByGroup([billing, other]));
    assert.equal(withTranslations!.translations.length, 1);
    const { group: _, ...translation } = billing;
    assert.deepEqual(withTranslations!.translations.at(0), translation);
  });

  it("sorts a group's translations by topic and partition whatever order MM2 wrote them in", () => {
    const group = billingOnTarget();
    const checkpoint = (topic: string, partition: number) => ({
      group: 'billing',
      topic,
      partition,
      upstreamOffset: 1,
      downstreamOffset: 1,
      recordTimestampMs: 1000,
    });
    const [withTranslations] = attachTranslations(
      [group],
      checkpointsByGroup([
        checkpoint('orders', 1),
        checkpoint('audit', 0),
        checkpoint('orders', 0),
        checkpoint('Zeta', 2),
      ]),
    );
    assert.deepEqual(
      withTranslations!.translations.rows().map((t) => `${t.topic}-${t.partition}`),
      ['Zeta-2', 'audit-0', 'orders-0', 'orders-1'],
    );
  });
});

describe('connection parsing and discovery', () => {
  it('parses bootstrap lists and refuses malformed ones', () => {
    assert.deepEqual(parseBootstrap('a:9092, PLAINTEXT://b:9093,[::1]:9094', 'source'), [
      'a:9092',
      'b:9093',
      '[::1]:9094',
    ]);
    assert.throws(
      () => parseBootstrap('nohost', 'source'),
      /bad source bootstrap address 'nohost': expected host:port/,
    );
    assert.throws(() => parseBootstrap('a:99999', 'target'), /bad target bootstrap address 'a:99999'/);
    assert.throws(() => parseBootstrap(' , ', 'target'), /no target bootstrap servers/);
  });

  it('completes a metrics address to a /metrics URL', () => {
    assert.equal(normaliseMetricsUrl('mm2:9099'), 'http://mm2:9099/metrics');
    assert.equal(normaliseMetricsUrl('https://mm2/prom'), 'https://mm2/prom');
    assert.throws(() => normaliseMetricsUrl('ftp://mm2'), /only http and https/);
  });

  it('finds the Connect offsets topic that holds MM2 positions', () => {
    const topics = [
      'orders',
      'mm2-offsets.old.internal',
      'connect-offsets',
      '__consumer_offsets',
      'mm2-offset-syncs.new.internal',
    ];
    assert.deepEqual(offsetsTopicCandidates(topics, 'old', null), ['mm2-offsets.old.internal']);
    assert.deepEqual(offsetsTopicCandidates(topics.slice(2), 'old', null), ['connect-offsets']);
    assert.deepEqual(offsetsTopicCandidates(['mirrormaker2-cluster-offsets', 'x'], 'src', null), [
      'mirrormaker2-cluster-offsets',
    ]);
    assert.deepEqual(offsetsTopicCandidates(topics, 'old', 'connect-offsets'), ['connect-offsets']);
    assert.deepEqual(offsetsTopicCandidates(topics, 'old', 'absent'), []);
  });

  it('infers the Kafka version from ApiVersions (markers seen on the lab brokers)', () => {
    const range = (minVersion: number, maxVersion: number) => ({ minVersion, maxVersion });
    assert.equal(inferKafkaVersion({ '1': range(4, 18), '80': range(0, 0) }), '4.x');
    assert.equal(inferKafkaVersion({ '1': range(0, 17), '80': range(0, 0) }), '3.9');
    assert.equal(inferKafkaVersion({ '1': range(0, 16), '71': range(0, 0) }), '3.7–3.8');
    assert.equal(inferKafkaVersion({ '1': range(0, 13), '65': range(0, 0) }), '3.0–3.6');
    assert.equal(inferKafkaVersion({ '1': range(0, 12) }), '<3.0');
    assert.equal(inferKafkaVersion(null), null);
  });
});

describe('checkpoint summaries', () => {
  const idle = buildGroup(
    'source',
    'idle',
    'consumer',
    undefined,
    committedTopics([
      { topic: 'orders', partition: 0, offset: 29 },
      { topic: 'orders', partition: 1, offset: 10 },
    ]),
    offsets,
  );
  const checkpoint = (
    group: string,
    partition: number,
    upstreamOffset: number,
    recordTimestampMs: number,
  ) => ({
    group,
    topic: 'old.orders',
    partition,
    upstreamOffset,
    downstreamOffset: 1,
    recordTimestampMs,
  });
  /** [group, current] of each summary, two seconds on. */
  const currentness = (
    checkpoints: ReturnType<typeof checkpoint>[],
    groups: Parameters<typeof summariseCheckpoints>[1],
  ) =>
    summariseCheckpoints(checkpointsByGroup(checkpoints), groups, (t) => `old.${t}`, 2000).map((s) => [
      s.group,
      s.current,
    ]);

  it('marks an old checkpoint current when the source group has not moved since', () => {
    const [summary] = summariseCheckpoints(
      checkpointsByGroup([checkpoint('idle', 0, 29, 1000), checkpoint('idle', 1, 10, 5000)]),
      [idle],
      (t) => `old.${t}`,
      65_000,
    );
    assert.deepEqual(summary, {
      group: 'idle',
      partitions: 2,
      newestTimestampMs: 5000,
      ageMs: 60_000,
      current: true,
    });
  });

  it('matches each partition to its own checkpoint, whichever partitions and order MM2 wrote', () => {
    const tail = buildGroup(
      'source',
      'tail',
      'consumer',
      undefined,
      committedTopics([{ topic: 'orders', partition: 1, offset: 10 }]),
      offsets,
    );
    assert.deepEqual(
      currentness(
        [
          checkpoint('tail', 1, 10, 1000),
          // Written out of order: partition 1 before 0.
          checkpoint('idle', 1, 10, 1000),
          checkpoint('idle', 0, 29, 1000),
          // Only the higher partition: partition 0's commit has no checkpoint.
          checkpoint('half', 1, 10, 1000),
        ],
        [idle, tail, { ...idle, group: 'half' }],
      ),
      [
        ['half', false],
        ['idle', true],
        ['tail', true],
      ],
    );
  });

  it('is not current when the group committed past its checkpoint or is gone from the source', () => {
    assert.deepEqual(
      currentness(
        [checkpoint('idle', 0, 20, 1000), checkpoint('idle', 1, 10, 1000), checkpoint('gone', 0, 5, 1000)],
        [idle],
      ),
      [
        ['gone', false],
        ['idle', false],
      ],
    );
  });
});
