import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractMm2Metrics, isMm2SampleName, unquoteTag } from '../../source/mm2/mm2-metrics.js';
import { parsePrometheusText } from '../../source/mm2/prometheus.js';
import { fixture } from '../helpers/fixtures.js';

function fromText(text: string) {
  return extractMm2Metrics(parsePrometheusText(text));
}

describe('extractMm2Metrics: Strimzi-style (lowercased) names', () => {
  const m = fromText(fixture('metrics-strimzi.txt'));

  it('builds one row per (source, target, topic, partition), sorted', () => {
    assert.deepEqual(
      m.partitions.map((p) => `${p.source}>${p.target} ${p.topic}-${p.partition}`),
      ['A>B A.orders-0', 'A>B A.orders-1', 'A>B A.orders-2', 'A>B A.payments-0'],
    );
  });

  it('maps the attributes mirrorwatch shows and drops rates, byte counts and the _min ones', () => {
    assert.deepEqual(m.partitions[0], {
      source: 'A',
      target: 'B',
      topic: 'A.orders',
      partition: 0,
      recordCount: 1500,
      recordAgeMs: 12,
      recordAgeMsMax: 48,
      recordAgeMsAvg: 14.5,
      replicationLatencyMs: 20,
      replicationLatencyMsMax: 95,
      replicationLatencyMsAvg: 25.5,
      windowed: true,
    });
    assert.equal(m.partitions[3]!.recordCount, 98765);
  });

  it('turns NaN gauges of an idle partition into undefined, keeping the counters and that the window was exported', () => {
    assert.deepEqual(m.partitions[2], {
      source: 'A',
      target: 'B',
      topic: 'A.orders',
      partition: 2,
      recordCount: 0,
      windowed: true,
    });
  });

  it('leaves the samples it does not read to the parser to skip: checkpoint latency, rates, byte counts, _min', () => {
    const mirror = 'kafka_connect_mirror_';
    const wanted: Array<[string, boolean]> = [
      ['mirrorcheckpointconnector_checkpoint_latency_ms', false],
      ['mirrorcheckpointconnector_checkpoint_latency_ms_max', false],
      ['MirrorCheckpointConnector_checkpoint_latency_ms_avg', false],
      ['checkpoint_connector_checkpoint_latency_ms', false],
      ['mirrorsourceconnector_record_rate', false],
      ['mirrorsourceconnector_byte_count', false],
      ['source_connector_bytes_rate', false],
      ['mirrorsourceconnector_record_age_ms_min', false],
      ['mirrorsourceconnector_record_count_created', false],
      ['mirrorsourceconnector_record_count', true],
      ['MirrorSourceConnector_record_age_ms_max', true],
      ['source_connector_records_count_total', true],
      ['mirrorsourceconnector_replication_latency_ms_avg', true],
    ];
    for (const [name, kept] of wanted) assert.equal(isMm2SampleName(mirror + name), kept, name);
    assert.equal(isMm2SampleName('kafka_connect_connector_status'), true);
    assert.equal(isMm2SampleName('jvm_threads_current'), false);
  });

  it('reads connector and task status with the sanitizer quotes stripped', () => {
    assert.deepEqual(m.connectors, [
      { connector: 'A->B.MirrorCheckpointConnector', task: 0, status: 'running' },
      { connector: 'A->B.MirrorHeartbeatConnector', task: 0, status: 'running' },
      { connector: 'A->B.MirrorSourceConnector', status: 'running' },
      { connector: 'A->B.MirrorSourceConnector', task: 0, status: 'running' },
    ]);
  });

  it('sums record counts and lists the MM2/Connect families found, not the JVM ones', () => {
    assert.equal(m.totalRecordCount, 1500 + 1522 + 0 + 98765);
    assert.ok(m.families.includes('kafka_connect_mirror_mirrorsourceconnector_record_count'));
    assert.ok(m.families.includes('kafka_connect_connector_status'));
    assert.ok(m.families.includes('kafka_connect_mirror_mirrorcheckpointconnector_checkpoint_latency_ms'));
    assert.ok(!m.families.some((f) => f.startsWith('jvm_')));
    assert.deepEqual(m.families, [...m.families].sort());
  });
});

