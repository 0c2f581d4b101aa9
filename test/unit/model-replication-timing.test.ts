import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractMm2Metrics, type PartitionMetrics } from '../../source/mm2/mm2-metrics.js';
import { parsePrometheusText } from '../../source/mm2/prometheus.js';
import {
  partitionTiming,
  partitionTimings,
  summariseTimings,
} from '../../source/model/replication-timing.js';
import { decodeProbeMarker, encodeProbeMarker, PROBE_KEY } from '../../source/monitor/probe.js';
import { fixture } from '../helpers/fixtures.js';

/** Captured from the lab's exporter with --traffic running; topic2 idle since seeding. */
const LAB_PAGE = fixture('metrics-lab-traffic-topic2-idle.txt');

/** The same page as an exporter whose rules export only the un-windowed gauges (no _max/_avg/_min). */
const LAB_PAGE_WITHOUT_WINDOWS = LAB_PAGE.split('\n')
  .filter((line) => !/(record_age_ms|replication_latency_ms)_(max|avg|min)\b/.test(line))
  .join('\n');

function partitionsOf(text: string): PartitionMetrics[] {
  return extractMm2Metrics(parsePrometheusText(text)).partitions;
}

const topic2 = (partitions: PartitionMetrics[]) => partitions.find((p) => p.topic === 'topic2')!;

describe('the captured lab page: MM2 keeps the last value of an idle partition', () => {
  const partitions = partitionsOf(LAB_PAGE);

  it('exports NaN as the windowed max of idle topic2 while its last-value gauges stay large', () => {
    assert.match(
      LAB_PAGE,
      /^kafka_connect_mirror_mirrorsourceconnector_replication_latency_ms_max\{[^}]*topic="topic2"\} NaN$/m,
    );
    const t2 = topic2(partitions);
    assert.equal(t2.windowed, true);
    assert.equal(t2.recordAgeMsMax, undefined);
    assert.equal(t2.replicationLatencyMsMax, undefined);
    assert.ok((t2.recordAgeMs ?? 0) > 10_000, `stale gauge ${t2.recordAgeMs}`);
    assert.ok((t2.replicationLatencyMs ?? 0) > 10_000);
  });

  it('counts topic2 as idle and the traffic partitions as replicating, with their windowed max', () => {
    const t2 = partitionTiming(topic2(partitions));
    assert.deepEqual(t2, { recordAgeMs: null, replicationLatencyMs: null, idle: true, basis: 'windowed' });
    const apache0 = partitions.find((p) => p.topic === 'apache-logs' && p.partition === 0)!;
    assert.deepEqual(partitionTiming(apache0), {
      recordAgeMs: apache0.recordAgeMsMax,
      replicationLatencyMs: apache0.replicationLatencyMsMax,
      idle: false,
      basis: 'windowed',
    });
  });

  it("keeps each partition's timing as partitionTiming gives it, idle, replicating or without a basis", () => {
    const bare: PartitionMetrics = {
      source: 'old',
      target: 'new',
      topic: 'bare',
      partition: 3,
      recordCount: 5,
    };
    const all = [
      ...partitions,
      bare,
      ...partitionsOf(LAB_PAGE_WITHOUT_WINDOWS).map((p) => ({ ...p, topic: `w-${p.topic}` })),
    ];
    const timings = partitionTimings(all, null);
    for (const p of all)
      assert.deepEqual(timings.get(p.topic, p.partition), partitionTiming(p), `${p.topic}-${p.partition}`);
    assert.equal(timings.get('bare', 3)?.basis, null);
    assert.equal(timings.get('bare', 2), undefined, 'a partition the scrape did not list');
    assert.equal([...timings.values()].length, all.length);
  });

  it('summarises over the replicating partitions only: well below topic2 stale gauge', () => {
    const summary = summariseTimings(partitionTimings(partitions, null).values());
    assert.equal(summary.basis, 'windowed');
    assert.equal(summary.replicating, 22);
    assert.equal(summary.idle, 1);
    assert.equal(summary.unknown, 0);
    const active = partitions.filter((p) => p.topic !== 'topic2');
    assert.equal(summary.replicationLatencyMs, Math.max(...active.map((p) => p.replicationLatencyMsMax!)));
    assert.equal(summary.recordAgeMs, Math.max(...active.map((p) => p.recordAgeMsMax!)));
    assert.ok(summary.replicationLatencyMs! < 5000, `latency ${summary.replicationLatencyMs}`);
    assert.ok(summary.replicationLatencyMs! < topic2(partitions).replicationLatencyMs! / 5);
  });

  it('says idle when no partition replicated in the window', () => {
    const allIdle = partitions.map((p) => ({
      ...p,
      recordAgeMsMax: undefined,
      recordAgeMsAvg: undefined,
      replicationLatencyMsMax: undefined,
      replicationLatencyMsAvg: undefined,
    }));
    const summary = summariseTimings(partitionTimings(allIdle, null).values());
    assert.deepEqual(summary, {
      recordAgeMs: null,
      replicationLatencyMs: null,
      basis: 'windowed',
      replicating: 0,
      idle: 23,
      unknown: 0,
    });
  });

  it('uses the windowed average when an exporter exports only -avg', () => {
    const avgOnly = LAB_PAGE.split('\n')
      .filter((line) => !/(record_age_ms|replication_latency_ms)_max\b/.test(line))
      .join('\n');
    const t1 = partitionsOf(avgOnly).find((p) => p.topic === 'topic1')!;
    const timing = partitionTiming(t1);
    assert.equal(timing.idle, false);
    assert.equal(timing.replicationLatencyMs, t1.replicationLatencyMsAvg);
    assert.equal(partitionTiming(topic2(partitionsOf(avgOnly))).idle, true);
  });
});

