import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ByPartition } from '../../source/model/by-partition.js';

describe('values by partition', () => {
  it('keeps rows from the lowest partition, growing down as well as up', () => {
    const rows = new ByPartition<number>(90, 10);
    rows.set(95, 0);
    rows.set(90, 1);
    rows.set(3, 2);
    rows.set(120, 3);
    assert.deepEqual(rows.entries(), [
      [3, 2],
      [90, 1],
      [95, 0],
      [120, 3],
    ]);
    assert.equal(rows.get(95), 0);
    assert.equal(rows.get(2), undefined);
    assert.equal(rows.get(4), undefined);
    assert.equal(rows.get(121), undefined);
  });

  it('starts at the first partition set when made without one', () => {
    const rows = new ByPartition<number>();
    rows.set(7, 4);
    rows.set(6, 5);
    assert.deepEqual(rows.entries(), [
      [6, 5],
      [7, 4],
    ]);
    assert.equal(rows.get(0), undefined);
  });

  it('deletes a value, and only one it holds', () => {
    const rows = new ByPartition<string>(5, 3);
    rows.set(6, 'six');
    assert.equal(rows.delete(6), true);
    assert.equal(rows.delete(6), false);
    assert.equal(rows.delete(4), false);
    assert.equal(rows.delete(1000), false);
    assert.deepEqual(rows.entries(), []);
  });

  it('keeps only partition numbers from 0 to 2^20 - 1, so a bad number from the wire costs no more', () => {
    const rows = new ByPartition<number>(0, 2 ** 31);
    assert.equal(rows.set(3, 1), true);
    assert.equal(rows.set(2 ** 31 - 1, 2), false);
    assert.equal(rows.set(-1, 3), false);
    assert.equal(rows.set(1.5, 4), false);
    assert.equal(rows.set(ByPartition.LIMIT - 1, 5), true);
    assert.equal(rows.get(2 ** 31 - 1), undefined);
    assert.deepEqual(rows.entries(), [
      [3, 1],
      [ByPartition.LIMIT - 1, 5],
    ]);
  });

  it('gives the span of partitions it can hold, for loops without a callback: every value, as forEach visits them', () => {
    const empty = new ByPartition<number>();
    assert.equal(empty.end - empty.start, 0);
    const rows = new ByPartition<number>(90, 10);
    rows.set(95, 0);
    rows.set(3, 2);
    rows.set(120, 3);
    assert.equal(rows.start, 3);
    assert.equal(rows.end, 121);
    const looped: Array<[number, number]> = [];
    for (let p = rows.start; p < rows.end; p++) {
      const value = rows.get(p);
      if (value !== undefined) looped.push([p, value]);
    }
    assert.deepEqual(looped, rows.entries());
  });
});
