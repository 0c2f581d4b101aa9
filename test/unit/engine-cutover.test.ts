import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupedVerifyText } from '../../source/cli/commands/verify.js';
import { mirrorSourceReplicationFactor } from '../../source/mm2/source-connector-config.js';
import { cutoverGate, groupGateChecks } from '../../source/model/cutover.js';
import { configsMm2Copies, mm2Refusals, withOrigin } from '../../source/monitor/read-refused-topics.js';
import type { GroupInfo, GroupPartition, Translation } from '../../source/monitor/snapshot.js';
import { mapPartitions, partitionsOf, plainRows, translationsOf } from '../helpers/group-partitions.js';
import { mirrorTopic, snapshot } from '../helpers/snapshot.js';

function group(
  cluster: 'source' | 'target',
  committed: number,
  logEnd: number,
  translationRows: Translation[] = [],
): GroupInfo {
  const translations = translationsOf(translationRows);
  return {
    cluster,
    group: 'billing',
    state: 'Empty',
    protocolType: 'consumer',
    protocol: 'classic',
    members: 0,
    partitions: partitionsOf([
      {
        topic: 'orders',
        partition: 0,
        committed,
        logEnd,
        belowLogStart: false,
        lag: logEnd - committed,
        negative: false,
        owner: null,
      },
    ]),
    totalLag: logEnd - committed,
    translations,
  };
}

