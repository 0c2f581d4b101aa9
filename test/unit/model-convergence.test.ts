import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ConvergenceIndex,
  evaluateGroups,
  evaluateMirror,
  evaluatePoints,
  type LagPoint,
  lagSeconds,
  lagTrend,
  recordsWanted,
  slopePerSecond,
  timeAtLogEnd,
  worstStatus,
} from '../../source/model/convergence.js';
import {
  appendSnapshot,
  commitKey,
  emptyOffsetHistory,
  historySampleCount,
  logEndKey,
  mirrorKey,
  type OffsetHistory,
  samplesPerSeries,
} from '../../source/model/offset-history.js';
import { NO_RECORD_TIMES, withRecordTimes } from '../../source/model/record-times.js';
import type { GroupInfo, Snapshot } from '../../source/monitor/snapshot.js';
import { NO_TRANSLATIONS, partitionsOf, plainRows } from '../helpers/group-partitions.js';
import { health, snapshot } from '../helpers/snapshot.js';

/** Points every 2 s: [offset, lag] pairs, with the given members. */
function points(pairs: [number, number | null][], members: number | null = 1): LagPoint[] {
  return pairs.map(([offset, lag], i) => ({ atMs: i * 2000, offset, lag, members }));
}

/** Status of readings every 2 s written `offset:lag` (lag `-` unknown), e.g. `10:5 10:9`. */
function statusOf(readings: string, members: number | null = 1) {
  const pairs = readings
    .split(' ')
    .filter(Boolean)
    .map((r) => r.split(':'))
    .map(([offset, lag]) => [Number(offset), lag === '-' ? null : Number(lag)] as [number, number | null]);
  return evaluatePoints(points(pairs, members));
}

describe('evaluatePoints (Burrow rules)', () => {
  it('OK when lag is 0 at the newest reading', () => {
    assert.equal(statusOf('10:5 10:5 15:0'), 'OK');
    // a single reading at lag 0 is OK too
    assert.equal(statusOf('15:0'), 'OK');
  });

  it('OK when moving and lag does not rise at every move', () => {
    assert.equal(statusOf('10:8 20:12 30:7 40:9'), 'OK');
  });

  it('WARN when moving but lag rose at every move and ended higher', () => {
    assert.equal(statusOf('10:8 20:12 30:17 40:30'), 'WARN');
    // equal steps in between still rise across the window
    assert.equal(statusOf('10:8 20:8 30:9'), 'WARN');
    // two moves are not enough to say "every commit"
    assert.equal(statusOf('10:8 20:12'), 'OK');
  });

  it('STALL when the offset stands, lag > 0 and the group has members', () => {
    assert.equal(statusOf('10:5 10:9 10:14', 2), 'STALL');
  });

  it('STOP when the offset stands, lag > 0 and the group has no members', () => {
    assert.equal(statusOf('10:5 10:9 10:14', 0), 'STOP');
    // a lag that does not grow (no producers) is still stopped
    assert.equal(statusOf('10:5 10:5', 0), 'STOP');
  });

  it('unknown membership (MM2 without connector state) is STALL, not STOP', () => {
    assert.equal(statusOf('10:5 10:9', null), 'STALL');
  });

  it('STOP when it moved but has stood still for longer than it was seen moving', () => {
    // moved at 2 s, then still until 10 s: 8 s still > 2 s moving
    assert.equal(statusOf('10:5 20:5 20:9 20:12 20:20 20:25', 0), 'STOP');
    assert.equal(statusOf('10:5 20:5 20:9 20:12 20:20 20:25', 3), 'STALL');
    // moved at 6 s, still until 10 s: 4 s still < 6 s moving
    assert.equal(statusOf('10:5 20:4 30:3 40:2 40:5 40:7', 0), 'OK');
  });

  it('a quiet partition that just got a record is not stalled (lag 0 in the window counts as activity)', () => {
    assert.equal(statusOf('10:0 10:0 10:0 10:0 10:1', 0), 'OK');
    // but lagging for longer than it was seen current is
    assert.equal(statusOf('10:0 10:1 10:1 10:2', 0), 'STOP');
  });

  it('REWIND when the offset went backwards, even at lag 0 (Burrow #716)', () => {
    assert.equal(statusOf('50:0 50:0 20:30 25:25'), 'REWIND');
    assert.equal(statusOf('50:0 40:0'), 'REWIND');
  });

  it('null when motion cannot be judged or lag is unknown', () => {
    assert.equal(evaluatePoints([]), null);
    assert.equal(statusOf('10:5'), null);
    assert.equal(statusOf('10:5 12:-'), null);
  });

  it('worstStatus orders REWIND > STOP > STALL > WARN > OK', () => {
    assert.equal(worstStatus(['OK', 'WARN', null, 'STALL']), 'STALL');
    assert.equal(worstStatus(['STOP', 'REWIND', 'OK']), 'REWIND');
    assert.equal(worstStatus(['STALL', 'STOP']), 'STOP');
    assert.equal(worstStatus([null, null]), null);
  });
});

