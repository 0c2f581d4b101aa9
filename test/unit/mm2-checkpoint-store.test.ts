import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CheckpointStore } from '../../source/mm2/checkpoint-store.js';
import { encodeCheckpointKey, encodeCheckpointValue } from '../../source/mm2/records.js';

const key = (group: string, topic: string, partition: number) =>
  encodeCheckpointKey({ group, topic, partition });
const value = (upstreamOffset: number, downstreamOffset: number) =>
  encodeCheckpointValue({ upstreamOffset, downstreamOffset });

/** Every checkpoint held, group by group as the store hands them out. */
const flat = (store: CheckpointStore) =>
  [...store.checkpoints()].flatMap(([group, translations]) =>
    translations.rows().map((c) => ({ group, ...c })),
  );

describe('CheckpointStore', () => {
  it("keeps a group's checkpoints while only another group's change", () => {
    const store = new CheckpointStore();
    store.apply(key('a', 't', 0), value(1, 1), 1);
    store.apply(key('b', 't', 0), value(1, 1), 1);
    const first = store.checkpoints();
    store.apply(key('b', 't', 1), value(2, 2), 2);
    const second = store.checkpoints();
    assert.notEqual(second, first);
    assert.equal(second.get('a'), first.get('a'));
    assert.notEqual(second.get('b'), first.get('b'));
    assert.deepEqual(
      second
        .get('b')
        ?.rows()
        .map((c) => c.partition),
      [0, 1],
    );
    assert.equal(second.get('b')?.newestTimestampMs, 2);
    // A group's last checkpoint removed: the group is gone from the map.
    store.apply(key('a', 't', 0), null, 3);
    assert.deepEqual([...store.checkpoints().keys()], ['b']);
  });

  it('keeps the newest checkpoint per group, topic and partition, in that order', () => {
    const store = new CheckpointStore();
    store.apply(key('b', 'A.orders', 1), value(10, 9), 1000);
    store.apply(key('a', 'A.orders', 0), value(5, 5), 1001);
    store.apply(key('b', 'A.orders', 0), value(7, 6), 1002);
    store.apply(key('b', 'A.orders', 1), value(20, 19), 1003);
    assert.deepEqual(
      flat(store).map((c) => [c.group, c.topic, c.partition, c.upstreamOffset, c.downstreamOffset]),
      [
        ['b', 'A.orders', 0, 7, 6],
        ['b', 'A.orders', 1, 20, 19],
        ['a', 'A.orders', 0, 5, 5],
      ],
    );
    assert.equal(flat(store)[1]?.recordTimestampMs, 1003);
  });

  it('hands out the same list until a checkpoint changes, and a new one after', () => {
    const store = new CheckpointStore();
    store.apply(key('g', 't', 0), value(1, 1), 1);
    const first = store.checkpoints();
    assert.equal(store.checkpoints(), first);
    store.apply(null, value(2, 2), 2); // no key: not a checkpoint
    store.apply(key('g', 't', 0), Buffer.from([0, 0, 1]), 3); // undecodable value
    store.apply(key('g', 'other', 0), null, 4); // tombstone for nothing held
    assert.equal(store.checkpoints(), first);
    store.apply(key('g', 't', 0), value(2, 2), 5);
    assert.notEqual(store.checkpoints(), first);
    assert.equal(flat(store)[0]?.upstreamOffset, 2);
  });

  it('removes a checkpoint on a tombstone', () => {
    const store = new CheckpointStore();
    store.apply(key('g', 't', 0), value(1, 1), 1);
    store.apply(key('g', 't', 1), value(1, 1), 1);
    store.apply(key('g', 't', 0), null, 2);
    assert.deepEqual(
      flat(store).map((c) => c.partition),
      [1],
    );
  });

  it('skips a partition number no topic has (negative, or past a million)', () => {
    const store = new CheckpointStore();
    store.apply(key('g', 't', -1), value(1, 1), 1);
    store.apply(key('g', 't', 2_000_000_000), value(1, 1), 1);
    store.apply(key('g', 't', 3), value(1, 1), 1);
    assert.deepEqual(
      flat(store).map((c) => c.partition),
      [3],
    );
  });

  it('keeps a group that reads high partitions from its lowest one, in partition order', () => {
    const store = new CheckpointStore();
    for (const partition of [95, 99, 90, 3])
      store.apply(key('g', 't', partition), value(partition, partition), 1);
    store.apply(key('g', 't', 99), null, 2);
    store.apply(key('g', 't', 50), null, 2); // a tombstone inside the span, for nothing held
    store.apply(key('g', 't', 2), null, 2); // and below it
    assert.deepEqual(
      flat(store).map((c) => [c.partition, c.upstreamOffset]),
      [
        [3, 3],
        [90, 90],
        [95, 95],
      ],
    );
  });
});
