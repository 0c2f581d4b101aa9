import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cell, table } from '../../source/cli/format.js';
import { assess } from '../../source/model/verdict.js';
import { health, snapshot } from '../helpers/snapshot.js';

describe('migration verdict', () => {
  it('is healthy when everything answers and MM2 runs', () => {
    assert.deepEqual(assess(snapshot()), { verdict: 'healthy', problems: [] });
  });

  it('is unreachable when a cluster does not answer, with its error', () => {
    const s = snapshot();
    s.health.target = health('target', false, 'target cluster (b:1): cannot connect: connection refused');
    assert.deepEqual(assess(s), {
      verdict: 'unreachable',
      problems: ['target cluster (b:1): cannot connect: connection refused'],
    });
  });

  it('is degraded by a stopped connector, a failed task, an old heartbeat and missing topics', () => {
    const s = snapshot({
      connectors: [
        { name: 'A', state: 'STOPPED', type: null, tasks: [], from: 'connect-rest' },
        {
          name: 'B',
          state: 'RUNNING',
          type: null,
          tasks: [{ id: 1, state: 'FAILED', trace: 'org.apache.kafka.common.errors.TimeoutException' }],
          from: 'connect-rest',
        },
      ],
      heartbeats: [{ source: 'old', target: 'new', timestampMs: 0, recordTimestampMs: 0, ageMs: 45_000 }],
    });
    s.mirror.topics = [
      {
        source: 'orders',
        target: 'orders',
        state: 'missing',
        sourcePartitions: 3,
        targetPartitions: null,
        sourceRecords: 1,
        targetRecords: null,
        lag: 1,
        partitions: [],
      },
    ];
    const result = assess(s);
    assert.equal(result.verdict, 'degraded');
    assert.deepEqual(result.problems, [
      'connector A is STOPPED',
      'connector B task 1 is FAILED: org.apache.kafka.common.errors.TimeoutException',
      'heartbeat for old->new is 45 s old',
      '1 topic(s) missing on the target: orders',
    ]);
    s.mirror.refusedTopics = new Map([['orders', 'Unknown topic config name: message.format.version']]);
    assert.equal(
      assess(s).problems.at(-1),
      '1 topic(s) missing on the target: orders (the target refuses it: Unknown topic config name: message.format.version)',
    );
  });

  it('names the metric families found when no MM2 metrics are exported', () => {
    const s = snapshot();
    s.metrics = {
      partitions: [],
      connectors: [],
      families: ['kafka_connect_worker_connector_count'],
      totalRecordCount: 0,
    };
    assert.deepEqual(assess(s).problems, [
      'no MM2 source-connector metrics at the metrics endpoint (families found: kafka_connect_worker_connector_count)',
    ]);
  });

  it('has no heartbeat problem while the internal topics are unreadable (that is the problem reported)', () => {
    const s = snapshot({ heartbeats: [] });
    s.health['mm2-internal'] = health(
      'mm2-internal',
      false,
      'MM2 internal topics on the target: not authorized',
    );
    assert.deepEqual(assess(s).problems, ['MM2 internal topics on the target: not authorized']);
  });
});

describe('plain table output', () => {
  it('aligns columns, prints - for unknown and escapes wire text', () => {
    assert.equal(cell(null), '-');
    assert.equal(cell(Number.NaN), '-');
    assert.equal(
      table(
        ['A', 'BB'],
        [
          ['x\u001b[31m', 1],
          [null, 22],
        ],
      ),
      'A          BB\nx\\x1b[31m  1\n-          22\n',
    );
  });
});
