/**
 * Live latency against the lab: MM2's windowed metrics, as `status` reports them, agree with the
 * end-to-end probe, and idle partitions do not raise them although their last-value gauges at the
 * metrics endpoint keep the age of their last record. topic2 (seeded once) is idle; its gauge holds
 * the age of the seeding until MM2's tasks restart (then it reads 0.0), so the test also makes an idle
 * partition whose gauge is large by construction: one record stamped 2 minutes ago, then nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Producer } from 'kafkajs';
import { probeFor } from '../../source/actions/probe.js';
import { resolveConnection } from '../../source/config/connection.js';
import { createKafka } from '../../source/kafka/client.js';
import { findLab } from '../../source/lab/lab-status.js';
import { PROBE_KEY } from '../../source/monitor/probe.js';
import { eventually, SHARED_LAB_DIR, sharedLab } from '../helpers/lab.js';
import { kcat, mirrorwatch, type RunResult } from '../helpers/run.js';

const LAB = ['--lab', SHARED_LAB_DIR];
const PROBE_TOPIC = 'topic1';
const STALE_TOPIC = 'latency-stale';
const STALE_AGE_MS = 120_000;

/** The value of one MM2 source-connector attribute for one topic partition 0, NaN kept as NaN. */
function gauge(page: string, attribute: string, topic: string): number | undefined {
  const pattern = new RegExp(
    `^kafka_connect_mirror_mirrorsourceconnector_${attribute}\\{([^}]*)\\} (\\S+)$`,
    'gm',
  );
  for (const m of page.matchAll(pattern)) {
    if (m[1]!.includes(`topic="${topic}"`) && m[1]!.includes('partition="0"')) return Number(m[2]);
  }
  return undefined;
}

async function scrape(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  assert.equal(response.status, 200);
  return response.text();
}

