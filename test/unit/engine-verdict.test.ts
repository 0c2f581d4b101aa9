import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cell, table } from '../../source/cli/format.js';
import { assess, missingProblems } from '../../source/model/verdict.js';
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

  it('counts missing topics past ten, one line per reason of refusal with a few names: status stays readable', () => {
    const topics = (n: number, prefix: string) =>
      Array.from({ length: n }, (_, i) => ({ target: `${prefix}-${String(i).padStart(4, '0')}` }));
    const few = topics(2, 'few');
    assert.deepEqual(missingProblems(few, new Map([['few-0001', 'Unknown topic config name: x']])), [
      '2 topic(s) missing on the target: few-0000, few-0001 (the target refuses it: Unknown topic config name: x)',
    ]);
    // A dynamic broker config the target refuses: every topic of a 5,000-topic source missing, one reason.
    const all = topics(5000, 'scale');
    const why = 'Unknown topic config name: message.downconversion.enable';
    const lines = missingProblems(all, new Map(all.map((t) => [t.target, why])));
    assert.deepEqual(lines, [
      '5000 topic(s) missing on the target: scale-0000, scale-0001, scale-0002 and 4997 more',
      `5000 of them refused by the target (scale-0000, scale-0001, scale-0002 and 4997 more): ${why}`,
    ]);
    // Ten reasons: the three most common listed, the rest counted; topics not refused only in the count.
    const refused = new Map(
      all.slice(0, 500).map((t, i) => [t.target, `reason ${i % 5}${i < 400 ? '' : ' rare'}`]),
    );
    const mixed = missingProblems(all, refused);
    assert.equal(mixed.length, 5);
    assert.match(
      mixed[1] ?? '',
      /^80 of them refused by the target \(scale-\d{4}, .* and 77 more\): reason \d$/,
    );
    assert.equal(mixed[4], '260 more refused by the target for 7 other reason(s) (verify --all lists each)');
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
