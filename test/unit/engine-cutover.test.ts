import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cutoverGate } from '../../source/model/cutover.js';
import type { GroupInfo, MirrorTopic } from '../../source/monitor/snapshot.js';
import { snapshot } from '../helpers/snapshot.js';

function mirrorTopic(lag: number, targetLatest = 10): MirrorTopic {
  return {
    source: 'orders',
    target: 'orders',
    state: lag === 0 ? 'in-sync' : 'mirroring',
    sourcePartitions: 1,
    targetPartitions: 1,
    sourceRecords: 10,
    targetRecords: targetLatest,
    lag,
    partitions: [
      {
        partition: 0,
        sourceEarliest: 0,
        sourceLatest: 10,
        targetEarliest: 0,
        targetLatest,
        mm2Position: 9 - lag,
        lag,
        recordCount: null,
        recordAgeMs: null,
        replicationLatencyMs: null,
      },
    ],
  };
}

function group(
  cluster: 'source' | 'target',
  committed: number,
  logEnd: number,
  translations: GroupInfo['translations'] = [],
): GroupInfo {
  return {
    cluster,
    group: 'billing',
    state: 'Empty',
    protocolType: 'consumer',
    protocol: 'classic',
    members: 0,
    partitions: [
      {
        topic: 'orders',
        partition: 0,
        committed,
        logEnd,
        logStart: 0,
        lag: logEnd - committed,
        negative: false,
        owner: null,
      },
    ],
    totalLag: logEnd - committed,
    translations,
  };
}

describe('cutover gate', () => {
  it('opens when topics are copied, consumers caught up and offsets translated and synced', () => {
    const s = snapshot();
    s.mirror.topics = [mirrorTopic(0)];
    s.source = { ...s.source, groups: [group('source', 10, 10)] };
    s.target = {
      ...s.target,
      groups: [
        group('target', 10, 10, [
          {
            topic: 'orders',
            partition: 0,
            upstreamOffset: 10,
            downstreamOffset: 10,
            checkpointTimestampMs: 1,
          },
        ]),
      ],
    };
    const gate = cutoverGate(s);
    assert.equal(gate.ready, true, JSON.stringify(gate.checks));
    assert.ok(gate.checks.every((c) => c.ok));
  });

  it('stays closed on MM2 lag, source lag and a missing checkpoint, and warns about re-reads', () => {
    const s = snapshot();
    s.mirror.topics = [mirrorTopic(2)];
    s.source = { ...s.source, groups: [group('source', 7, 10)] };
    s.target = {
      ...s.target,
      groups: [
        group('target', 1, 10, [
          { topic: 'orders', partition: 0, upstreamOffset: 5, downstreamOffset: 1, checkpointTimestampMs: 1 },
        ]),
      ],
    };
    const gate = cutoverGate(s);
    assert.equal(gate.ready, false);
    assert.deepEqual(
      gate.checks.filter((c) => !c.ok).map((c) => c.detail),
      [
        'MM2 lag 2 on partition(s) 0',
        'lag 3 on the source: consumers have not finished',
        '1 of 1 partition(s) without a checkpoint of the current source offset',
      ],
    );

    s.mirror.topics = [mirrorTopic(0)];
    s.source = { ...s.source, groups: [group('source', 10, 10)] };
    s.target = {
      ...s.target,
      groups: [
        group('target', 4, 10, [
          {
            topic: 'orders',
            partition: 0,
            upstreamOffset: 10,
            downstreamOffset: 4,
            checkpointTimestampMs: 1,
          },
        ]),
      ],
    };
    const coarse = cutoverGate(s);
    assert.equal(coarse.ready, true);
    assert.deepEqual(
      coarse.checks.filter((c) => !c.ok).map((c) => [c.blocking, c.detail]),
      [
        [
          false,
          'consumers moved now would re-read 6 record(s) on the target (translation granularity, offset.lag.max)',
        ],
      ],
    );
  });

  it('claims no lost data from a shorter offset span on the target (transaction markers, compaction) and points to compare', () => {
    const s = snapshot();
    // 10 source offsets of which 4 are transaction markers: MM2 wrote 6 records
    s.mirror.topics = [mirrorTopic(0, 6)];
    const gate = cutoverGate(s);
    const span = gate.checks.find((c) => c.detail.includes('offset span'));
    assert.ok(span, JSON.stringify(gate.checks));
    assert.equal(span.ok, true);
    assert.equal(span.blocking, false);
    assert.match(span.detail, /mirrorwatch compare --topic orders/);
    assert.ok(gate.checks.every((c) => !/fewer records|lost/.test(c.detail)));
    assert.equal(gate.ready, true, JSON.stringify(gate.checks));
  });
});