describe('extractMm2Metrics: default export (case kept, untyped, no status)', () => {
  const m = fromText(fixture('metrics-default-export.txt'));

  it('matches the case-kept names', () => {
    assert.equal(m.partitions.length, 2);
    assert.deepEqual(m.partitions[0], {
      source: 'A',
      target: 'B',
      topic: 'orders',
      partition: 0,
      recordCount: 2000,
      recordAgeMs: 5,
      replicationLatencyMsMax: 41,
      windowed: true,
    });
    assert.equal(m.partitions[1]!.recordAgeMs, undefined);
    assert.equal(m.totalRecordCount, 4100);
  });

  it('has no connector status (string attributes are dropped) but lists the families it found', () => {
    assert.deepEqual(m.connectors, []);
    assert.ok(m.families.includes('kafka_connect_connector_task_metrics_running_ratio'));
    assert.ok(m.families.includes('kafka_connect_mirror_MirrorSourceConnector_record_count'));
  });
});

describe('extractMm2Metrics: old exporter, hand-written rules, Kafka 3.4', () => {
  const m = fromText(fixture('metrics-old-exporter.txt'));

  it('handles records_count_total, destination, missing source and infinities', () => {
    assert.deepEqual(m.partitions, [
      { target: 'B', topic: 'A.orders', partition: 0, recordCount: 12345678, replicationLatencyMs: 75 },
      { target: 'B', topic: 'A.orders', partition: 1, recordCount: 4096 },
    ]);
    assert.equal(m.totalRecordCount, 12345678 + 4096);
  });

  it('reads *_metrics_status families: value 1 is the status, 0 is not, status lowercased', () => {
    assert.deepEqual(m.connectors, [
      { connector: 'A->B.MirrorSourceConnector', status: 'running' },
      { connector: 'A->B.MirrorSourceConnector', task: 0, status: 'running' },
      { connector: 'A->B.MirrorSourceConnector', task: 1, status: 'failed' },
    ]);
  });
});

describe('extractMm2Metrics: lab capture (Connect 4.3.1, Strimzi-style rules, identity policy)', () => {
  const m = fromText(fixture('metrics-lab-connect-4.3.1.txt'));

  it('finds every partition and status', () => {
    assert.equal(m.partitions.length, 23);
    assert.equal(m.connectors.length, 7);
    assert.equal(m.totalRecordCount, 21800);
    assert.deepEqual(
      new Set(m.partitions.map((p) => p.topic)),
      new Set(['DmmAccess', 'apache-logs', 'topic1', 'topic2']),
    );
    assert.ok(m.partitions.every((p) => p.source === 'old' && p.target === 'new'));
  });

  it('sorts partitions numerically within a topic', () => {
    const logs = m.partitions.filter((p) => p.topic === 'apache-logs').map((p) => p.partition);
    assert.deepEqual(
      logs,
      Array.from({ length: 15 }, (_, i) => i),
    );
  });

  it('reads a known row', () => {
    const t2 = m.partitions.find((p) => p.topic === 'topic2')!;
    assert.equal(t2.recordCount, 20000);
    assert.equal(t2.recordAgeMs, 19922);
    assert.equal(t2.replicationLatencyMsMax, 20002);
  });

  it('reads connector-level and task-level status', () => {
    assert.deepEqual(
      m.connectors.filter((c) => c.connector === 'old->new.MirrorSourceConnector'),
      [
        { connector: 'old->new.MirrorSourceConnector', status: 'running' },
        { connector: 'old->new.MirrorSourceConnector', task: 0, status: 'running' },
        { connector: 'old->new.MirrorSourceConnector', task: 1, status: 'running' },
      ],
    );
  });

  it('lists the Connect families too', () => {
    assert.ok(m.families.includes('kafka_connect_worker_connector_failed_task_count'));
    assert.ok(m.families.includes('kafka_connect_source_task_source_record_poll'));
  });
});