describe('exporters without windowed attributes: the last-value gauges, said so', () => {
  const partitions = partitionsOf(LAB_PAGE_WITHOUT_WINDOWS);

  it('on a first scrape, every partition counts with its last value and idleness unknown', () => {
    assert.ok(partitions.every((p) => p.windowed === undefined));
    const summary = summariseTimings(partitionTimings(partitions, null).values());
    assert.equal(summary.basis, 'last-value');
    assert.equal(summary.unknown, 23);
    // the stale topic2 gauge is all there is: reported, and flagged by the basis
    assert.equal(summary.replicationLatencyMs, topic2(partitions).replicationLatencyMs);
  });

  it('finds every partition by topic and number whatever the order of the scrape, the previous one too', () => {
    // The same partitions listed backwards (topics and partitions in the other order), both scrapes.
    const reversed = [...partitions].reverse();
    const previous = partitions.map((p) =>
      p.topic === 'topic2' ? p : { ...p, recordCount: (p.recordCount ?? 0) - 1 },
    );
    const inOrder = partitionTimings(partitions, previous);
    const backwards = partitionTimings(reversed, [...previous].reverse());
    for (const p of partitions)
      assert.deepEqual(backwards.get(p.topic, p.partition), inOrder.get(p.topic, p.partition));
    assert.equal([...backwards.values()].length, partitions.length);
    assert.equal(backwards.get('topic1', 999), undefined);
    assert.equal(backwards.get('no-such-topic', 0), undefined);
    assert.deepEqual(backwards.summary(), summariseTimings(inOrder.values()));
  });

  it('with a previous scrape, a partition whose record count did not move is idle', () => {
    const previous = partitions.map((p) =>
      p.topic === 'topic2' ? p : { ...p, recordCount: (p.recordCount ?? 0) - 1 },
    );
    const timings = partitionTimings(partitions, previous);
    assert.equal(timings.get('topic2', 0)?.idle, true);
    assert.equal(timings.get('topic1', 0)?.idle, false);
    const summary = summariseTimings(timings.values());
    assert.equal(summary.basis, 'last-value');
    assert.equal(summary.replicating, 22);
    assert.equal(summary.idle, 1);
    const active = partitions.filter((p) => p.topic !== 'topic2');
    assert.equal(summary.replicationLatencyMs, Math.max(...active.map((p) => p.replicationLatencyMs!)));
  });

  it('reads the hand-written old exporter fixture (latency gauge only) as last-value', () => {
    const old = partitionsOf(fixture('metrics-old-exporter.txt'));
    const summary = summariseTimings(partitionTimings(old, null).values());
    assert.equal(summary.basis, 'last-value');
    assert.equal(summary.replicationLatencyMs, 75);
  });

  it('has no basis without any age or latency metric', () => {
    const summary = summariseTimings([partitionTiming({ topic: 't', partition: 0, recordCount: 5 })]);
    assert.equal(summary.basis, null);
    assert.equal(summary.replicationLatencyMs, null);
  });
});