describe('cutover gate', () => {
  it('opens when topics are copied, consumers caught up and offsets translated and synced', () => {
    const s = snapshot();
    s.mirror.topics = [mirrorTopic('orders', 0)];
    s.source = { ...s.source, groups: [group('source', 10, 10)] };
    s.target = {
      ...s.target,
      groups: [
        group('target', 10, 10, [
          {
            topic: 'orders',
            partition: 0,
            upstreamOffset: 10,
            downstreamOffset: 10,
            recordTimestampMs: 1,
          },
        ]),
      ],
    };
    const gate = cutoverGate(s);
    assert.equal(gate.ready, true, JSON.stringify(gate.checks));
    assert.ok(gate.checks.every((c) => c.ok));
  });

  it('stays closed on MM2 lag, source lag and a missing checkpoint, and warns about re-reads', () => {
    const s = snapshot();
    s.mirror.topics = [mirrorTopic('orders', 2)];
    s.source = { ...s.source, groups: [group('source', 7, 10)] };
    s.target = {
      ...s.target,
      groups: [
        group('target', 1, 10, [
          { topic: 'orders', partition: 0, upstreamOffset: 5, downstreamOffset: 1, recordTimestampMs: 1 },
        ]),
      ],
    };
    const gate = cutoverGate(s);
    assert.equal(gate.ready, false);
    assert.deepEqual(
      gate.checks.filter((c) => !c.ok).map((c) => c.detail),
      [
        'MM2 lag 2 on partition(s) 0',
        'lag 3 on the source: consumers have not finished',
        '1 of 1 partition(s) without a checkpoint of the current source offset',
      ],
    );

    s.mirror.topics = [mirrorTopic('orders', 0)];
    s.source = { ...s.source, groups: [group('source', 10, 10)] };
    s.target = {
      ...s.target,
      groups: [
        group('target', 4, 10, [
          {
            topic: 'orders',
            partition: 0,
            upstreamOffset: 10,
            downstreamOffset: 4,
            recordTimestampMs: 1,
          },
        ]),
      ],
    };
    const coarse = cutoverGate(s);
    assert.equal(coarse.ready, true);
    assert.deepEqual(
      coarse.checks.filter((c) => !c.ok).map((c) => [c.blocking, c.detail]),
      [
        [
          false,
          'consumers moved now would re-read 6 record(s) on the target (translation granularity, offset.lag.max)',
        ],
      ],
    );
  });

  it('warns, without blocking, of a group committed below the log start on either side', () => {
    const s = snapshot();
    s.mirror.topics = [mirrorTopic('orders', 0)];
    const below = (g: GroupInfo): GroupInfo => ({
      ...g,
      partitions: mapPartitions(g.partitions, (p) => ({ ...p, belowLogStart: true })),
    });
    const translation = {
      topic: 'orders',
      partition: 0,
      upstreamOffset: 10,
      downstreamOffset: 10,
      recordTimestampMs: 1,
    };
    s.source = { ...s.source, groups: [below(group('source', 10, 10))] };
    s.target = { ...s.target, groups: [below(group('target', 10, 10, [translation]))] };
    const gate = cutoverGate(s);
    assert.equal(gate.ready, true);
    assert.deepEqual(
      gate.checks.filter((c) => !c.ok).map((c) => [c.blocking, c.reason, c.magnitude, c.detail]),
      [
        [
          false,
          'group-below-log-start',
          2,
          'partition(s) committed below the log start, 1 on the source (orders/0), 1 on the target (orders/0): retention deleted records the group had not read; its consumers reset per auto.offset.reset',
        ],
      ],
    );
    s.source = { ...s.source, groups: [group('source', 10, 10)] };
    s.target = { ...s.target, groups: [group('target', 10, 10, [translation])] };
    assert.ok(cutoverGate(s).checks.every((c) => c.ok));
    // On a topic MM2 does not mirror, as every check of a group: not this gate's business.
    const scratch = (g: GroupInfo): GroupInfo => ({
      ...g,
      partitions: partitionsOf([
        ...plainRows(g.partitions),
        { ...(plainRows(g.partitions)[0] as GroupPartition), topic: 'scratch', belowLogStart: true },
      ]),
    });
    s.source = { ...s.source, groups: [scratch(group('source', 10, 10))] };
    s.target = { ...s.target, groups: [scratch(group('target', 10, 10, [translation]))] };
    assert.ok(
      cutoverGate(s).checks.every((c) => c.ok),
      JSON.stringify(cutoverGate(s).checks),
    );
  });

  it('warns of a group only the target has, committed below the log start on a mirrored topic', () => {
    const s = snapshot();
    s.mirror.topics = [mirrorTopic('orders', 0)];
    // Consumers already moved: the source group expired, the target group read too slowly.
    const moved = group('target', 10, 10);
    s.target = {
      ...s.target,
      groups: [
        { ...moved, partitions: mapPartitions(moved.partitions, (p) => ({ ...p, belowLogStart: true })) },
      ],
    };
    const gate = cutoverGate(s);
    assert.equal(gate.ready, true, 'a warning, not a blocker');
    assert.deepEqual(
      gate.checks.filter((c) => !c.ok).map((c) => [c.subject, c.blocking, c.reason, c.magnitude, c.detail]),
      [
        [
          'group billing',
          false,
          'group-below-log-start',
          1,
          'partition(s) committed below the log start, 1 on the target (orders/0): retention deleted records the group had not read; its consumers reset per auto.offset.reset',
        ],
      ],
    );
    // Not on a mirrored topic: not this gate's business; and not twice for a group both sides have.
    s.target = {
      ...s.target,
      groups: [
        {
          ...moved,
          partitions: mapPartitions(moved.partitions, (p) => ({
            ...p,
            topic: 'scratch',
            belowLogStart: true,
          })),
        },
      ],
    };
    assert.ok(cutoverGate(s).checks.every((c) => c.ok));
    s.source = { ...s.source, groups: [group('source', 10, 10)] };
    s.target = {
      ...s.target,
      groups: [
        { ...moved, partitions: mapPartitions(moved.partitions, (p) => ({ ...p, belowLogStart: true })) },
      ],
    };
    assert.equal(
      cutoverGate(s).checks.filter((c) => c.reason === 'group-below-log-start').length,
      1,
      JSON.stringify(cutoverGate(s).checks),
    );
  });

  it('claims no lost data from a shorter offset span on the target (transaction markers, compaction) and points to compare', () => {
    const s = snapshot();
    // 10 source offsets of which 4 are transaction markers: MM2 wrote 6 records
    s.mirror.topics = [mirrorTopic('orders', 0, { targetLatest: 6 })];
    const gate = cutoverGate(s);
    const span = gate.checks.find((c) => c.detail.includes('offset span'));
    assert.ok(span, JSON.stringify(gate.checks));
    assert.equal(span.ok, true);
    assert.equal(span.blocking, false);
    assert.match(span.detail, /mirrorwatch compare --topic orders/);
    assert.ok(gate.checks.every((c) => !/fewer records|lost/.test(c.detail)));
    assert.equal(gate.ready, true, JSON.stringify(gate.checks));
  });

  it('names why the target refuses a missing topic, when it was asked', () => {
    const s = snapshot();
    s.mirror.topics = [
      mirrorTopic('orders', null, { state: 'missing' }),
      mirrorTopic('payments', null, { state: 'missing' }),
    ];
    s.mirror.refusedTopics = new Map([
      ['orders', 'Invalid value 100 for configuration segment.bytes: Value must be at least 1048576'],
    ]);
    const details = cutoverGate(s)
      .checks.filter((c) => c.reason === 'topic-missing')
      .map((c) => c.detail);
    assert.deepEqual(details, [
      'missing on the target; the target refuses to create it: Invalid value 100 for configuration segment.bytes: Value must be at least 1048576',
      'missing on the target',
    ]);
  });
});