describe('lag in seconds (interpolated log end)', () => {
  const logEnds = [
    { atMs: 10_000, offset: 100 },
    { atMs: 12_000, offset: 140 },
    { atMs: 14_000, offset: 140 },
    { atMs: 16_000, offset: 200 },
  ];

  it('interpolates the time the log end stood at the offset', () => {
    assert.equal(timeAtLogEnd(logEnds, 120), 11_000);
    assert.equal(timeAtLogEnd(logEnds, 100), 10_000);
    // the log end stood at 140 from 12 s to 14 s: the last time it was there counts
    assert.equal(timeAtLogEnd(logEnds, 140), 14_000);
    assert.equal(timeAtLogEnd(logEnds, 170), 15_000);
    assert.equal(lagSeconds(logEnds, 170, 30, 20_000), 5);
  });

  it('is the newest time when the log end is at the offset, and 0 without lag', () => {
    assert.equal(timeAtLogEnd(logEnds, 200), 16_000);
    assert.equal(lagSeconds(logEnds, 200, 0, 99_000), 0);
  });

  it('falls back to the record timestamp where the history does not reach back', () => {
    assert.equal(timeAtLogEnd(logEnds, 50), null);
    assert.equal(lagSeconds(logEnds, 50, 150, 20_000), null);
    assert.equal(lagSeconds(logEnds, 50, 150, 20_000, 5_000), 15);
    assert.equal(lagSeconds([], 50, null, 20_000, 5_000), null);
  });

  it('uses only the samples since the log end went backwards (recreated topic)', () => {
    const recreated = [
      { atMs: 0, offset: 500 },
      { atMs: 2000, offset: 10 },
      { atMs: 4000, offset: 30 },
    ];
    assert.equal(timeAtLogEnd(recreated, 20), 3000);
    assert.equal(timeAtLogEnd(recreated, 5), null);
  });

  it('is never negative (a record timestamp from a clock ahead of ours)', () => {
    assert.equal(lagSeconds([], 50, 10, 20_000, 25_000), 0);
  });
});

