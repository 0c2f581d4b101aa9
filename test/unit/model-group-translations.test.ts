import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GroupTranslations } from '../../source/model/group-translations.js';

const checkpoint = (topic: string, partition: number, upstreamOffset: number, recordTimestampMs = 1) => ({
  topic,
  partition,
  upstreamOffset,
  downstreamOffset: upstreamOffset - 1,
  recordTimestampMs,
});

describe("a group's checkpoints as columns", () => {
  const t = GroupTranslations.of([
    checkpoint('orders', 2, 20, 1_764_000_000_500),
    checkpoint('Zeta', 0, 2 ** 40),
    checkpoint('orders', 0, 10, 1_764_000_000_000),
    checkpoint('audit', 7, 70),
    checkpoint('orders', 0, 11, 1_764_000_000_100), // later: replaces the first
  ]);

  it('sorts by topic (code unit order), then partition, and keeps the later of two for one partition', () => {
    assert.deepEqual(
      t.rows().map((c) => [c.topic, c.partition, c.upstreamOffset, c.downstreamOffset]),
      [
        ['Zeta', 0, 2 ** 40, 2 ** 40 - 1],
        ['audit', 7, 70, 69],
        ['orders', 0, 11, 10],
        ['orders', 2, 20, 19],
      ],
    );
    assert.equal(t.length, 4);
    assert.equal(t.newestTimestampMs, 1_764_000_000_500);
    assert.equal(t.recordTimestampMs(2), 1_764_000_000_100);
  });

  it("finds a topic's run, and none for a topic without checkpoints", () => {
    assert.deepEqual(t.topicRun('orders'), [2, 4]);
    assert.deepEqual(t.topicRun('Zeta'), [0, 1]);
    assert.deepEqual(t.topicRun('b'), [0, 0]);
    assert.deepEqual(t.topicRun('zzz'), [0, 0]);
    assert.deepEqual(
      [0, 1, 2, 3].map((i) => t.topic(i)),
      ['Zeta', 'audit', 'orders', 'orders'],
    );
  });

  it('is empty, with no newest checkpoint, from no rows', () => {
    const none = GroupTranslations.of([]);
    assert.equal(none.length, 0);
    assert.equal(none.newestTimestampMs, 0);
    assert.deepEqual(none.topicRun('orders'), [0, 0]);
  });
});
