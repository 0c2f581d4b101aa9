import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OffsetColumn } from '../../source/model/offset-column.js';

const values = (...v: number[]) => Float64Array.from(v);
const read = (c: OffsetColumn, length = c.length + 2) => Array.from({ length }, (_, row) => c.get(row));

describe('an offset column', () => {
  it('gives back every value, NaN where there is no sample and past its end', () => {
    const first = OffsetColumn.of(values(5, Number.NaN, 2 ** 40, 0));
    assert.deepEqual(read(first), [5, Number.NaN, 2 ** 40, 0, Number.NaN, Number.NaN]);
    assert.equal(first.samples, 3);
    assert.equal(first.whole64, true, 'an offset past 2^31 with no read before it is kept whole');
  });

  it('keeps a read as 32-bit differences from the whole read before it, whatever the offsets', () => {
    const big = 2 ** 45 + 12_345;
    const first = OffsetColumn.of(values(big, 7, Number.NaN));
    const second = OffsetColumn.of(values(big + 2_000_000_000, 6, 9, 2 ** 52), first);
    assert.equal(second.whole64, true, 'a new row at 2^52 does not fit against a base without it');
    const third = OffsetColumn.of(values(big + 2_000_000_001, 0, 10, 2 ** 52 - 1), second);
    assert.equal(third.whole64, false);
    assert.deepEqual(read(third), [big + 2_000_000_001, 0, 10, 2 ** 52 - 1, Number.NaN, Number.NaN]);
    // Differences from the same base, not from each other: the fourth read's base is still the second.
    const fourth = OffsetColumn.of(values(big + 2_000_000_002, Number.NaN, 12, 2 ** 52 - 2, 4), third);
    assert.equal(fourth.whole64, false);
    assert.deepEqual(read(fourth, 6), [big + 2_000_000_002, Number.NaN, 12, 2 ** 52 - 2, 4, Number.NaN]);
    assert.deepEqual(read(third), [big + 2_000_000_001, 0, 10, 2 ** 52 - 1, Number.NaN, Number.NaN]);
  });

  it('keeps whole a read that moved 2^31 or more from its base, or is not a whole number', () => {
    const first = OffsetColumn.of(values(2 ** 40));
    const up = OffsetColumn.of(values(2 ** 40 + 2 ** 31), first);
    assert.equal(up.whole64, true);
    assert.deepEqual(read(up, 1), [2 ** 40 + 2 ** 31]);
    const down = OffsetColumn.of(values(2 ** 40 - 2 ** 31 + 1), first);
    assert.equal(down.whole64, false, '-(2^31 - 1) still fits');
    assert.deepEqual(read(down, 1), [2 ** 40 - 2 ** 31 + 1]);
    const fraction = OffsetColumn.of(values(0.5));
    assert.equal(fraction.whole64, true);
    assert.deepEqual(read(fraction, 1), [0.5]);
  });

  it('keeps a read whose differences fit in 16 bits at 16 bits a row, and the others at 32', () => {
    const lags = OffsetColumn.of(values(0, 32_767, Number.NaN, -32_767, 5));
    assert.equal(lags.bits, 16);
    assert.deepEqual(read(lags), [0, 32_767, Number.NaN, -32_767, 5, Number.NaN, Number.NaN]);
    // -32,768 is the 16-bit "no sample", and 32,768 is past the width: both take 32 bits.
    for (const edge of [-32_768, 32_768]) {
      const wide = OffsetColumn.of(values(1, edge, Number.NaN));
      assert.equal(wide.bits, 32, String(edge));
      assert.deepEqual(read(wide), [1, edge, Number.NaN, Number.NaN, Number.NaN]);
    }
    // Against a base: offsets past 2^31 that moved little since.
    const base = OffsetColumn.of(values(2 ** 40, 2 ** 41, Number.NaN));
    assert.equal(base.bits, 64);
    const next = OffsetColumn.of(values(2 ** 40 + 30_000, 2 ** 41 - 30_000, 7), base);
    assert.equal(next.bits, 16);
    assert.deepEqual(read(next), [2 ** 40 + 30_000, 2 ** 41 - 30_000, 7, Number.NaN, Number.NaN]);
    // A column made after a wider one of more rows reads only its own (the differences are reused space).
    const wideFirst = OffsetColumn.of(values(100_000, 200_000, 300_000, 400_000));
    const narrowAfter = OffsetColumn.of(values(1, Number.NaN));
    assert.deepEqual(read(wideFirst), [100_000, 200_000, 300_000, 400_000, Number.NaN, Number.NaN]);
    assert.deepEqual(read(narrowAfter), [1, Number.NaN, Number.NaN, Number.NaN]);
  });

  it('reads a row its base has no sample at as a difference from 0', () => {
    const first = OffsetColumn.of(values(2 ** 33, Number.NaN));
    const second = OffsetColumn.of(values(2 ** 33 + 1, 42), first);
    assert.equal(second.whole64, false);
    assert.deepEqual(read(second, 2), [2 ** 33 + 1, 42]);
  });

  it('is the same read whatever the base, over random reads', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let previous: OffsetColumn | undefined;
    let offsets = Array.from({ length: 50 }, () => Math.floor(random() * 2 ** 50));
    for (let r = 0; r < 40; r++) {
      offsets = offsets.map((o) => (random() < 0.05 ? o + 2 ** 32 : o + Math.floor(random() * 1000)));
      const now = offsets.map((o) => (random() < 0.1 ? Number.NaN : o));
      const column = OffsetColumn.of(Float64Array.from(now), previous);
      assert.deepEqual(read(column, now.length), now, `read ${r}`);
      previous = column;
    }
  });

  it('is the same read at every width, over random lags (mostly small, now and then large or negative)', () => {
    let seed = 11;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const seen = new Set<number>();
    const columns: Array<[OffsetColumn, number[]]> = [];
    let previous: OffsetColumn | undefined;
    for (let r = 0; r < 60; r++) {
      const spread = r % 3 === 0 ? 2 ** 20 : 40_000;
      const now = Array.from({ length: 30 + (r % 7) }, () =>
        random() < 0.1 ? Number.NaN : Math.floor((random() - 0.1) * spread),
      );
      const column = OffsetColumn.of(Float64Array.from(now), previous);
      seen.add(column.bits);
      columns.push([column, now]);
      previous = column;
    }
    assert.deepEqual([...seen].sort(), [16, 32]);
    // Every column still reads as it was made, after the ones made since.
    for (const [column, now] of columns) assert.deepEqual(read(column, now.length), now);
  });
});
