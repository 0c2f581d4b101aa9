import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GroupPartitions, GroupPartitionsBuilder } from '../../source/model/group-partitions.js';

type Owner = { memberId: string };

const a: Owner = { memberId: 'a' };
const b: Owner = { memberId: 'b' };

/** orders 0..2 (1 with no commit, 2 below the log start), payments 3 and 7 (a gap), offsets past 2^31 and 2^53 - 1. */
function sample(owners = true): GroupPartitions<Owner> {
  const builder = new GroupPartitionsBuilder<Owner>();
  builder.add('orders', 0, 90, 100, false, owners ? a : null);
  builder.add('orders', 1, null, 100, false, owners ? b : null);
  builder.add('orders', 2, 5, 100, true, null);
  builder.add('payments', 3, 2 ** 31 + 5, 2 ** 31, false, null);
  builder.add('payments', 7, 2 ** 53 - 2, null, false, null);
  return builder.build();
}

describe('a group partitions as columns', () => {
  it('gives back each field as added', () => {
    const p = sample();
    assert.equal(p.length, 5);
    assert.deepEqual(
      p
        .rows()
        .map((r) => [
          r.topic,
          r.partition,
          r.committed,
          r.logEnd,
          r.belowLogStart,
          r.owner?.memberId ?? null,
        ]),
      [
        ['orders', 0, 90, 100, false, 'a'],
        ['orders', 1, null, 100, false, 'b'],
        ['orders', 2, 5, 100, true, null],
        ['payments', 3, 2 ** 31 + 5, 2 ** 31, false, null],
        ['payments', 7, 2 ** 53 - 2, null, false, null],
      ],
    );
    // The owner object itself, shared as read-cluster.ts shares one per member.
    assert.equal(p.owner(0), a);
  });

  it('works out LAG and its conditions as kafka-consumer-groups does', () => {
    const p = sample();
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((i) => [p.lag(i), p.negative(i)]),
      [
        [10, false],
        [null, false],
        [95, false],
        [0, true],
        [null, false],
      ],
    );
    assert.equal(p.totalLag(), 105);
    assert.equal(p.committedCount(), 4);
    assert.equal(p.ownedCount(), 2);
    assert.equal(p.belowLogStartCount(), 1);
    assert.equal(p.anyNegative(), true);
    const idle = GroupPartitions.of([
      { topic: 't', partition: 0, committed: null, logEnd: 10, belowLogStart: false, owner: null },
    ]);
    assert.equal(idle.totalLag(), null, 'no commit: unknown, not 0');
  });

  it('finds a partition by topic and number, across a gap and for one the group has not', () => {
    const p = sample();
    const orders = p.topicIndexOf('orders');
    const payments = p.topicIndexOf('payments');
    assert.deepEqual(
      [p.positionOf(orders, 2), p.positionOf(payments, 3), p.positionOf(payments, 7)],
      [2, 3, 4],
    );
    assert.equal(p.positionOf(payments, 4), -1);
    assert.equal(p.positionOf(orders, 3), -1);
    assert.equal(p.positionOf(p.topicIndexOf('refunds'), 0), -1);
    assert.deepEqual([p.runStart(payments), p.runEnd(payments)], [3, 5]);
  });

  it('keeps the owner, the below-log-start flag and the topic apart, in every combination', () => {
    const builder = new GroupPartitionsBuilder<Owner>();
    const combinations: Array<[string, boolean, Owner | null]> = [];
    for (const topic of ['t0', 't1', 't2'])
      for (const below of [false, true])
        for (const who of [null, a]) {
          builder.add(topic, combinations.length, 5, 100, below, who);
          combinations.push([topic, below, who]);
        }
    const p = builder.build();
    combinations.forEach(([topic, below, who], i) => {
      const label = JSON.stringify({ topic, below, who });
      assert.equal(p.topic(i), topic, label);
      assert.equal(p.belowLogStart(i), below, label);
      assert.equal(p.owner(i), who, label);
      assert.equal(p.lag(i), 95, label);
    });
  });

  it('keeps no owner column for a group without members', () => {
    const p = sample(false);
    assert.equal(p.ownedCount(), 0);
    assert.equal(p.owner(0), null);
  });

  it('is equal to another exactly when every field is', () => {
    const sameOwner = (x: Owner, y: Owner) => x.memberId === y.memberId;
    assert.ok(sample().equals(sample(), sameOwner));
    assert.ok(!sample().equals(sample(false), sameOwner));
    const rows = sample().rows();
    const changed = (i: number, change: object) =>
      GroupPartitions.of(rows.map((r, j) => (j === i ? Object.assign(rowOf(r), change) : rowOf(r))));
    assert.ok(changed(0, {}).equals(sample(), sameOwner));
    for (const [i, change] of [
      [0, { committed: 91 }],
      [1, { logEnd: 101 }],
      [2, { belowLogStart: false }],
      [3, { partition: 4 }],
      [4, { topic: 'refunds' }],
      [0, { owner: { memberId: 'c' } }],
    ] as const)
      assert.ok(!changed(i, change).equals(sample(), sameOwner), JSON.stringify(change));
  });

  it('brings a topic together from rows that list it apart, and refuses a builder that does not', () => {
    const row = (topic: string, partition: number) => ({
      topic,
      partition,
      committed: 1,
      logEnd: 2,
      belowLogStart: false,
      owner: null,
    });
    const p = GroupPartitions.of([row('a', 1), row('b', 0), row('a', 0)]);
    assert.deepEqual(
      p.rows().map((r) => `${r.topic}/${r.partition}`),
      ['a/1', 'a/0', 'b/0'],
    );
    assert.equal(p.positionOf(p.topicIndexOf('a'), 0), 1);
    const builder = new GroupPartitionsBuilder<Owner>();
    builder.add('a', 0, 1, 2, false, null);
    builder.add('b', 0, 1, 2, false, null);
    assert.throws(() => builder.add('a', 1, 1, 2, false, null), /not together/);
  });
});

function rowOf(r: ReturnType<GroupPartitions<Owner>['at']>) {
  return {
    topic: r.topic,
    partition: r.partition,
    committed: r.committed,
    logEnd: r.logEnd,
    belowLogStart: r.belowLogStart,
    owner: r.owner,
  };
}
