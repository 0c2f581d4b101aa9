import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CommittedPartition,
  committedBelowLogStart,
  partitionLag,
  partitionLagDetail,
  replicationLag,
  replicationLagDetail,
  totalLag,
  worstPartitions,
} from '../../source/model/lag.js';

describe('partitionLag (kafka-consumer-groups LAG)', () => {
  it('is log end minus committed', () => {
    assert.equal(partitionLag({ committed: 90, logEnd: 100 }), 10);
    assert.equal(partitionLag({ committed: 100, logEnd: 100, logStart: 0 }), 0);
  });

  it('is null (shown "-") with no committed offset, or the -1 OffsetFetch sentinel', () => {
    assert.equal(partitionLag({ committed: null, logEnd: 100 }), null);
    assert.equal(partitionLag({ committed: -1, logEnd: 100 }), null);
    assert.deepEqual(partitionLagDetail({ committed: null, logEnd: 100 }), {
      lag: null,
      rawLag: null,
      negative: false,
      belowLogStart: false,
    });
  });

  it('is null when the log end is unknown', () => {
    assert.equal(partitionLag({ committed: 5, logEnd: Number.NaN }), null);
    assert.equal(partitionLag({ committed: 5, logEnd: -1 }), null);
  });

  it('is 0 for an empty partition with the group at 0', () => {
    assert.deepEqual(partitionLagDetail({ committed: 0, logEnd: 0, logStart: 0 }), {
      lag: 0,
      rawLag: 0,
      negative: false,
      belowLogStart: false,
    });
  });

  it('clamps a committed offset beyond the log end (truncation, KAFKA-12635) to 0 and flags it', () => {
    assert.equal(partitionLag({ committed: 150, logEnd: 100 }), 0);
    assert.deepEqual(partitionLagDetail({ committed: 150, logEnd: 100, logStart: 0 }), {
      lag: 0,
      rawLag: -50,
      negative: true,
      belowLogStart: false,
    });
  });

  it('keeps the command definition below the log start, and flags it', () => {
    assert.deepEqual(partitionLagDetail({ committed: 10, logEnd: 100, logStart: 40 }), {
      lag: 90,
      rawLag: 90,
      negative: false,
      belowLogStart: true,
    });
  });

  it('flags a commit below a known log start when the log end is unknown (they are asked for apart)', () => {
    assert.deepEqual(partitionLagDetail({ committed: 5, logEnd: Number.NaN, logStart: 10 }), {
      lag: null,
      rawLag: null,
      negative: false,
      belowLogStart: true,
    });
    assert.equal(
      partitionLagDetail({ committed: null, logEnd: Number.NaN, logStart: 10 }).belowLogStart,
      false,
    );
  });
});

describe('replicationLag (MM2 position from the Connect offsets topic)', () => {
  it('is logEnd - (stored + 1): MM2 resumes after the stored offset', () => {
    assert.equal(replicationLag({ sourceLogEnd: 100, mm2Position: 89, sourceLogStart: 0 }), 10);
    assert.equal(replicationLag({ sourceLogEnd: 100, mm2Position: 99, sourceLogStart: 0 }), 0);
  });

  it('with no stored entry MM2 starts from the earliest offset', () => {
    assert.equal(replicationLag({ sourceLogEnd: 100, mm2Position: null, sourceLogStart: 30 }), 70);
    assert.equal(replicationLag({ sourceLogEnd: 100, mm2Position: null }), 100);
    assert.deepEqual(replicationLagDetail({ sourceLogEnd: 100, mm2Position: null, sourceLogStart: 30 }), {
      lag: 70,
      resumeAt: 30,
      fromEarliest: true,
      positionAhead: false,
      positionBelowLogStart: false,
    });
  });

  it('is 0 for an empty partition', () => {
    assert.equal(replicationLag({ sourceLogEnd: 0, mm2Position: null, sourceLogStart: 0 }), 0);
    assert.equal(replicationLag({ sourceLogEnd: 500, mm2Position: null, sourceLogStart: 500 }), 0);
  });

  it('is never negative: a stored position beyond the log end (topic recreated) gives 0 and a flag', () => {
    assert.deepEqual(replicationLagDetail({ sourceLogEnd: 10, mm2Position: 499, sourceLogStart: 0 }), {
      lag: 0,
      resumeAt: 500,
      fromEarliest: false,
      positionAhead: true,
      positionBelowLogStart: false,
    });
  });

  it('a stored position below the log start resumes at the log start (records lost to retention)', () => {
    assert.deepEqual(replicationLagDetail({ sourceLogEnd: 100, mm2Position: 5, sourceLogStart: 50 }), {
      lag: 50,
      resumeAt: 50,
      fromEarliest: false,
      positionAhead: false,
      positionBelowLogStart: true,
    });
  });

  it('stored = logStart - 1 is exactly caught up with the start, not below it', () => {
    const d = replicationLagDetail({ sourceLogEnd: 100, mm2Position: 49, sourceLogStart: 50 });
    assert.equal(d.lag, 50);
    assert.equal(d.positionBelowLogStart, false);
  });
});

describe('totalLag and worstPartitions', () => {
  const rows = [
    { p: 0, lag: 5 },
    { p: 1, lag: null },
    { p: 2, lag: 50 },
    { p: 3, lag: 0 },
    { p: 4, lag: 50 },
    { p: 5 },
  ];

  it('sums known lags only', () => {
    assert.equal(totalLag(rows), 105);
    assert.equal(totalLag([]), 0);
    assert.equal(totalLag([{ lag: null }]), 0);
  });

  it('returns the n largest, ties in input order, unknown lags left out', () => {
    assert.deepEqual(
      worstPartitions(rows, 3).map((r) => r.p),
      [2, 4, 0],
    );
    assert.deepEqual(
      worstPartitions(rows, 10).map((r) => r.p),
      [2, 4, 0, 3],
    );
    assert.deepEqual(worstPartitions(rows, 0), []);
    assert.deepEqual(worstPartitions(rows, -1), []);
    assert.deepEqual(worstPartitions([], 3), []);
  });

  it('does not reorder its input', () => {
    const copy = rows.map((r) => r.p);
    worstPartitions(rows, 2);
    assert.deepEqual(
      rows.map((r) => r.p),
      copy,
    );
  });
});

describe('CommittedPartition (a group partition as an object)', () => {
  it('gives the LAG, negative and below-log-start of partitionLagDetail, from its offsets', () => {
    const cases: Array<[number | null, number | null, number | null]> = [
      [90, 100, 0],
      [100, 100, 0],
      [120, 100, 0], // beyond the log end: KAFKA-12635
      [5, 100, 50], // below the log start
      [null, 100, 0],
      [90, null, 0],
      [90, null, 95], // the log end unknown, the start known
      [null, null, null],
      [0, 0, 0],
      [2 ** 40, 2 ** 40 + 7, 2 ** 39],
    ];
    for (const [committed, logEnd, logStart] of cases) {
      const detail = partitionLagDetail({
        committed,
        logEnd: logEnd ?? Number.NaN,
        ...(logStart !== null ? { logStart } : {}),
      });
      const p = new CommittedPartition(
        'orders',
        3,
        committed,
        logEnd,
        committedBelowLogStart(committed, logStart),
        null,
      );
      const label = JSON.stringify([committed, logEnd, logStart]);
      assert.equal(p.lag, detail.lag, label);
      assert.equal(p.negative, detail.negative, label);
      assert.equal(p.belowLogStart, detail.belowLogStart, label);
    }
  });
});