describe('trend and ETA', () => {
  const totals = (lags: number[], stepMs = 1000) => lags.map((lag, i) => ({ atMs: i * stepMs, lag }));

  it('draining: rate negative, ETA lag / rate', () => {
    const t = lagTrend(totals([1000, 900, 800, 700]));
    assert.equal(t.trend, 'draining');
    assert.equal(t.ratePerSecond, -100);
    assert.equal(t.etaSeconds, 7);
  });

  it('growing: no ETA', () => {
    const t = lagTrend(totals([10, 20, 30]));
    assert.deepEqual(t, { trend: 'growing', ratePerSecond: 10, etaSeconds: null });
  });

  it('caught-up when lag is 0 now, from one reading too', () => {
    assert.deepEqual(lagTrend(totals([0])), { trend: 'caught-up', ratePerSecond: null, etaSeconds: 0 });
    assert.equal(lagTrend(totals([50, 20, 0])).trend, 'caught-up');
  });

  it('steady: a saw-tooth of periodic commits around a constant lag', () => {
    assert.equal(lagTrend(totals([100, 104, 99, 103, 100, 102])).trend, 'steady');
    assert.equal(lagTrend(totals([5, 5, 5])).trend, 'steady');
  });

  it('a slow steady rise on a large lag is growing, not steady', () => {
    const t = lagTrend(totals([2231, 2234, 2237, 2240, 2243, 2246], 2000));
    assert.equal(t.trend, 'growing');
    assert.equal(t.ratePerSecond, 1.5);
  });

  it('unknown from one reading with lag', () => {
    assert.deepEqual(lagTrend(totals([40])), { trend: null, ratePerSecond: null, etaSeconds: null });
  });

  it('looks at the newest trend window only', () => {
    // grew for a minute, then drained for the last 10 s
    const lags = [...Array.from({ length: 60 }, (_, i) => i * 10), 500, 400, 300, 200];
    const t = lagTrend(totals(lags), 3000);
    assert.equal(t.trend, 'draining');
    assert.equal(t.ratePerSecond, -100);
    assert.equal(t.etaSeconds, 2);
  });

  it('slope is null without elapsed time', () => {
    assert.equal(
      slopePerSecond([
        { atMs: 5, lag: 1 },
        { atMs: 5, lag: 9 },
      ]),
      null,
    );
  });
});

/** A snapshot at `atMs` with one source topic `t` (one partition) and a group `g` on it. */
function at(
  atMs: number,
  logEnd: number,
  committed: number | null,
  members: number,
  mm2Lag: number | null = null,
  overrides: Partial<Snapshot> = {},
): Snapshot {
  const base = snapshot();
  const lag = committed === null ? null : Math.max(0, logEnd - committed);
  const ok = (name: 'source' | 'target') => ({ ...health(name, true), lastSuccessMs: atMs });
  return snapshot({
    takenAtMs: atMs,
    health: { ...base.health, source: ok('source'), target: ok('target') },
    source: {
      ...base.source,
      topics: [
        {
          name: 't',
          internal: false,
          replicationFactor: 1,
          partitions: [{ partition: 0, leader: 1, replicas: 1, isr: 1, earliest: 0, latest: logEnd }],
          records: logEnd,
        },
      ],
      groups: [
        {
          cluster: 'source',
          group: 'g',
          state: members > 0 ? 'Stable' : 'Empty',
          protocolType: 'consumer',
          protocol: 'classic',
          members,
          partitions: partitionsOf([
            {
              topic: 't',
              partition: 0,
              committed,
              logEnd,
              belowLogStart: false,
              lag,
              negative: false,
              owner: null,
            },
          ]),
          totalLag: lag,
          translations: NO_TRANSLATIONS,
        },
      ],
    },
    mirror: {
      positionsFrom: mm2Lag === null ? null : 'topic mm2-offsets',
      totalLag: mm2Lag,
      topics:
        mm2Lag === null
          ? []
          : [
              {
                source: 't',
                target: 'old.t',
                state: 'mirroring',
                sourcePartitions: 1,
                targetPartitions: 1,
                sourceRecords: logEnd,
                targetRecords: logEnd - mm2Lag,
                lag: mm2Lag,
                partitions: [
                  {
                    partition: 0,
                    sourceEarliest: 0,
                    sourceLatest: logEnd,
                    targetEarliest: 0,
                    targetLatest: logEnd - mm2Lag,
                    mm2Position: logEnd - mm2Lag - 1,
                    lag: mm2Lag,
                    recordCount: null,
                    recordAgeMs: null,
                    replicationLatencyMs: null,
                  },
                ],
              },
            ],
    },
    ...overrides,
  });
}

function feed(snapshots: Snapshot[], options = {}): OffsetHistory {
  return snapshots.reduce((h, s) => appendSnapshot(h, s), emptyOffsetHistory(options));
}

