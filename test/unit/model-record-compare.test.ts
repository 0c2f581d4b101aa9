import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ComparedRecord, RecordAligner, sameRecord } from '../../source/model/record-compare.js';

function rec(offset: number, value: string, options: Partial<ComparedRecord> = {}): ComparedRecord {
  return {
    offset,
    timestampMs: 1_700_000_000_000 + Number(value.replace(/\D/g, '') || 0),
    key: Buffer.from(`k-${value}`),
    value: Buffer.from(value),
    headers: {},
    ...options,
  };
}

/** Records with values `values`, at offsets from `first` with a step (gaps as markers or compaction leave). */
function records(values: string[], first = 0, step = 1): ComparedRecord[] {
  return values.map((v, i) => rec(first + i * step, v));
}

function align(source: ComparedRecord[], target: ComparedRecord[], window = 4, compacted = false) {
  const aligner = new RecordAligner({ window, compacted });
  aligner.addSource(source, true);
  aligner.addTarget(target);
  aligner.align(true, true);
  return aligner.result();
}

describe('sameRecord', () => {
  it('compares key, value, timestamp and headers, not offsets', () => {
    const a = rec(5, 'v1', { headers: { trace: Buffer.from('t1') } });
    assert.equal(sameRecord(a, { ...a, offset: 900 }), true);
    assert.equal(sameRecord(a, { ...a, value: Buffer.from('v2') }), false);
    assert.equal(sameRecord(a, { ...a, key: null }), false);
    assert.equal(sameRecord(a, { ...a, timestampMs: a.timestampMs + 1 }), false);
    assert.equal(sameRecord(a, { ...a, headers: { trace: Buffer.from('t2') } }), false);
    assert.equal(sameRecord(a, { ...a, headers: {} }), false);
  });

  it('ignores the headers named as added by MM2, and only those', () => {
    const source = rec(1, 'v', { headers: { trace: Buffer.from('t') } });
    const copy = { ...source, headers: { trace: Buffer.from('t'), 'mm2-added': Buffer.from('x') } };
    assert.equal(sameRecord(source, copy), false);
    assert.equal(sameRecord(source, copy, new Set(['mm2-added'])), true);
    assert.equal(
      sameRecord(source, { ...copy, headers: { 'mm2-added': Buffer.from('x') } }, new Set(['mm2-added'])),
      false,
    );
  });

  it('compares repeated headers in order', () => {
    const a = rec(1, 'v', { headers: { h: [Buffer.from('1'), Buffer.from('2')] } });
    assert.equal(sameRecord(a, { ...a, headers: { h: [Buffer.from('1'), Buffer.from('2')] } }), true);
    assert.equal(sameRecord(a, { ...a, headers: { h: [Buffer.from('2'), Buffer.from('1')] } }), false);
  });
});