/** A non-zero exit with one `mirrorwatch: ` line and no stack. */
function oneLineError(result: RunResult, code: number, pattern: RegExp): void {
  assert.equal(result.code, code, `exit code; stderr: ${result.stderr}`);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line: ${result.stderr}`);
  assert.match(lines[0]!, /^mirrorwatch: /);
  assert.match(lines[0]!, pattern);
}

interface StatusJson {
  replication: {
    latencyMs: number | null;
    recordAgeMs: number | null;
    timing: { basis: string; replicatingPartitions: number; idlePartitions: number } | null;
  };
  probe: { topic: string; targetTopic: string; lastLatencyMs: number | null; pending: boolean } | null;
}

describe('live latency: MM2 windowed metrics against the end-to-end probe', () => {
  let metricsUrl = '';
  let producer: Producer | null = null;
  let traffic: NodeJS.Timeout | null = null;

  before(async () => {
    const lab = await sharedLab();
    metricsUrl = lab.metrics.url;
    if (!lab.traffic.running) {
      // The shared test lab runs without --traffic: write 5 records/s to topic1 and apache-logs.
      producer = createKafka({ name: 'source', brokers: [lab.source.bootstrap] }, 'latency-test').producer();
      await producer.connect();
      let n = 0;
      traffic = setInterval(() => {
        n++;
        void producer
          ?.send({
            topic: n % 2 === 0 ? 'topic1' : 'apache-logs',
            messages: [{ key: `k${n % 15}`, value: `latency-test ${n}` }],
          })
          .catch(() => {});
      }, 200);
    }
    const kafka = createKafka({ name: 'source', brokers: [lab.source.bootstrap] }, 'latency-test');
    const admin = kafka.admin();
    await admin.connect();
    try {
      if (!(await admin.listTopics()).includes(STALE_TOPIC))
        await admin.createTopics({
          topics: [{ topic: STALE_TOPIC, numPartitions: 1 }],
          waitForLeaders: true,
        });
    } finally {
      await admin.disconnect();
    }
    await eventually(
      `${STALE_TOPIC} mirrored`,
      async () =>
        (await kcat(['-L', '-b', lab.target.bootstrap, '-t', STALE_TOPIC])).stdout.includes('partitions'),
      60_000,
    );
    const once = kafka.producer();
    await once.connect();
    await once.send({
      topic: STALE_TOPIC,
      messages: [{ value: 'stale', timestamp: String(Date.now() - STALE_AGE_MS) }],
    });
    await once.disconnect();
    // MM2's windows are 2 samples of 30 s: wait until the stale record and topic2's seeding have left
    // their windows (NaN) while the traffic topic has records in its own.
    await eventually(
      'idle partitions out of the window while topic1 replicates',
      async () => {
        const page = await scrape(metricsUrl);
        const stale = gauge(page, 'replication_latency_ms', STALE_TOPIC) ?? 0;
        const idle = ['topic2', STALE_TOPIC].map((t) => gauge(page, 'replication_latency_ms_max', t));
        const t1 = gauge(page, 'replication_latency_ms_max', 'topic1');
        return (
          stale >= STALE_AGE_MS &&
          idle.every((v) => v !== undefined && Number.isNaN(v)) &&
          t1 !== undefined &&
          Number.isFinite(t1)
        );
      },
      240_000,
      2000,
    );
  });

  after(async () => {
    if (traffic) clearInterval(traffic);
    await producer?.disconnect();
  });

  it('status reports latency and record age that agree with the probe; idle partitions (topic2, a stale one) do not raise them', async () => {
    const lab = await sharedLab();
    // The target partition's end before the probe, as kcat sees it (-1: the latest offset).
    const end = await kcat(['-Q', '-b', lab.target.bootstrap, '-t', `${PROBE_TOPIC}:0:-1`], 60_000);
    const endOffset = Number(/offset (\d+)/.exec(end.stdout)?.[1]);
    assert.ok(Number.isInteger(endOffset), `kcat -Q: ${end.stdout} ${end.stderr}`);
    const startedMs = Date.now();
    const result = await mirrorwatch(['status', '--json', '--probe', PROBE_TOPIC, ...LAB], {
      timeoutMs: 60_000,
    });
    assert.ok(result.code === 0 || result.code === 1, `exit ${result.code}: ${result.stderr}`);
    const doc = JSON.parse(result.stdout) as StatusJson;
    const page = await scrape(metricsUrl);

    // Last-value gauges keep the age of the last record; the windowed max of those partitions is NaN.
    const staleLatency = gauge(page, 'replication_latency_ms', STALE_TOPIC)!;
    const staleAge = gauge(page, 'record_age_ms', STALE_TOPIC)!;
    assert.ok(staleLatency >= STALE_AGE_MS, `${STALE_TOPIC} last-value latency ${staleLatency} ms`);
    assert.ok(staleAge >= STALE_AGE_MS, `${STALE_TOPIC} last-value record age ${staleAge} ms`);
    for (const idle of ['topic2', STALE_TOPIC])
      assert.ok(Number.isNaN(gauge(page, 'replication_latency_ms_max', idle)), `${idle} idle in the window`);
    const topic2Gauge = gauge(page, 'replication_latency_ms', 'topic2');

    const { latencyMs, recordAgeMs, timing } = doc.replication;
    assert.equal(timing?.basis, 'windowed');
    assert.ok((timing?.idlePartitions ?? 0) >= 2, `topic2 and ${STALE_TOPIC} counted idle`);
    assert.ok((timing?.replicatingPartitions ?? 0) >= 1, 'traffic partitions counted');
    assert.ok(latencyMs !== null && recordAgeMs !== null, JSON.stringify(doc.replication));
    // far below the stale gauges (what the console used to show as the max)
    assert.ok(
      latencyMs < staleLatency / 20,
      `latency ${latencyMs} ms vs ${STALE_TOPIC} gauge ${staleLatency} ms (topic2 gauge ${topic2Gauge} ms)`,
    );
    assert.ok(
      recordAgeMs < staleAge / 20,
      `record age ${recordAgeMs} ms vs ${STALE_TOPIC} gauge ${staleAge} ms`,
    );

    const probe = doc.probe;
    assert.ok(probe, 'probe in status --json');
    assert.equal(probe.topic, PROBE_TOPIC);
    assert.equal(probe.targetTopic, PROBE_TOPIC);
    assert.equal(probe.pending, false, JSON.stringify(probe));
    assert.ok(probe.lastLatencyMs !== null && probe.lastLatencyMs >= 0);

    // Same order of magnitude: both a few seconds at most, and within a factor 10 of each other
    // (floored at 100 ms). MM2's figure is a max over 60 s and every replicating partition, the probe
    // one record's trip plus its own produce and fetch round trips: neither should be 10× the other
    // when the mirror is healthy, while topic2's stale gauge was seconds to minutes.
    for (const [name, v] of [
      ['latency', latencyMs],
      ['record age', recordAgeMs],
      ['probe', probe.lastLatencyMs],
    ] as const) {
      assert.ok(v < 5000, `${name} ${v} ms under 5 s`);
    }
    const ratio =
      Math.max(latencyMs, 100, probe.lastLatencyMs) / Math.max(Math.min(latencyMs, probe.lastLatencyMs), 100);
    assert.ok(ratio <= 10, `MM2 ${latencyMs} ms vs probe ${probe.lastLatencyMs} ms`);

    // The marker is on the target, as kcat reads it: key mirrorwatch-probe, sent during this run,
    // after the end offset taken before.
    let seen = '';
    await eventually(
      'the marker read back with kcat',
      async () => {
        const consumed = await kcat(
          [
            '-C',
            '-b',
            lab.target.bootstrap,
            '-t',
            PROBE_TOPIC,
            '-p',
            '0',
            // The newest records (the marker is among them): it is told apart by its key and send time.
            '-o',
            '-200',
            '-e',
            '-q',
            '-f',
            '%o\t%k\t%s\n',
          ],
          60_000,
        );
        seen = `exit ${consumed.code} ${consumed.stderr} ${consumed.stdout.slice(-300)}`;
        return consumed.stdout
          .split('\n')
          .map((line) => line.split('\t'))
          .filter(([offset, key]) => key === PROBE_KEY && Number(offset) >= endOffset)
          .map(([, , value]) => JSON.parse(value ?? '{}') as { sentAtMs: number })
          .some((m) => m.sentAtMs >= startedMs && m.sentAtMs <= Date.now());
      },
      30_000,
      2000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}: after offset ${endOffset}: ${seen}`);
    });
  });

  it('text status prints the latency line and the probe line', async () => {
    const result = await mirrorwatch(['status', '--probe', PROBE_TOPIC, ...LAB], { timeoutMs: 60_000 });
    assert.ok(result.code === 0 || result.code === 1, result.stderr);
    assert.match(
      result.stdout,
      /replication latency \d+ ms, record age \d+ ms \(max over MM2's metric window, \d+ partition\(s\) replicating, \d+ idle\)/,
    );
    assert.match(result.stdout, /probe topic1->topic1 partition 0: marker arrived in \d+ ms/);
  });

  it('the console probe loop keeps probing: a marker per interval, each timed', async () => {
    // The loop the console runs (poller.start() starts it), without a terminal.
    const probe = probeFor(resolveConnection({ lab: SHARED_LAB_DIR }, findLab), PROBE_TOPIC, 1000);
    probe.start();
    try {
      await eventually('three markers arrived', async () => probe.state().arrived >= 3, 30_000, 500);
    } finally {
      await probe.stop();
    }
    const state = probe.state();
    assert.equal(state.error, null);
    assert.ok(state.sent - state.arrived <= 1, `one marker in flight at most: ${JSON.stringify(state)}`);
    assert.ok(state.lastLatencyMs !== null && state.lastLatencyMs < 5000, JSON.stringify(state));
  });
});