describe('offset history', () => {
  it('keeps log ends, commits with membership, and MM2 positions per partition', () => {
    const h = feed([at(1000, 100, 90, 1, 4), at(3000, 120, 95, 1, 0)]);
    assert.deepEqual(h.logEnds.get(logEndKey('source', 't', 0)), [
      { atMs: 1000, offset: 100 },
      { atMs: 3000, offset: 120 },
    ]);
    assert.deepEqual(h.commits.get(commitKey('source', 'g', 't', 0)), [
      { atMs: 1000, committed: 90, lag: 10, members: 1 },
      { atMs: 3000, committed: 95, lag: 25, members: 1 },
    ]);
    assert.deepEqual(
      h.mirror.get(mirrorKey('t', 0))?.map((s) => [s.position, s.lag, s.tasks]),
      [
        [96, 4, 1],
        [120, 0, 1],
      ],
    );
  });

  it('a group over topics in any order: each partition keeps its own series, new ones join later', () => {
    const part = (topic: string, partition: number, committed: number | null) => ({
      topic,
      partition,
      committed,
      logEnd: 100,
      belowLogStart: false,
      lag: committed === null ? null : 100 - committed,
      negative: false,
      owner: null,
    });
    // The group lists a, b, a again (GroupPartitions brings a's together: a1, a0), with a partition of b
    // that has no commit until the second read.
    const read = (atMs: number, bOne: number | null, shift: number) => {
      const base = at(atMs, 100, 10, 1);
      const [group] = base.source.groups;
      return {
        ...base,
        source: {
          ...base.source,
          groups: [
            {
              ...(group as GroupInfo),
              partitions: partitionsOf([
                part('a', 1, 11 + shift),
                part('b', 0, 20 + shift),
                part('b', 1, bOne),
                part('a', 0, 10 + shift),
              ]),
            },
          ],
        },
      };
    };
    const h = feed([read(1000, null, 0), read(3000, 21, 5)]);
    const committed = (topic: string, partition: number) =>
      h.commits.get(commitKey('source', 'g', topic, partition))?.map((c) => [c.atMs, c.committed]);
    assert.deepEqual(committed('a', 0), [
      [1000, 10],
      [3000, 15],
    ]);
    assert.deepEqual(committed('a', 1), [
      [1000, 11],
      [3000, 16],
    ]);
    assert.deepEqual(committed('b', 0), [
      [1000, 20],
      [3000, 25],
    ]);
    assert.deepEqual(committed('b', 1), [[3000, 21]]);
    assert.equal(h.clusters.source.rows.commitRows, 4);
  });

  it('records nothing for a partition number it cannot keep, and the rest as usual', () => {
    const read = (atMs: number, committed: number) => {
      const base = at(atMs, 100, committed, 1);
      const [group] = base.source.groups as [GroupInfo];
      const [p0] = plainRows(group.partitions);
      return {
        ...base,
        source: {
          ...base.source,
          groups: [{ ...group, partitions: partitionsOf([p0!, { ...p0!, partition: 2 ** 31 - 1 }]) }],
        },
      };
    };
    const h = feed([read(1000, 10), read(3000, 15)]);
    assert.deepEqual(
      h.commits.get(commitKey('source', 'g', 't', 0))?.map((c) => [c.atMs, c.committed]),
      [
        [1000, 10],
        [3000, 15],
      ],
    );
    assert.equal(h.commits.get(commitKey('source', 'g', 't', 2 ** 31 - 1)), undefined);
    assert.equal(h.clusters.source.rows.commitRows, 1);
  });

  it('is immutable: append returns a new history and leaves the old one as it was', () => {
    const one = feed([at(1000, 100, 90, 1)]);
    const two = appendSnapshot(one, at(3000, 120, 95, 1));
    assert.notEqual(one, two);
    assert.equal(one.logEnds.get(logEndKey('source', 't', 0))?.length, 1);
    assert.equal(two.logEnds.get(logEndKey('source', 't', 0))?.length, 2);
  });

  it('drops samples past the window and series that left it', () => {
    const h = feed([at(0, 10, 5, 1), at(5000, 20, 10, 1), at(12_000, 30, 20, 1)], { windowMs: 10_000 });
    assert.deepEqual(
      h.logEnds.get(logEndKey('source', 't', 0))?.map((s) => s.atMs),
      [5000, 12_000],
    );
    const gone = appendSnapshot(h, {
      ...at(30_000, 40, 30, 1),
      source: { ...at(0, 0, 0, 0).source, groups: [] },
    });
    assert.equal(gone.commits.size, 0);
  });

  it('caps the samples per series by thinning the older half: the window keeps its reach', () => {
    const h = feed(
      Array.from({ length: 50 }, (_, i) => at(i * 1000, i * 10, i * 10, 1)),
      { maxSamples: 8 },
    );
    const series = h.logEnds.get(logEndKey('source', 't', 0)) ?? [];
    assert.equal(series.length, 8);
    assert.equal(series[0]?.atMs, 0, 'the oldest reading in the window is kept');
    assert.deepEqual(
      series.slice(-4).map((s) => s.atMs),
      [46_000, 47_000, 48_000, 49_000],
      'the newest half dense',
    );
    const times = series.map((s) => s.atMs);
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
      'in order',
    );
    assert.equal(historySampleCount(h), 16);
  });

  it('shares a sample budget over all series: many series keep fewer readings each', () => {
    const few = feed([at(0, 0, 0, 1)], { sampleBudget: 1000 });
    assert.equal(samplesPerSeries(few), 300, 'two series: the per-series cap');
    const many = feed([at(0, 0, 0, 1)], { sampleBudget: 40 });
    assert.equal(samplesPerSeries(many), 20, '40 readings over 2 series');
    const tiny = feed([at(0, 0, 0, 1)], { sampleBudget: 2 });
    assert.equal(samplesPerSeries(tiny), 8, 'never fewer than 8');
    const h = feed(
      Array.from({ length: 60 }, (_, i) => at(i * 1000, i * 10, i * 10, 1)),
      { sampleBudget: 40 },
    );
    assert.ok(historySampleCount(h) <= 40, `${historySampleCount(h)} readings held`);
    assert.equal(h.logEnds.get(logEndKey('source', 't', 0))?.[0]?.atMs, 0);
  });

  it('takes no sample from a cluster whose read failed or did not complete again', () => {
    const one = feed([at(1000, 100, 90, 1)]);
    const failed = at(3000, 100, 90, 1);
    failed.health = { ...failed.health, source: { ...health('source', false), lastSuccessMs: 1000 } };
    assert.equal(appendSnapshot(one, failed).logEnds.get(logEndKey('source', 't', 0))?.length, 1);
    // same read again (no newer completion time): nothing appended
    assert.equal(appendSnapshot(one, at(1000, 100, 90, 1)), one);
  });
});