describe('RecordAligner', () => {
  it('aligns by order: equal copies at other offsets (transaction markers on the source) are equal', () => {
    const result = align(records(['a', 'b', 'c', 'd'], 0, 3), records(['a', 'b', 'c', 'd']));
    assert.equal(result.matched, 4);
    assert.equal(result.missing + result.extra + result.different, 0);
    assert.equal(result.firstDifference, null);
  });

  it('a source record with no copy is missing, with the target offset where it should be', () => {
    const result = align(records(['a', 'b', 'c', 'd', 'e']), [
      rec(10, 'a'),
      rec(11, 'b'),
      rec(12, 'd'),
      rec(13, 'e'),
    ]);
    assert.equal(result.missing, 1);
    assert.equal(result.extra, 0);
    assert.equal(result.matched, 4);
    assert.deepEqual(result.firstDifference, { sourceOffset: 2, targetOffset: 12 });
  });

  it('a target record with no source record is extra, with its offset', () => {
    const result = align(records(['a', 'b', 'c']), [rec(0, 'a'), rec(1, 'x9'), rec(2, 'b'), rec(3, 'c')]);
    assert.equal(result.extra, 1);
    assert.equal(result.missing, 0);
    assert.equal(result.sourceRecords, 3);
    assert.equal(result.targetRecords, 4);
    assert.deepEqual(result.firstDifference, { sourceOffset: 1, targetOffset: 1 });
  });

  it('a copy written twice (MM2 retried after a broker failure) is extra and counted as a duplicate', () => {
    const target = [rec(0, 'a'), rec(1, 'b'), rec(2, 'c'), rec(3, 'b'), rec(4, 'c'), rec(5, 'd')];
    const result = align(records(['a', 'b', 'c', 'd']), target);
    assert.equal(result.extra, 2);
    assert.equal(result.duplicates, 2);
    assert.equal(result.missing, 0);
    assert.deepEqual(result.firstDifference, { sourceOffset: 3, targetOffset: 3 });
    assert.equal(align(records(['a', 'b']), [rec(0, 'a'), rec(1, 'x1'), rec(2, 'b')]).duplicates, 0);
  });

  it('an extra record at the end of the target has no source offset', () => {
    const result = align(records(['a', 'b']), [rec(0, 'a'), rec(1, 'b'), rec(2, 'x9')]);
    assert.deepEqual(result.firstDifference, { sourceOffset: null, targetOffset: 2 });
    assert.equal(result.extra, 1);
  });

  it('a record changed in place is different; the first difference is the earliest', () => {
    const target = records(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    target[1] = rec(1, 'b', { value: Buffer.from('B') });
    target[5] = rec(5, 'f', { value: Buffer.from('F') });
    const result = align(records(['a', 'b', 'c', 'd', 'e', 'f', 'g']), target, 3);
    assert.equal(result.different, 2);
    assert.equal(result.missing + result.extra, 0);
    assert.deepEqual(result.firstDifference, { sourceOffset: 1, targetOffset: 1 });
  });

  it('source records after the range recognise newer copies on the target, and are not counted', () => {
    const aligner = new RecordAligner({ window: 4 });
    aligner.addSource(records(['a', 'b']), true);
    aligner.addSource(records(['c', 'd'], 2), false);
    // the target copied c, then someone wrote x straight to it; d is not copied yet
    aligner.addTarget([rec(0, 'a'), rec(1, 'b'), rec(2, 'c'), rec(3, 'x7')]);
    aligner.align(true, true);
    const result = aligner.result();
    assert.equal(result.sourceRecords, 2);
    assert.equal(result.matched, 2);
    assert.equal(result.missing, 0);
    assert.equal(result.extra, 1);
    assert.deepEqual(result.firstDifference, { sourceOffset: 3, targetOffset: 3 });
  });

  it('waits for more records rather than deciding with a short look-ahead', () => {
    const aligner = new RecordAligner({ window: 4 });
    aligner.addSource(records(['a', 'b', 'c']), true);
    aligner.addTarget([rec(0, 'a')]);
    aligner.align(false, false);
    assert.equal(aligner.unresolvedInRange, 2);
    assert.equal(aligner.result().missing, 0);
    aligner.addTarget([rec(1, 'b'), rec(2, 'c')]);
    aligner.align(false, false);
    assert.equal(aligner.unresolvedInRange, 0);
    assert.equal(aligner.result().matched, 3);
  });

  it('compares incrementally in chunks with the same result as all at once', () => {
    const values = Array.from({ length: 200 }, (_, i) => `v${i}`);
    const source = records(values, 0, 2);
    const target = records(
      values.filter((_, i) => i !== 50),
      0,
    );
    target.splice(120, 0, rec(999, 'x1'));
    const whole = align(source, target, 8);
    const aligner = new RecordAligner({ window: 8 });
    for (let i = 0; i < 200; i += 7) {
      aligner.addSource(source.slice(i, i + 7), true);
      aligner.addTarget(target.slice(i, i + 7));
      aligner.align(false, false);
    }
    aligner.addTarget(target.slice(200));
    aligner.align(true, true);
    assert.deepEqual(aligner.result(), whole);
    assert.equal(whole.missing, 1);
    assert.equal(whole.extra, 1);
    assert.deepEqual(whole.firstDifference, { sourceOffset: 100, targetOffset: 50 });
  });

  it('on a compacted topic, versions superseded by a later record of the same key explain the difference', () => {
    const v = (offset: number, key: string, value: string | null) =>
      rec(offset, 'x', {
        key: Buffer.from(key),
        value: value === null ? null : Buffer.from(value),
        timestampMs: offset,
      });
    // the source was compacted (k1@0 and k2@1 removed), the target not yet
    const source = [v(2, 'k1', 'b'), v(3, 'k2', 'b'), v(4, 'k3', null)];
    const target = [v(0, 'k1', 'a'), v(1, 'k2', 'a'), v(2, 'k1', 'b'), v(3, 'k2', 'b')];
    const compacted = align(source, target, 4, true);
    assert.equal(compacted.missing + compacted.extra + compacted.different, 0);
    // the tombstone k3 was removed on the target after delete.retention.ms, and two superseded versions
    assert.equal(compacted.explainedByCompaction, 3);
    const plain = align(source, target, 4, false);
    assert.equal(plain.extra, 2);
    assert.equal(plain.missing, 1);
  });

  it('on a compacted topic, a latest version with no copy is still missing', () => {
    const v = (offset: number, key: string, value: string) =>
      rec(offset, 'x', { key: Buffer.from(key), value: Buffer.from(value), timestampMs: offset });
    const result = align([v(0, 'k1', 'a'), v(1, 'k2', 'a')], [v(0, 'k1', 'a')], 4, true);
    assert.equal(result.missing, 1);
    assert.deepEqual(result.firstDifference, { sourceOffset: 1, targetOffset: null });
  });
});