describe('cutover gate at scale', () => {
  /** 1,000 source groups on one topic: 600 caught up and synced, 300 with lag, 100 without checkpoints. */
  function scaled() {
    const s = snapshot();
    s.mirror.topics = [mirrorTopic('orders', 0)];
    const source: GroupInfo[] = [];
    const target: GroupInfo[] = [];
    for (let i = 0; i < 1000; i++) {
      const name = `scale-group-${String(i).padStart(4, '0')}`;
      const committed = i < 600 ? 10 : i < 900 ? 10 - ((i % 9) + 1) : 10;
      source.push({ ...group('source', committed, 10), group: name });
      const translated = i < 900;
      target.push({
        ...group(
          'target',
          committed,
          10,
          translated
            ? [
                {
                  topic: 'orders',
                  partition: 0,
                  upstreamOffset: committed,
                  downstreamOffset: committed,
                  recordTimestampMs: 1,
                },
              ]
            : [],
        ),
        group: name,
      });
    }
    s.source = { ...s.source, groups: source };
    s.target = { ...s.target, groups: target };
    return s;
  }

  it('counts checks by reason, failing reasons first, worst first', () => {
    const groups = groupGateChecks(cutoverGate(scaled()).checks);
    const summary = groups.map((g) => `${g.status} ${g.reason} ${g.checks.length}`);
    assert.deepEqual(summary.slice(0, 2), ['FAIL group-source-lag 300', 'FAIL group-no-checkpoint 100']);
    assert.ok(summary.includes('ok group-caught-up 700'), summary.join('\n'));
    assert.ok(summary.includes('ok group-synced 900'), summary.join('\n'));
    const lagging = groups[0]!.checks.map((c) => c.magnitude);
    assert.deepEqual(lagging.slice(0, 3), [9, 9, 9]);
    assert.ok(lagging.every((m, i) => i === 0 || m <= lagging[i - 1]!));
  });

  it('says it in about 40 lines at 1,000 groups, the worst few of each failing reason named', () => {
    const gate = cutoverGate(scaled());
    assert.ok(gate.checks.length > 2000);
    const lines = groupedVerifyText(gate.checks);
    assert.ok(lines.length <= 40, `${lines.length} lines:\n${lines.join('\n')}`);
    assert.equal(lines[0], 'FAIL  300 group(s) with lag on the source: consumers have not finished');
    assert.match(lines[1] ?? '', /^ {8}group scale-group-\d{4}: lag 9 on the source/);
    assert.ok(lines.some((l) => /^ {8}\.\.\. 297 more \(--all lists them/.test(l)));
  });
});

describe("why MM2 cannot create a topic: the target's refusals that are about its configs", () => {
  it('keeps invalid configs and policy violations, not what only concerns mirrorwatch (its ACLs, its RF guess)', () => {
    const refused = new Map([
      ['small', { type: 'INVALID_CONFIG', message: 'Invalid value 100 for configuration segment.bytes' }],
      ['policy', { type: 'POLICY_VIOLATION', message: 'retention.ms above the limit' }],
      ['acl', { type: 'TOPIC_AUTHORIZATION_FAILED', message: 'Topic authorization failed' }],
      [
        'rf',
        {
          type: 'INVALID_REPLICATION_FACTOR',
          message: 'Replication factor: 3 larger than available brokers: 1.',
        },
      ],
    ]);
    assert.deepEqual(
      [...mm2Refusals(refused)],
      [
        ['small', 'Invalid value 100 for configuration segment.bytes'],
        ['policy', 'retention.ms above the limit'],
      ],
    );
    // Asked with MM2's own replication.factor, a refusal of it is MM2's too.
    assert.deepEqual([...mm2Refusals(refused, true).keys()], ['small', 'policy', 'rf']);
  });

  it("takes MM2's replication.factor from the flow's MirrorSourceConnector, its default when unset", () => {
    const connector = (klass: string, source: string, target: string, rf?: string) => ({
      'connector.class': `org.apache.kafka.connect.mirror.${klass}`,
      'source.cluster.alias': source,
      'target.cluster.alias': target,
      ...(rf === undefined ? {} : { 'replication.factor': rf }),
    });
    const both = [
      connector('MirrorHeartbeatConnector', 'old', 'new', '5'),
      connector('MirrorSourceConnector', 'new', 'old', '3'),
      connector('MirrorSourceConnector', 'old', 'new', '1'),
    ];
    assert.equal(mirrorSourceReplicationFactor(both, 'old', 'new'), 1);
    assert.equal(mirrorSourceReplicationFactor(both, 'new', 'old'), 3);
    assert.equal(mirrorSourceReplicationFactor(both, 'a', 'b'), undefined, 'two flows, neither this one');
    assert.equal(mirrorSourceReplicationFactor([connector('MirrorSourceConnector', 'x', 'y')], 'a', 'b'), 2);
    assert.equal(
      mirrorSourceReplicationFactor([connector('MirrorSourceConnector', 'a', 'b', 'x')], 'a', 'b'),
      undefined,
    );
    assert.equal(mirrorSourceReplicationFactor([], 'a', 'b'), undefined);
  });

  it('asks with the configs MM2 copies: set on the topic or by a dynamic broker config, not defaults or static ones', () => {
    // kafkajs' ConfigSource: 1 topic, 2 dynamic broker, 3 dynamic cluster default, 4 static broker, 5 default.
    const entry = (configName: string, configSource: number, more: Record<string, unknown> = {}) => ({
      configName,
      configValue: 'v',
      configSource,
      isDefault: configSource === 5,
      readOnly: false,
      isSensitive: false,
      configSynonyms: [],
      ...more,
    });
    assert.deepEqual(
      configsMm2Copies([
        entry('segment.bytes', 1),
        entry('retention.bytes', 2),
        entry('message.downconversion.enable', 3),
        entry('log.flush.interval.ms', 4),
        entry('cleanup.policy', 5),
        entry('min.insync.replicas', 1),
        entry('max.message.bytes', 1, { readOnly: true }),
        entry('some.password', 1, { isSensitive: true, configValue: null }),
      ]),
      { 'segment.bytes': 'v', 'retention.bytes': 'v', 'message.downconversion.enable': 'v' },
    );
  });

  it('says where a refused config comes from when it is not the topic: a riddle otherwise', () => {
    const entry = (configName: string, configSource: number) => ({
      configName,
      configValue: 'false',
      configSource,
      isDefault: false,
      readOnly: false,
      isSensitive: false,
      configSynonyms: [],
    });
    const entries = [
      entry('message.downconversion.enable', 3),
      entry('segment.bytes', 1),
      entry('message.format.version', 2),
    ];
    assert.equal(
      withOrigin('Unknown topic config name: message.downconversion.enable', entries),
      'Unknown topic config name: message.downconversion.enable; on the source, message.downconversion.enable ' +
        'is a dynamic broker config (not set on the topic), which MM2 copies unless config.properties.exclude names it',
    );
    // Set on the topic: nothing to add. A name only part of another is not that config.
    const onTopic = 'Invalid value 100 for configuration segment.bytes: Value must be at least 1048576';
    assert.equal(withOrigin(onTopic, entries), onTopic);
    const longer = 'Unknown topic config name: message.format.version.extra';
    assert.equal(withOrigin(longer, entries), longer);
    // A config name from the wire is text, never a pattern.
    assert.equal(withOrigin('Unknown topic config name: a(b', [entry('a(b', 2)]).endsWith('names it'), true);
    assert.equal(withOrigin('Unknown topic config name: ', [entry('', 2)]), 'Unknown topic config name: ');
  });
});