describe('offset history columns', () => {
  /** A source with topics `t` and `extra-0..n-1`, one partition each. */
  function withTopics(atMs: number, extra: number): Snapshot {
    const s = at(atMs, atMs, null, 0);
    const partition = { partition: 0, leader: 1, replicas: 1, isr: 1, earliest: 0, latest: atMs };
    const topics = Array.from({ length: extra }, (_, i) => ({
      name: `extra-${i}`,
      internal: false,
      replicationFactor: 1,
      partitions: [partition],
      records: atMs,
    }));
    return { ...s, source: { ...s.source, topics: [...s.source.topics, ...topics], groups: [] } };
  }

  it('keeps offsets past 2^31 exactly, each read after the first as 32-bit differences', () => {
    const big = 2 ** 45;
    const reads = [0, 1, 2, 3].map((i) => at(1000 + i * 2000, big + i * 50_000, big + i * 40_000, 1, 7 + i));
    // A jump of 2^32 on the log end: that read is kept whole, and the next ones differ from it.
    reads.push(
      at(9000, big + 2 ** 32, big + 200_000, 1, 3),
      at(11_000, big + 2 ** 32 + 5, big + 200_001, 1, 2),
    );
    const h = feed(reads);
    assert.deepEqual(
      h.logEnds.get(logEndKey('source', 't', 0))?.map((x) => x.offset),
      [big, big + 50_000, big + 100_000, big + 150_000, big + 2 ** 32, big + 2 ** 32 + 5],
    );
    assert.deepEqual(
      h.commits.get(commitKey('source', 'g', 't', 0))?.map((x) => [x.committed, x.lag]),
      [
        [big, 0],
        [big + 40_000, 10_000],
        [big + 80_000, 20_000],
        [big + 120_000, 30_000],
        [big + 200_000, 2 ** 32 - 200_000],
        [big + 200_001, 2 ** 32 - 199_996],
      ],
    );
    assert.deepEqual(
      h.mirror.get(mirrorKey('t', 0))?.map((x) => x.position),
      [
        big - 7,
        big + 50_000 - 8,
        big + 100_000 - 9,
        big + 150_000 - 10,
        big + 2 ** 32 - 3,
        big + 2 ** 32 + 3,
      ],
    );
    assert.deepEqual(
      h.clusters.source.columns.map((c) => c.logEnd.whole64),
      [true, false, false, false, true, false],
    );
  });

  it('keeps members at 8 bits a row while no group has more than 255, and counts past that exactly', () => {
    const h = feed([
      at(1000, 100, 90, 3),
      at(3000, 120, 95, 300),
      at(5000, 130, 99, 70_000),
      at(7000, 140, 99, 0),
    ]);
    assert.deepEqual(
      h.commits.get(commitKey('source', 'g', 't', 0))?.map((x) => x.members),
      [3, 300, 0xffff, 0],
    );
    assert.deepEqual(
      h.clusters.source.columns.map((c) => c.members.BYTES_PER_ELEMENT),
      [1, 2, 2, 1],
    );
    // Lags of a few records take 16 bits a row, and read back as they were.
    assert.deepEqual(
      h.clusters.source.columns.map((c) => c.commitLag.bits),
      [16, 16, 16, 16],
    );
    assert.deepEqual(
      h.commits.get(commitKey('source', 'g', 't', 0))?.map((x) => x.lag),
      [10, 25, 31, 41],
    );
  });

  it('renumbers its series once most of them went away, keeping what the window holds', () => {
    let h = feed([withTopics(0, 3000), withTopics(2000, 0)], { windowMs: 10_000 });
    // the first read is still in the window: its 3,001 series are kept
    assert.equal(h.clusters.source.rows.logEndRows, 3001);
    assert.equal(h.logEnds.get(logEndKey('source', 'extra-7', 0))?.length, 1);
    h = appendSnapshot(h, withTopics(12_000, 0));
    h = appendSnapshot(h, withTopics(14_000, 0));
    assert.equal(h.clusters.source.rows.logEndRows, 1, 'the topics gone for a window are dropped');
    assert.deepEqual(
      h.logEnds.get(logEndKey('source', 't', 0))?.map((x) => [x.atMs, x.offset]),
      [
        [12_000, 12_000],
        [14_000, 14_000],
      ],
    );
  });

  it("a read whose lists the refresh kept shares the previous column's arrays, and reads anew when one changed", () => {
    const first = at(1000, 100, 90, 1, 4);
    const again = (atMs: number, changes: Partial<Snapshot['source']> = {}): Snapshot => ({
      ...first,
      takenAtMs: atMs,
      health: { ...first.health, source: { ...first.health.source, lastSuccessMs: atMs } },
      source: { ...first.source, ...changes },
    });
    let h = feed([first, again(3000)]);
    let [c1, c2] = h.clusters.source.columns;
    assert.equal(c2?.logEnd, c1?.logEnd);
    assert.equal(c2?.committed, c1?.committed);
    assert.equal(c2?.members, c1?.members);
    assert.equal(c2?.position, c1?.position);
    assert.equal(c2?.atMs, 3000);
    // A group committed (a new list, as reuse makes when one group changed): commits are read again.
    const moved = at(5000, 100, 95, 2, 4).source.groups;
    h = appendSnapshot(h, again(5000, { groups: moved }));
    const c3 = h.clusters.source.columns[2];
    assert.notEqual(c3?.committed, c2?.committed);
    assert.equal(c3?.logEnd, c2?.logEnd, 'the topics list was kept');
    assert.deepEqual(
      h.commits.get(commitKey('source', 'g', 't', 0))?.map((x) => [x.atMs, x.committed, x.members]),
      [
        [1000, 90, 1],
        [3000, 90, 1],
        [5000, 95, 2],
      ],
    );
    // A new topic registers rows: the log ends are read again, the new series included.
    const grown = [...first.source.topics, { ...first.source.topics[0]!, name: 'u' }];
    h = appendSnapshot(h, again(7000, { topics: grown, groups: moved }));
    [c1, c2] = h.clusters.source.columns.slice(-2);
    assert.notEqual(c2?.logEnd, c1?.logEnd);
    assert.equal(c2?.committed, c1?.committed);
    assert.deepEqual(h.logEnds.get(logEndKey('source', 'u', 0)), [{ atMs: 7000, offset: 100 }]);
  });

  it('an older history does not see a series registered after it', () => {
    const one = feed([at(1000, 100, 90, 1)]);
    const two = appendSnapshot(one, withTopics(3000, 2));
    assert.equal(one.logEnds.get(logEndKey('source', 'extra-1', 0)), undefined);
    assert.equal(two.logEnds.get(logEndKey('source', 'extra-1', 0))?.length, 1);
    assert.equal(evaluateGroups(one, { nowMs: 1000 })[0]?.lag, 10);
  });

  it('evaluates on demand what the commands evaluate at once', () => {
    const h = feed([10, 12, 14].map((s) => at(s * 1000, s * 10, s * 9, 1, s)));
    const index = new ConvergenceIndex(h, { nowMs: 14_000 });
    assert.deepEqual(index.group('source', 'g'), evaluateGroups(h, { nowMs: 14_000 })[0]);
    assert.equal(index.group('target', 'g'), null);
    const mirror = evaluateMirror(h, { nowMs: 14_000 });
    assert.deepEqual(index.topic('t'), mirror.topics[0]);
    assert.equal(index.mirror().lag, mirror.lag);
    assert.equal(index.mirror().status, mirror.status);
  });
});

