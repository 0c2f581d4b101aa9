import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { remoteTopicNaming } from '../../source/config/replication-policy.js';
import { committedTopics, sameRanges } from '../../source/kafka/wire-cluster.js';
import { attachTranslations, buildMirrorTopics, summariseCheckpoints } from '../../source/model/mirror.js';
import {
  buildGroup,
  buildTopic,
  type GroupMembership,
  groupUnchanged,
  topicUnchanged,
} from '../../source/monitor/read-cluster.js';
import { reuseClusterView } from '../../source/monitor/reuse.js';
import type { ClusterView, GroupInfo, GroupPartition, TopicInfo } from '../../source/monitor/snapshot.js';
import { checkpointsByGroup, NO_TRANSLATIONS, partitionsOf, plainRows } from '../helpers/group-partitions.js';
import { clusterView } from '../helpers/snapshot.js';

function topic(name: string, latest: number[]): TopicInfo {
  return {
    name,
    internal: false,
    replicationFactor: 1,
    partitions: latest.map((l, partition) => ({
      partition,
      leader: 1,
      replicas: 1,
      isr: 1,
      earliest: 0,
      latest: l,
    })),
    records: latest.reduce((a, b) => a + b, 0),
  };
}

function group(name: string, committed: number[], logEnd = 100): GroupInfo {
  return {
    cluster: 'source',
    group: name,
    state: 'Stable',
    protocolType: 'consumer',
    protocol: 'classic',
    members: 1,
    partitions: partitionsOf(
      committed.map((c, partition) => ({
        topic: 'orders',
        partition,
        committed: c,
        logEnd,
        belowLogStart: false,
        lag: logEnd - c,
        negative: false,
        owner: { memberId: 'm', clientId: 'c', host: '/h' },
      })),
    ),
    totalLag: committed.reduce((s, c) => s + logEnd - c, 0),
    translations: NO_TRANSLATIONS,
  };
}

/** A copy of the group with new objects throughout (structuredClone would lose GroupPartitions' class). */
function cloneGroup(g: GroupInfo, partition = (p: GroupPartition) => p): GroupInfo {
  const { partitions, ...rest } = g;
  return {
    ...structuredClone(rest),
    partitions: partitionsOf(structuredClone(plainRows(partitions)).map(partition)),
  };
}

/** A fresh read of the same cluster: new objects throughout, as the wire decodes them. */
function read(topics: TopicInfo[], groups: GroupInfo[]): ClusterView {
  return { ...clusterView('source', structuredClone(topics)), groups: groups.map((g) => cloneGroup(g)) };
}

describe('a refresh keeps the objects of what did not change', () => {
  const topics = [topic('orders', [100, 100]), topic('payments', [5])];
  const groups = [group('billing', [90, 95]), group('audit', [100, 100])];

  it('hands back the previous view itself when nothing changed', () => {
    const first = read(topics, groups);
    const second = reuseClusterView(read(topics, groups), first);
    assert.equal(second, first);
  });

  it('shares each equal topic and group and replaces only what moved', () => {
    const first = read(topics, groups);
    const moved = read(
      [topic('orders', [100, 101]), topic('payments', [5])],
      [group('billing', [90, 95], 101), group('audit', [100, 100])],
    );
    const second = reuseClusterView(moved, first);
    assert.notEqual(second, first);
    assert.notEqual(second.topics[0], first.topics[0]);
    assert.equal(second.topics[0]?.partitions[1]?.latest, 101);
    assert.equal(second.topics[1], first.topics[1]);
    assert.notEqual(second.groups[0], first.groups[0]);
    assert.equal(second.groups[0]?.partitions.logEnd(0), 101);
    assert.equal(second.groups[1], first.groups[1]);
  });

  it('sees a change in a committed offset, an owner, a state or a new partition', () => {
    const first = read(topics, groups);
    const owner = groups.map((g, i) =>
      cloneGroup(g, (p) =>
        i === 0 && p.partition === 0 ? { ...p, owner: { memberId: 'm2', clientId: 'c', host: '/h' } } : p,
      ),
    );
    const state = groups.map((g) => cloneGroup(g));
    (state[1] as { state: string }).state = 'Empty';
    for (const [what, next] of [
      ['committed', read(topics, [group('billing', [91, 95]), groups[1] as GroupInfo])],
      ['owner', read(topics, owner)],
      ['state', read(topics, state)],
      ['partitions', read([topic('orders', [100, 100, 0]), topics[1] as TopicInfo], groups)],
    ] as const) {
      const second = reuseClusterView(next, first);
      assert.notEqual(second, first, what);
      assert.deepEqual(second, next, what);
    }
  });

  it('keeps a topic that was removed out of the next view', () => {
    const first = read(topics, groups);
    const second = reuseClusterView(read([topics[0] as TopicInfo], groups), first);
    assert.deepEqual(
      second.topics.map((t) => t.name),
      ['orders'],
    );
    assert.equal(second.topics[0], first.topics[0]);
  });
});