describe('extractMm2Metrics: robustness', () => {
  it('returns empty results and no families for a scrape without MM2 metrics', () => {
    assert.deepEqual(fromText('jvm_threads_current 42\n'), {
      partitions: [],
      connectors: [],
      families: [],
      totalRecordCount: 0,
    });
  });

  it('ignores unknown attributes, rows without topic/partition and bad partitions, but lists the families', () => {
    const m = fromText(
      [
        'kafka_connect_mirror_mirrorsourceconnector_something_new{topic="t",partition="0"} 1',
        'kafka_connect_mirror_mirrorsourceconnector_record_count{topic="t"} 1',
        'kafka_connect_mirror_mirrorsourceconnector_record_count{topic="t",partition="x"} 1',
        'kafka_connect_mirror_mirrorsourceconnector_record_count{topic="t",partition="-1"} 1',
        'kafka_connect_mirror_mirrorcheckpointconnector_checkpoint_latency_ms{topic="t",partition="0"} 1',
        'kafka_connect_connector_status{status="running"} 1',
        'kafka_connect_connector_status{connector="c",status="running",task="zero"} 1',
        'kafka_connect_connector_status{connector="c",status=""} 1',
      ].join('\n'),
    );
    assert.deepEqual(m.partitions, []);
    assert.deepEqual(m.connectors, []);
    assert.deepEqual(m.families, [
      'kafka_connect_connector_status',
      'kafka_connect_mirror_mirrorcheckpointconnector_checkpoint_latency_ms',
      'kafka_connect_mirror_mirrorsourceconnector_record_count',
      'kafka_connect_mirror_mirrorsourceconnector_something_new',
    ]);
  });

  it('accepts upper-case label names, _total counters and ignores _created samples', () => {
    const m = fromText(
      [
        '# TYPE kafka_connect_mirror_mirrorsourceconnector_record_count counter',
        'kafka_connect_mirror_mirrorsourceconnector_record_count_total{Topic="t",Partition="3",Source="A"} 9',
        'kafka_connect_mirror_mirrorsourceconnector_record_count_created{Topic="t",Partition="3",Source="A"} 1.7E9',
      ].join('\n'),
    );
    assert.deepEqual(m.partitions, [{ source: 'A', topic: 't', partition: 3, recordCount: 9 }]);
  });

  it('keeps flows apart when the same topic is mirrored from two sources', () => {
    const m = fromText(
      [
        'kafka_connect_mirror_mirrorsourceconnector_record_count{source="A",target="C",topic="orders",partition="0"} 1',
        'kafka_connect_mirror_mirrorsourceconnector_record_count{source="B",target="C",topic="orders",partition="0"} 2',
      ].join('\n'),
    );
    assert.deepEqual(
      m.partitions.map((p) => [p.source, p.recordCount]),
      [
        ['A', 1],
        ['B', 2],
      ],
    );
    assert.equal(m.totalRecordCount, 3);
  });
});

describe('unquoteTag', () => {
  it('strips ObjectName.quote quoting and its escapes, leaves other values alone', () => {
    assert.equal(unquoteTag('"A->B.MirrorSourceConnector"'), 'A->B.MirrorSourceConnector');
    assert.equal(unquoteTag('"a\\"b\\\\c\\*d\\?e\\nf"'), 'a"b\\c*d?e\nf');
    assert.equal(unquoteTag('plain'), 'plain');
    assert.equal(unquoteTag('"'), '"');
    assert.equal(unquoteTag('"half'), '"half');
    assert.equal(unquoteTag('""'), '');
  });
});
