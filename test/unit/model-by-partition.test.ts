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
});