describe('the join keeps a topic while its inputs are the same', () => {
  const policy = { kind: 'identity' as const, separator: '.' };
  const source = clusterView('source', [topic('orders', [100, 100]), topic('payments', [5])]);
  const target = clusterView('target', [topic('orders', [99, 100]), topic('payments', [5])]);
  const metrics: never[] = [];
  const join = (positions: Map<string, number | null>, s = source, t = target) =>
    buildMirrorTopics({
      source: s,
      target: t,
      sourceAlias: 'old',
      policy,
      positions,
      metricPartitions: metrics,
    });
  const positions = () =>
    new Map<string, number | null>([
      ['orders\u00000', 98],
      ['orders\u00001', 99],
      ['payments\u00000', 4],
    ]);

  it('returns the same topic object for equal positions in a new map', () => {
    const first = join(positions());
    const second = join(positions());
    assert.equal(second[0], first[0]);
    assert.equal(second[1], first[1]);
  });

  it('joins again a topic whose position moved, and only that one', () => {
    const first = join(positions());
    const moved = positions();
    moved.set('orders\u00001', 100);
    const second = join(moved);
    assert.notEqual(second[0], first[0]);
    assert.equal(second[0]?.lag, 1);
    assert.equal(second[0]?.state, 'mirroring');
    assert.equal(second[1], first[1]);
  });

  it('joins again when the target topic changed', () => {
    const first = join(positions());
    const grown = clusterView('target', [topic('orders', [100, 100]), target.topics[1] as TopicInfo]);
    const second = join(positions(), source, grown);
    assert.notEqual(second[0], first[0]);
    assert.equal(second[0]?.partitions[0]?.targetLatest, 100);
    assert.equal(second[1], first[1]);
  });
});