describe('--probe: bad input', () => {
  it('is refused with --read-only, for status and the console', async () => {
    oneLineError(
      await mirrorwatch(['status', '--probe', PROBE_TOPIC, '--read-only', ...LAB]),
      3,
      /--probe writes marker records to the source cluster: not allowed with --read-only/,
    );
    oneLineError(
      await mirrorwatch(['--probe', PROBE_TOPIC, '--read-only', ...LAB]),
      3,
      /--probe writes marker records to the source cluster: not allowed with --read-only/,
    );
  });

  it('does not probe through an unreachable cluster: status says so and exits 2', async () => {
    const lab = await sharedLab();
    const result = await mirrorwatch(
      [
        'status',
        '--json',
        '--probe',
        PROBE_TOPIC,
        '--source',
        '127.0.0.1:1',
        '--target',
        lab.target.bootstrap,
      ],
      { timeoutMs: 60_000 },
    );
    assert.equal(result.code, 2, result.stderr);
    const doc = JSON.parse(result.stdout) as StatusJson & { probe: { error: string | null } };
    assert.equal(doc.probe?.error, 'not run: source cluster unreachable');
    assert.equal(doc.probe?.lastLatencyMs, null);
  });

  it('names an unknown probe topic in one line (exit 3) and leaves no topic behind', async () => {
    const lab = await sharedLab();
    oneLineError(
      await mirrorwatch(['status', '--probe', 'no-such-probe-topic', ...LAB], { timeoutMs: 60_000 }),
      3,
      /probe topic no-such-probe-topic does not exist on the source cluster/,
    );
    const listed = await kcat(['-L', '-b', lab.source.bootstrap, '-m', '10']);
    assert.doesNotMatch(listed.stdout, /no-such-probe-topic/);
  });
});
