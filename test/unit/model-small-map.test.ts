import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SmallMap } from '../../source/model/small-map.js';

describe('SmallMap', () => {
  it('reads and iterates like a Map through one key, a second, and many, in insertion order', () => {
    const small = new SmallMap<number>();
    const map = new Map<string, number>();
    const same = () => {
      assert.equal(small.size, map.size);
      assert.deepEqual([...small], [...map]);
      assert.deepEqual([...small.values()], [...map.values()]);
      for (const key of ['a', 'b', 'c', 'zz', '', 'k7']) assert.equal(small.get(key), map.get(key), key);
    };
    same();
    const writes: Array<[string, number]> = [
      ['b', 1],
      ['b', 2], // the same key again, while inline
      ['a', 3], // a second key: the map takes over
      ['b', 4], // an earlier key keeps its place
      ...Array.from({ length: 20 }, (_, i): [string, number] => [`k${i}`, i]),
      ['', 99], // the empty string is a key like any other
    ];
    for (const [key, value] of writes) {
      assert.equal(small.set(key, value), small);
      map.set(key, value);
      same();
    }
  });

  it('keeps the empty string as a first key', () => {
    const small = new SmallMap<string>().set('', 'x');
    assert.equal(small.size, 1);
    assert.equal(small.get(''), 'x');
    assert.equal(small.get('x'), undefined);
    assert.deepEqual([...small], [['', 'x']]);
  });
});