describe('offset translations and checkpoint coverage', () => {
  const checkpoints = [
    {
      group: 'billing',
      topic: 'orders',
      partition: 0,
      upstreamOffset: 90,
      downstreamOffset: 80,
      recordTimestampMs: 1,
    },
    {
      group: 'billing',
      topic: 'orders',
      partition: 1,
      upstreamOffset: 95,
      downstreamOffset: 85,
      recordTimestampMs: 2,
    },
  ];

  it('attaches translations once per group and checkpoint list', () => {
    const groups = [group('billing', [80, 85]), group('audit', [1, 1])];
    const first = attachTranslations(groups, checkpointsByGroup(checkpoints));
    const second = attachTranslations(groups, checkpointsByGroup(checkpoints));
    assert.equal(first[0]?.translations.length, 2);
    assert.equal(second[0], first[0]);
    assert.equal(second[1], groups[1]);
    const third = attachTranslations(groups, checkpointsByGroup([...checkpoints]));
    assert.notEqual(third[0], first[0]);
    assert.deepEqual(third[0], first[0]);
  });

  it('says whether checkpoints cover the source group, following its commits', () => {
    const same = (topic: string) => topic;
    const covered = summariseCheckpoints(
      checkpointsByGroup(checkpoints),
      [group('billing', [90, 95])],
      same,
      10,
    );
    assert.equal(covered[0]?.current, true);
    const moved = summariseCheckpoints(
      checkpointsByGroup(checkpoints),
      [group('billing', [91, 95])],
      same,
      10,
    );
    assert.equal(moved[0]?.current, false);
  });

  it('looks again at the same group and checkpoints read through another topic naming', () => {
    const source = [group('billing', [90, 95])];
    const same = (topic: string) => topic;
    assert.equal(summariseCheckpoints(checkpointsByGroup(checkpoints), source, same, 10)[0]?.current, true);
    // The same objects, another policy (a flow switched to prefixed names): no checkpoint for old.orders.
    const prefixed = (topic: string) => `old.${topic}`;
    assert.equal(
      summariseCheckpoints(checkpointsByGroup(checkpoints), source, prefixed, 10)[0]?.current,
      false,
    );
    assert.equal(summariseCheckpoints(checkpointsByGroup(checkpoints), source, same, 10)[0]?.current, true);
  });

  it('gives one naming function per policy and source alias, by value', () => {
    const identity = remoteTopicNaming({ kind: 'identity', separator: '.' }, 'old');
    assert.equal(remoteTopicNaming({ kind: 'identity', separator: '.' }, 'old'), identity);
    const prefixed = remoteTopicNaming({ kind: 'default', separator: '.' }, 'old');
    assert.notEqual(prefixed, identity);
    assert.equal(prefixed('orders'), 'old.orders');
    assert.equal(identity('orders'), 'orders');
    assert.equal(remoteTopicNaming({ kind: 'default', separator: '_' }, 'old')('orders'), 'old_orders');
    assert.notEqual(remoteTopicNaming({ kind: 'default', separator: '.' }, 'east'), prefixed);
  });

  it('finds each partition of each topic, whatever order the group lists them in and the policy names them', () => {
    // Target names from a prefix policy sort otherwise than the source's (`old.B` before `old.a`).
    const written = [
      ['old.a', 0, 10],
      ['old.a', 2, 12],
      ['old.B', 1, 21],
      ['old.B', 7, 27],
    ].map(([topic, partition, offset]) => ({
      group: 'billing',
      topic: topic as string,
      partition: partition as number,
      upstreamOffset: offset as number,
      downstreamOffset: offset as number,
      recordTimestampMs: 1,
    }));
    const prefixed = (topic: string) => `old.${topic}`;
    const commits = (rows: Array<[string, number, number]>) => {
      const g = group('billing', []);
      return {
        ...g,
        partitions: partitionsOf(
          rows.map(([topic, partition, committed]) => ({
            topic,
            partition,
            committed,
            logEnd: 100,
            belowLogStart: false,
            lag: 100 - committed,
            negative: false,
            owner: null,
          })),
        ),
      };
    };
    const current = (rows: Array<[string, number, number]>) =>
      summariseCheckpoints(checkpointsByGroup(written), [commits(rows)], prefixed, 10)[0]?.current;
    assert.equal(
      current([
        ['a', 2, 12],
        ['B', 7, 27],
        ['a', 0, 10],
        ['B', 1, 21],
      ]),
      true,
    );
    assert.equal(
      current([
        ['B', 7, 27],
        ['B', 1, 21],
      ]),
      true,
    );
    assert.equal(
      current([
        ['a', 0, 10],
        ['a', 1, 11],
      ]),
      false,
      'partition 1 has no checkpoint',
    );
    assert.equal(current([['b', 1, 21]]), false, 'old.b is not old.B');
    // Two checkpoints of one partition (the store keeps one): the later one counts, as a lookup found it.
    const twice = [
      ...written.slice(0, 1),
      { ...(written[0] as (typeof written)[number]), upstreamOffset: 11 },
    ];
    assert.equal(
      summariseCheckpoints(checkpointsByGroup(twice), [commits([['a', 0, 11]])], prefixed, 10)[0]?.current,
      true,
    );
  });
});