describe('the common exporter configurations export the windowed attributes', () => {
  it('Strimzi-style rules: windowed, the NaN partition idle', () => {
    const partitions = partitionsOf(fixture('metrics-strimzi.txt'));
    const summary = summariseTimings(partitionTimings(partitions, null).values());
    assert.equal(summary.basis, 'windowed');
    assert.equal(summary.idle, 1);
    assert.equal(partitionTiming(partitions.find((p) => p.partition === 2)!).idle, true);
  });

  it('the default export (no rules, case kept): windowed', () => {
    const partitions = partitionsOf(fixture('metrics-default-export.txt'));
    assert.deepEqual(
      partitions.map((p) => [p.partition, partitionTiming(p).idle, partitionTiming(p).replicationLatencyMs]),
      [
        [0, false, 41],
        [1, true, null],
      ],
    );
  });
});

describe('probe markers', () => {
  it('round-trips a marker with a recognisable key and the send time as record timestamp', () => {
    const record = encodeProbeMarker({ run: 'ab12cd34', seq: 7, sentAtMs: 1764105600123 });
    assert.equal(record.key.toString(), PROBE_KEY);
    assert.equal(record.timestampMs, 1764105600123);
    assert.deepEqual(JSON.parse(record.value.toString()), {
      probe: 'mirrorwatch',
      run: 'ab12cd34',
      seq: 7,
      sentAtMs: 1764105600123,
    });
    assert.deepEqual(decodeProbeMarker(record.key, record.value), {
      run: 'ab12cd34',
      seq: 7,
      sentAtMs: 1764105600123,
    });
  });

  it('ignores other records: other keys, non-JSON, missing fields', () => {
    const key = Buffer.from(PROBE_KEY);
    assert.equal(decodeProbeMarker(Buffer.from('k'), Buffer.from('{"probe":"mirrorwatch"}')), null);
    assert.equal(decodeProbeMarker(key, Buffer.from('12345')), null);
    assert.equal(decodeProbeMarker(key, Buffer.from('{"probe":"mirrorwatch","run":"a","seq":"1"}')), null);
    assert.equal(decodeProbeMarker(key, null), null);
    assert.equal(decodeProbeMarker(null, Buffer.from('x')), null);
  });
});

describe('a partition label no topic has', () => {
  it('is left out, and costs nothing sized by it (the number comes from the metrics page)', () => {
    const page = [
      'kafka_connect_mirror_mirrorsourceconnector_record_age_ms_max{source="old",target="new",topic="t",partition="0",} 10.0',
      'kafka_connect_mirror_mirrorsourceconnector_record_age_ms_max{source="old",target="new",topic="t",partition="3000000000",} 1.0',
    ].join('\n');
    const partitions = partitionsOf(page);
    assert.deepEqual(
      partitions.map((p) => p.partition),
      [0, 3_000_000_000],
    );
    const t = partitionTimings(partitions, null).topic('t');
    assert.equal(t?.flags.length, 1);
    assert.equal(t?.recordAge(0), 10);
  });
});