describe('evaluating a history', () => {
  it('a stopped group: STOP, seconds behind from the log end history, growing', () => {
    // producing 10/s; the group committed up to 100 at 10 s and then left
    const h = feed(
      [10, 12, 14, 16, 18, 20].map((s) => at(s * 1000, s * 10, s <= 10 ? s * 10 : 100, s <= 10 ? 1 : 0)),
    );
    const [g] = evaluateGroups(h, { nowMs: 20_000, caughtUpSeconds: 5 });
    assert.equal(g?.status, 'STOP');
    assert.equal(g?.lag, 100);
    assert.equal(g?.lagSeconds, 10);
    assert.equal(g?.trend, 'growing');
    assert.equal(g?.ratePerSecond, 10);
    assert.equal(g?.partitions[0]?.status, 'STOP');
    // at most 10 s behind (the default) counts as caught up
    assert.equal(evaluateGroups(h, { nowMs: 20_000 })[0]?.trend, 'caught-up');
  });

  it('asks for a record timestamp where the history does not reach back, and uses it', () => {
    const timesAt100 = (timestampMs: number) =>
      withRecordTimes(NO_RECORD_TIMES, 'source', 't', [
        { partition: 0, offset: 100, entry: { timestampMs } },
      ]);
    const h = feed([at(10_000, 500, 100, 0), at(12_000, 500, 100, 0)]);
    const groups = evaluateGroups(h, { nowMs: 12_000 });
    assert.equal(groups[0]?.lagSeconds, null);
    assert.deepEqual(recordsWanted(h), [{ cluster: 'source', topic: 't', partition: 0, offset: 100 }]);
    const withTs = evaluateGroups(h, {
      nowMs: 12_000,
      recordTimestamps: timesAt100(1_000),
    });
    assert.equal(withTs[0]?.lagSeconds, 11);
    assert.equal(withTs[0]?.trend, 'steady');
    // not growing and at most 10 s behind: caught up
    const recent = evaluateGroups(h, {
      nowMs: 12_000,
      recordTimestamps: timesAt100(2_000),
    });
    assert.equal(recent[0]?.trend, 'caught-up');
    assert.equal(recent[0]?.etaSeconds, 0);
  });

  it('names the records whose timestamps the history cannot give, from the newest readings', () => {
    // the group sits at 100 while the log end was already 500 when the history began: undated
    const behind = feed([at(10_000, 500, 100, 0, 50), at(12_000, 500, 100, 0, 50)]);
    assert.deepEqual(recordsWanted(behind), [
      { cluster: 'source', topic: 't', partition: 0, offset: 450 },
      { cluster: 'source', topic: 't', partition: 0, offset: 100 },
    ]);
    // caught up, or dated by the history: nothing to read
    assert.deepEqual(recordsWanted(feed([at(10_000, 500, 500, 1, 0), at(12_000, 500, 500, 1, 0)])), []);
    assert.deepEqual(recordsWanted(feed([at(10_000, 100, 100, 1, 0), at(12_000, 150, 100, 1, 0)])), []);
  });

  it('MM2: draining with an ETA per topic and overall, then caught-up', () => {
    const draining = feed([
      at(0, 1000, null, 0, 600),
      at(2000, 1000, null, 0, 400),
      at(4000, 1000, null, 0, 200),
    ]);
    const m = evaluateMirror(draining, { nowMs: 4000 });
    assert.equal(m.trend, 'draining');
    assert.equal(m.ratePerSecond, -100);
    assert.equal(m.etaSeconds, 2);
    assert.equal(m.status, 'OK');
    assert.equal(m.topics[0]?.trend, 'draining');
    assert.deepEqual(
      m.lagHistory.map((p) => p.lag),
      [600, 400, 200],
    );
    const done = evaluateMirror(appendSnapshot(draining, at(6000, 1000, null, 0, 0)), { nowMs: 6000 });
    assert.equal(done.trend, 'caught-up');
    assert.equal(done.lagSeconds, 0);
    assert.equal(done.etaSeconds, 0);
  });

  it('MM2 with its connector stopped: STOP, and STALL while its tasks run', () => {
    const stopped = (t: number, lag: number) =>
      at(t, 1000 + lag, null, 0, lag, {
        connectors: [
          {
            name: 'a->b.MirrorSourceConnector',
            state: 'STOPPED',
            type: 'source',
            tasks: [],
            from: 'connect-rest',
          },
        ],
      });
    assert.equal(evaluateMirror(feed([stopped(0, 10), stopped(2000, 30)]), { nowMs: 2000 }).status, 'STOP');
    const running = feed([at(0, 1010, null, 0, 10), at(2000, 1030, null, 0, 30)]);
    // position 1000 both times
    assert.equal(evaluateMirror(running, { nowMs: 2000 }).status, 'STALL');
  });

  it("a group's seconds behind are unknown while a lagging partition cannot be dated", () => {
    const h = feed([at(10_000, 500, 100, 1)]);
    const [g] = evaluateGroups(h, { nowMs: 10_000 });
    assert.equal(g?.partitions[0]?.lagSeconds, null);
    assert.equal(g?.lagSeconds, null);
    assert.equal(g?.status, null);
  });

  it('a group that committed backwards is REWIND', () => {
    const h = feed([at(0, 100, 100, 1), at(2000, 100, 40, 1)]);
    assert.equal(evaluateGroups(h, { nowMs: 2000 })[0]?.status, 'REWIND');
  });
});
