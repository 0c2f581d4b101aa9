import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  keptRecordTimes,
  NO_RECORD_TIMES,
  type RecordTime,
  recordTimeAt,
  recordTimeEntry,
  recordTimesTopicKey,
  withRecordTimes,
} from '../../source/model/record-times.js';

const entry = (timestampMs: number | null): RecordTime => ({ timestampMs });

describe('record times', () => {
  it('answers per cluster, topic, partition and offset; a gone record reads as unknown', () => {
    let times = withRecordTimes(NO_RECORD_TIMES, 'source', 'orders', [
      { partition: 0, offset: 100, entry: entry(1_000) },
      { partition: 0, offset: 200, entry: entry(2_000) },
      { partition: 3, offset: 100, entry: entry(null) },
    ]);
    times = withRecordTimes(times, 'target', 'orders', [{ partition: 0, offset: 100, entry: entry(9_000) }]);
    assert.equal(recordTimeAt(times, 'source', 'orders', 0, 100), 1_000);
    assert.equal(recordTimeAt(times, 'source', 'orders', 0, 200), 2_000);
    assert.equal(recordTimeAt(times, 'target', 'orders', 0, 100), 9_000);
    assert.equal(recordTimeAt(times, 'source', 'orders', 3, 100), null);
    assert.notEqual(
      recordTimeEntry(times, 'source', 'orders', 3, 100),
      undefined,
      'a gone record is kept as read',
    );
    assert.equal(recordTimeAt(times, 'source', 'orders', 1, 100), null);
    assert.equal(recordTimeAt(times, 'source', 'other', 0, 100), null);
    assert.equal(recordTimeAt(undefined, 'source', 'orders', 0, 100), null);
  });

  it('never changes a map it handed out: an update copies the topic it touches and shares the others', () => {
    const first = withRecordTimes(NO_RECORD_TIMES, 'source', 'a', [
      { partition: 0, offset: 1, entry: entry(10) },
    ]);
    const second = withRecordTimes(first, 'source', 'b', [{ partition: 0, offset: 1, entry: entry(20) }]);
    const third = withRecordTimes(second, 'source', 'a', [{ partition: 1, offset: 5, entry: entry(30) }]);
    assert.equal(recordTimeAt(first, 'source', 'b', 0, 1), null);
    assert.equal(recordTimeAt(second, 'source', 'a', 1, 5), null);
    assert.equal(recordTimeAt(third, 'source', 'a', 1, 5), 30);
    assert.equal(
      third.get(recordTimesTopicKey('source', 'b')),
      second.get(recordTimesTopicKey('source', 'b')),
    );
    assert.equal(
      third.get(recordTimesTopicKey('source', 'a'))?.get(0),
      first.get(recordTimesTopicKey('source', 'a'))?.get(0),
      'the untouched partition is shared',
    );
    assert.equal(withRecordTimes(third, 'source', 'a', []), third);
  });

  it('keeps what is still wanted: the same object when nothing goes, shared topics when they lose nothing', () => {
    const stay = entry(1);
    const go = entry(2);
    const times = withRecordTimes(
      withRecordTimes(NO_RECORD_TIMES, 'source', 'a', [
        { partition: 0, offset: 1, entry: stay },
        { partition: 0, offset: 2, entry: go },
        { partition: 1, offset: 1, entry: go },
      ]),
      'source',
      'b',
      [{ partition: 0, offset: 1, entry: stay }],
    );
    assert.equal(
      keptRecordTimes(times, () => true),
      times,
    );
    const kept = keptRecordTimes(times, (e) => e !== go);
    assert.equal(recordTimeAt(kept, 'source', 'a', 0, 1), 1);
    assert.equal(recordTimeEntry(kept, 'source', 'a', 0, 2), undefined);
    assert.equal(kept.get(recordTimesTopicKey('source', 'a'))?.has(1), false, 'an emptied partition goes');
    assert.equal(kept.get(recordTimesTopicKey('source', 'b')), times.get(recordTimesTopicKey('source', 'b')));
    assert.equal(recordTimeEntry(times, 'source', 'a', 0, 2), go, 'the original is unchanged');
    assert.equal(keptRecordTimes(times, () => false).size, 0, 'a topic that lost every entry goes');
  });
});