describe('a group read again is recognised as unchanged without building it', () => {
  type Committed = Array<{ topic: string; partition: number; offset: number | null }>;
  const offsets = (latest: number, earliest = 0) =>
    new Map([
      [
        'orders',
        new Map([
          [0, { earliest, latest }],
          [1, { earliest, latest }],
          [2, { earliest: 5, latest }],
        ]),
      ],
    ]);
  const member = (id: string, partitions: number[]): GroupMembership['members'][number] => ({
    memberId: id,
    clientId: 'app',
    clientHost: '/10.0.0.1',
    assignment: [{ topic: 'orders', partitions }],
  });
  const stable = (members: GroupMembership['members']): GroupMembership => ({
    protocol: 'classic',
    state: 'Stable',
    members,
  });
  const committed: Committed = [
    { topic: 'orders', partition: 0, offset: 10 },
    { topic: 'orders', partition: 1, offset: 20 },
  ];
  const base = { membership: stable([member('m1', [0, 1, 2])]), committed, offsets: offsets(100) };
  const cases: Array<[string, Partial<typeof base>]> = [
    ['the same read', {}],
    ['a commit moved', { committed: [committed[0]!, { topic: 'orders', partition: 1, offset: 21 }] }],
    ['a log end moved', { offsets: offsets(101) }],
    ['the log start moved, still below the commits', { offsets: offsets(100, 8) }],
    ['the log start moved past a commit (records deleted unread)', { offsets: offsets(100, 15) }],
    ['a partition changed owner', { membership: stable([member('m1', [0, 1]), member('m2', [2])]) }],
    ['a member left', { membership: stable([member('m1', [0, 1])]) }],
    ['the group emptied', { membership: { protocol: 'classic', state: 'Empty', members: [] } }],
    ['a new commit', { committed: [...committed, { topic: 'orders', partition: 2, offset: 7 }] }],
    ['a commit went away', { committed: [committed[0]!] }],
    [
      'a partition answered without a commit',
      { committed: [...committed, { topic: 'orders', partition: 3, offset: null }] },
    ],
    [
      'a second topic committed',
      { committed: [...committed, { topic: 'refunds', partition: 0, offset: 3 }] },
    ],
    ['no membership known', { membership: undefined as unknown as GroupMembership }],
  ];
  const build = (x: typeof base) =>
    buildGroup('source', 'billing', 'consumer', x.membership, committedTopics(x.committed), x.offsets);
  for (const [what, change] of cases)
    it(`${what}: unchanged exactly when a rebuild is equal`, () => {
      const previous = build(base);
      const next = { ...base, ...change };
      assert.equal(
        groupUnchanged(previous, 'consumer', next.membership, committedTopics(next.committed), next.offsets),
        isDeepStrictEqual(previous, build(next)),
      );
    });
  it('flags a commit below the log start, keeping the lag kafka-consumer-groups gives', () => {
    const group = build({ ...base, offsets: offsets(100, 15) });
    assert.deepEqual(
      group.partitions.rows().map((p) => [p.partition, p.committed, p.lag, p.belowLogStart]),
      [
        [0, 10, 90, true],
        [1, 20, 80, false],
        [2, null, null, false],
      ],
    );
    assert.equal(
      groupUnchanged(build(base), 'consumer', base.membership, committedTopics(committed), offsets(100, 15)),
      false,
    );
  });

  it('flags a commit below a known log start with the log end unknown, and finds such a group unchanged', () => {
    const unknownEnd = new Map([['orders', new Map([[0, { earliest: 15, latest: -1 }]])]]);
    const read = { ...base, offsets: unknownEnd };
    const group = build(read);
    assert.deepEqual(
      group.partitions
        .rows()
        .filter((p) => p.partition === 0)
        .map((p) => [p.committed, p.lag, p.belowLogStart]),
      [[10, null, true]],
    );
    assert.equal(
      groupUnchanged(group, 'consumer', read.membership, committedTopics(committed), unknownEnd),
      true,
    );
  });

  it('an answer that lists a partition twice does not stand in for one that went away', () => {
    const previous = build(base);
    const twice = committedTopics([committed[0]!, committed[0]!]);
    assert.equal(groupUnchanged(previous, 'consumer', base.membership, twice, base.offsets), false);
    assert.equal(
      groupUnchanged(previous, 'consumer', base.membership, committedTopics(committed), base.offsets),
      true,
    );
  });

  it('a topic the read kept is not compared again: its offsets are the ones the group was built with', () => {
    const previous = build(base);
    const noRanges = new Map<string, Map<number, { earliest: number; latest: number }>>();
    const committed = committedTopics(base.committed);
    assert.equal(groupUnchanged(previous, 'consumer', base.membership, committed, noRanges), false);
    assert.equal(
      groupUnchanged(previous, 'consumer', base.membership, committed, noRanges, new Set(['orders'])),
      true,
    );
    // Commits are still compared.
    const moved = committedTopics([base.committed[0]!, { topic: 'orders', partition: 1, offset: 21 }]);
    assert.equal(
      groupUnchanged(previous, 'consumer', base.membership, moved, noRanges, new Set(['orders'])),
      false,
    );
  });

  it('the very offsets it was built from, on a kept topic, are not looked at again; members still are', () => {
    const noRanges = new Map<string, Map<number, { earliest: number; latest: number }>>();
    const kept = new Set(['orders']);
    const committed = committedTopics(base.committed);
    const previous = buildGroup('source', 'billing', 'consumer', base.membership, committed, base.offsets);
    // The OffsetFetch decoder hands back the same object only for the same bytes; changed in place here
    // to show that the partitions are not read again.
    committed[0]!.offsets[1] = 99;
    assert.equal(groupUnchanged(previous, 'consumer', base.membership, committed, noRanges, kept), true);
    const memberLeft = stable([member('m1', [0, 1])]);
    assert.equal(groupUnchanged(previous, 'consumer', memberLeft, committed, noRanges, kept), false);
    // Another object, equal or not, is compared partition by partition.
    assert.equal(
      groupUnchanged(previous, 'consumer', base.membership, committedTopics(base.committed), noRanges, kept),
      true,
    );
    const copy = committedTopics(base.committed);
    copy[0]!.offsets[1] = 99;
    assert.equal(groupUnchanged(previous, 'consumer', base.membership, copy, noRanges, kept), false);
    // A topic whose ranges were read anew is compared too.
    assert.equal(groupUnchanged(previous, 'consumer', base.membership, committed, noRanges), false);
  });

  it('a different protocol type is a change', () => {
    assert.equal(
      groupUnchanged(build(base), '', base.membership, committedTopics(base.committed), base.offsets),
      false,
    );
  });
});

describe('a topic read again is recognised as unchanged without building it', () => {
  type Metadata = Parameters<typeof buildTopic>[0];
  const partition = (id: number, leader = 1, replicas = [1, 2, 3], isr = [1, 2, 3]) => ({
    partitionErrorCode: 0,
    partitionId: id,
    leader,
    replicas,
    isr,
    offlineReplicas: [],
  });
  const base: Metadata = {
    topicErrorCode: 0,
    topic: 'orders',
    isInternal: false,
    partitionMetadata: [partition(1), partition(0)],
  } as Metadata;
  const ranges = (latest: number) =>
    new Map([
      [0, { earliest: 0, latest }],
      [1, { earliest: 3, latest }],
    ]);
  const cases: Array<[string, Metadata, Map<number, { earliest: number; latest: number }> | undefined]> = [
    ['the same read', base, ranges(100)],
    ['a log end moved', base, ranges(101)],
    ['a leader moved', { ...base, partitionMetadata: [partition(1), partition(0, 2)] }, ranges(100)],
    [
      'a replica left the ISR',
      { ...base, partitionMetadata: [partition(1, 1, [1, 2, 3], [1, 2]), partition(0)] },
      ranges(100),
    ],
    [
      'a partition was added',
      { ...base, partitionMetadata: [partition(1), partition(0), partition(2)] },
      ranges(100),
    ],
    ['offsets unknown', base, undefined],
    ['it became internal to Kafka', { ...base, isInternal: true }, ranges(100)],
  ];
  const previous = buildTopic(base, ranges(100));
  for (const [what, metadata, next] of cases)
    it(`${what}: unchanged exactly when a rebuild is equal`, () => {
      assert.equal(
        topicUnchanged(previous, metadata, next),
        isDeepStrictEqual(previous, buildTopic(metadata, next)),
      );
    });
  it('the very metadata and offsets it was built from are not looked at again', () => {
    const metadata = { ...base, partitionMetadata: [partition(1), partition(0)] } as Metadata;
    const offsets = ranges(100);
    const built = buildTopic(metadata, offsets);
    // The Metadata decoder and the offsets read hand back the same objects only when nothing changed;
    // changed in place here to show that the partitions are not read again.
    offsets.set(0, { earliest: 0, latest: 555 });
    assert.equal(topicUnchanged(built, metadata, offsets), true);
    assert.equal(topicUnchanged(built, metadata, ranges(100)), true, 'an equal copy, compared');
    assert.equal(topicUnchanged(built, metadata, ranges(101)), false);
  });

  it('offsets answered again as before are recognised, piece by piece and end by end', () => {
    const piece = (partitions: number[], offsets: number[]) => ({
      topic: 'orders',
      partitions: Int32Array.from(partitions),
      errorCodes: new Int16Array(partitions.length),
      offsets: Float64Array.from(offsets),
    });
    const previous = ranges(100);
    const earliest = [piece([1], [3]), piece([0], [0])];
    assert.equal(sameRanges(previous, earliest, [piece([0, 1], [100, 100])]), true);
    assert.equal(sameRanges(previous, earliest, [piece([0, 1], [100, 101])]), false);
    assert.equal(sameRanges(previous, [piece([0], [0])], [piece([0, 1], [100, 100])]), false, 'one missing');
    assert.equal(sameRanges(previous, earliest, [piece([0], [100])]), false, 'a latest missing');
    const withUnknown = new Map([[0, { earliest: Number.NaN, latest: 100 }]]);
    assert.equal(sameRanges(withUnknown, [piece([0], [Number.NaN])], [piece([0], [100])]), false);
  });

  it('a previous topic with a gap in its partition numbers is rebuilt rather than misread', () => {
    const gapped = buildTopic({ ...base, partitionMetadata: [partition(0), partition(2)] }, ranges(100));
    assert.equal(
      topicUnchanged(gapped, { ...base, partitionMetadata: [partition(0), partition(2)] }, ranges(100)),
      false,
    );
  });
});
