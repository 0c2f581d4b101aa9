/**
 * Convergence on the real lab: consumer groups driven through commit patterns while records are
 * produced, each evaluated by `lag --evaluate N --json` (OK, WARN, STALL, STOP, REWIND, and seconds
 * behind of groups stopped at a measured time); MM2's trend with the mirror stopped under traffic and
 * after it resumes (`lab mirror stop|start`, with traffic of its own).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Admin, type Consumer, Kafka, logLevel, type Producer } from 'kafkajs';
import { connectionFrom } from '../../source/cli/connection-options.js';
import type { LabStatus } from '../../source/lab/lab.js';
import { evaluateConvergence, type MirrorEvaluation } from '../../source/model/convergence.js';
import { Poller } from '../../source/monitor/poller.js';
import { SHARED_LAB_DIR, sharedLab, uniqueValue } from '../helpers/lab.js';
import { kafkaTool, mirrorwatch } from '../helpers/run.js';

const LAB = ['--lab', SHARED_LAB_DIR];
const PARTITIONS = 3;
/** One record per partition every PRODUCE_EVERY_MS: 10 records a second per partition. */
const PRODUCE_EVERY_MS = 100;
/** How often the pattern helpers commit. */
const COMMIT_EVERY_MS = 200;
const EVALUATE_SECONDS = 20;
/** The source's fetch quota while MM2 drains its backlog. */
const DRAIN_BYTES_PER_SECOND = 500_000;

interface GroupDoc {
  cluster: string;
  group: string;
  status: string | null;
  lag: number | null;
  lagSeconds: number | null;
  trend: string | null;
  ratePerSecond: number | null;
  etaSeconds: number | null;
  partitions: Array<{
    topic: string;
    partition: number;
    status: string | null;
    lag: number | null;
    lagSeconds: number | null;
  }>;
}

interface Replication {
  totalLag: number | null;
  status: string | null;
  behindSeconds: number | null;
  trend: string | null;
  ratePerSecond: number | null;
  etaSeconds: number | null;
}

/** Records to every partition of `topic` at a steady rate until stopped. */
function steadyProducer(producer: Producer, topic: string): { stop: () => Promise<void> } {
  let stopping = false;
  const loop = (async () => {
    for (let n = 0; !stopping; n++) {
      const started = Date.now();
      await producer.send({
        topic,
        messages: Array.from({ length: PARTITIONS }, (_, partition) => ({ partition, value: `r${n}` })),
      });
      await sleep(Math.max(0, PRODUCE_EVERY_MS - (Date.now() - started)));
    }
  })();
  return {
    stop: async () => {
      stopping = true;
      await loop;
    },
  };
}

/** Clients on the source, and a new topic of PARTITIONS partitions to work on. */
async function connectWithTopic(bootstrap: string, topic: string) {
  const kafka = new Kafka({ brokers: [bootstrap], clientId: 'convergence-test', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  return { kafka, admin, producer };
}

async function logEnds(admin: Admin, topic: string): Promise<Map<number, number>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
}

/**
 * Commits offsets for a group without members (as kafka-consumer-groups --reset-offsets does), every
 * COMMIT_EVERY_MS, to `target(logEnd, partition, elapsedMs)`; a null target skips the commit.
 * `lastCommitMs` is when the log end of the last commit was read: the time the log end stood at the
 * offset committed (the commit request itself can take seconds on a loaded machine).
 */
function commitPattern(
  admin: Admin,
  topic: string,
  group: string,
  target: (logEnd: number, partition: number, elapsedMs: number) => number | null,
): { stop: () => Promise<void>; lastCommitMs: () => number } {
  let stopping = false;
  let last = 0;
  const started = Date.now();
  const loop = (async () => {
    while (!stopping) {
      const ends = await logEnds(admin, topic);
      const readMs = Date.now();
      const partitions = [...ends]
        .map(([partition, end]) => ({ partition, offset: target(end, partition, Date.now() - started) }))
        .filter((p): p is { partition: number; offset: number } => p.offset !== null)
        .map((p) => ({ partition: p.partition, offset: String(p.offset) }));
      if (partitions.length > 0) {
        await admin.setOffsets({ groupId: group, topic, partitions });
        last = readMs;
      }
      await sleep(COMMIT_EVERY_MS);
    }
  })();
  return {
    stop: async () => {
      stopping = true;
      await loop;
    },
    lastCommitMs: () => last,
  };
}

async function evaluateGroups(
  groups: string[],
  seconds: number,
): Promise<{ takenAtMs: number; groups: GroupDoc[] }> {
  const result = await mirrorwatch(
    [
      'lag',
      ...LAB,
      '--cluster',
      'source',
      '--evaluate',
      String(seconds),
      '--json',
      ...groups.flatMap((g) => ['--group', g]),
    ],
    { timeoutMs: (seconds + 60) * 1000 },
  );
  assert.ok(result.code === 0 || result.code === 1, `exit ${result.code}: ${result.stderr}`);
  const doc = JSON.parse(result.stdout) as { takenAt: string; groups: GroupDoc[] };
  const allOk = doc.groups.every((g) => g.status === 'OK');
  assert.equal(result.code, allOk ? 0 : 1, 'exit 0 exactly when every group is OK');
  return { takenAtMs: Date.parse(doc.takenAt), groups: doc.groups };
}

/**
 * `lab mirror stop|start`, until MM2's source connector is in the state asked for: on a loaded machine
 * Connect's REST API can answer after the lab's 5 s timeout while doing what was asked.
 */
async function mirrorAction(action: 'stop' | 'start'): Promise<void> {
  const wanted = action === 'stop' ? 'STOPPED' : 'RUNNING';
  for (let attempt = 0; attempt < 20; attempt++) {
    if (attempt % 5 === 0) await mirrorwatch(['lab', 'mirror', action, '--state-dir', SHARED_LAB_DIR]);
    const result = await mirrorwatch(['status', ...LAB, '--json']);
    const doc = JSON.parse(result.stdout || '{}') as {
      mirror?: { connectors: Array<{ name: string; state: string }> };
    };
    const source = doc.mirror?.connectors.find((c) => c.name.includes('MirrorSource'));
    if (source?.state === wanted) return;
    await sleep(2000);
  }
  assert.fail(`MM2's source connector did not reach ${wanted}`);
}

/**
 * A client quota on the source (Kafka's ConfigCommand, default client-id): every client's fetches at most
 * `bytesPerSecond`, MM2's replication consumer included, or null to lift it. It makes MM2's drain of a
 * backlog last long enough to be seen: unthrottled, CI's machine copied 120,000 records between two
 * readings 1 s apart.
 */
async function throttleSourceFetches(lab: LabStatus, bytesPerSecond: number | null): Promise<void> {
  const change =
    bytesPerSecond === null
      ? ['--delete-config', 'consumer_byte_rate']
      : ['--add-config', `consumer_byte_rate=${bytesPerSecond}`];
  const result = await kafkaTool(lab.kafkaLibDir, 'kafka.admin.ConfigCommand', [
    '--bootstrap-server',
    lab.source.bootstrap,
    '--alter',
    '--entity-type',
    'clients',
    '--entity-default',
    ...change,
  ]);
  // Lifting a quota that is not set fails; that is fine.
  if (bytesPerSecond !== null) assert.equal(result.code, 0, result.stderr);
}

async function replication(seconds: number): Promise<Replication> {
  const result = await mirrorwatch(['status', ...LAB, '--evaluate', String(seconds), '--json'], {
    timeoutMs: (seconds + 60) * 1000,
  });
  assert.ok(result.stdout.length > 0, result.stderr);
  return (JSON.parse(result.stdout) as { replication: Replication }).replication;
}

describe('convergence: consumer groups evaluated after Burrow rules', () => {
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let consumer: Consumer | null = null;
  const topic = uniqueValue('conv').replace(/[^a-zA-Z0-9-]/g, '-');

  before(async () => {
    const lab = await sharedLab();
    ({ kafka, admin, producer } = await connectWithTopic(lab.source.bootstrap, topic));
  });

  after(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    // Leave the lab as it was (MM2 keeps its copies on the target).
    await admin
      ?.deleteGroups(
        ['ok', 'warn', 'stall', 'stop', 'rewind', 'stopped-early', 'stopped-late'].map(
          (l) => `${topic}-${l}`,
        ),
      )
      .catch(() => {});
    await admin?.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin?.disconnect();
  });

  it('OK, WARN, STALL, STOP and REWIND from commit patterns; seconds behind of stopped groups match the measured time', async () => {
    const group = (label: string) => `${topic}-${label}`;
    const traffic = steadyProducer(producer, topic);
    try {
      await sleep(1000);
      const start = await logEnds(admin, topic);
      // The early-stopped group commits the log end for a while, then stops before the evaluation begins:
      // the history will not reach back to its offset, so its seconds behind come from a record timestamp.
      const early = commitPattern(admin, topic, group('stopped-early'), (end) => end);
      // STALL: offsets committed, then a live member that reads but never commits.
      await admin.setOffsets({
        groupId: group('stall'),
        topic,
        partitions: [...start].map(([partition, offset]) => ({ partition, offset: String(offset) })),
      });
      consumer = kafka.consumer({ groupId: group('stall'), sessionTimeout: 10_000, heartbeatInterval: 1000 });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: false });
      const joined = new Promise<void>((resolve) =>
        consumer?.on(consumer.events.GROUP_JOIN, () => resolve()),
      );
      await consumer.run({ autoCommit: false, eachMessage: async () => {} });
      await joined;
      await sleep(4000);
      await early.stop();
      const earlyStopMs = early.lastCommitMs();
      // STOP: committed once a little behind, never again, no members.
      await admin.setOffsets({
        groupId: group('stop'),
        topic,
        partitions: [...(await logEnds(admin, topic))].map(([partition, end]) => ({
          partition,
          offset: String(end - 5),
        })),
      });
      await sleep(8000);
      const rewound = new Set<number>();
      const patterns = {
        // keeping up: the log end, every 200 ms
        ok: commitPattern(admin, topic, group('ok'), (end) => end),
        // moving, at a quarter of the pace of the producer: lag rises at every commit
        warn: commitPattern(admin, topic, group('warn'), (end, p) => {
          const from = start.get(p) ?? 0;
          return from + Math.floor((end - from) / 4);
        }),
        // keeping up, then once back to offset 0 after 10 s (a replay), then no further commit
        rewind: commitPattern(admin, topic, group('rewind'), (end, p, elapsed) => {
          if (elapsed < 10_000) return end;
          if (rewound.has(p)) return null;
          rewound.add(p);
          return 0;
        }),
        // keeping up for 6 s into the evaluation, then stopped: dated from the log-end history
        late: commitPattern(admin, topic, group('stopped-late'), (end, _p, elapsed) =>
          elapsed < 6000 ? end : null,
        ),
      };
      const evaluation = await evaluateGroups(
        ['ok', 'warn', 'stall', 'stop', 'rewind', 'stopped-early', 'stopped-late'].map(group),
        EVALUATE_SECONDS,
      );
      for (const pattern of Object.values(patterns)) await pattern.stop();
      const byName = new Map(evaluation.groups.map((g) => [g.group.slice(topic.length + 1), g]));
      const expected: Record<string, string> = {
        ok: 'OK',
        warn: 'WARN',
        stall: 'STALL',
        stop: 'STOP',
        rewind: 'REWIND',
        'stopped-early': 'STOP',
        'stopped-late': 'STOP',
      };
      for (const [name, status] of Object.entries(expected)) {
        const g = byName.get(name);
        assert.ok(g, `group ${name} evaluated`);
        assert.equal(g.status, status, `${name}: ${JSON.stringify(g)}`);
        assert.equal(g.partitions.length, PARTITIONS);
        assert.equal(g.cluster, 'source');
      }
      // A group's status is its worst partition's: every partition of these patterns has the same.
      for (const name of ['warn', 'stall', 'stop', 'rewind'])
        for (const p of byName.get(name)?.partitions ?? [])
          assert.equal(p.status, expected[name], `${name} p${p.partition}`);
      assert.equal(byName.get('warn')?.trend, 'growing');
      assert.ok(
        (byName.get('warn')?.ratePerSecond ?? 0) > 10,
        'WARN lag grows at ~22/s (3 partitions x 10/s x 3/4)',
      );
      assert.equal(byName.get('stall')?.trend, 'growing');
      // Seconds behind of a group stopped at a measured time, against that time. The early one is dated by
      // the timestamp of the record at its offset, produced at most one produce interval after the log end
      // was read for its last commit (+0.9 s for scheduling on a loaded 2-core machine); the late one by interpolating the log-end history, which can be off
      // by up to one refresh interval (2 s) when the log end sat exactly at the offset at a reading.
      const early_ = byName.get('stopped-early') as GroupDoc;
      const earlyExpected = (evaluation.takenAtMs - earlyStopMs) / 1000;
      assert.ok(earlyExpected > 25, `stopped ${earlyExpected}s before the evaluation ended`);
      assert.ok(
        Math.abs((early_.lagSeconds ?? Number.NaN) - earlyExpected) <= 1,
        `stopped-early: ${early_.lagSeconds}s behind, stopped ${earlyExpected}s before`,
      );
      const late = byName.get('stopped-late') as GroupDoc;
      const lateExpected = (evaluation.takenAtMs - patterns.late.lastCommitMs()) / 1000;
      assert.ok(lateExpected > 10, `stopped ${lateExpected}s before the evaluation ended`);
      assert.ok(
        Math.abs((late.lagSeconds ?? Number.NaN) - lateExpected) <= 2.5,
        `stopped-late: ${late.lagSeconds}s behind, stopped ${lateExpected}s before`,
      );
      // Keeping up: caught up, within DEFAULT_CAUGHT_UP_SECONDS (its commits can take seconds to land on
      // a loaded machine, so its offset can be that old).
      assert.equal(byName.get('ok')?.trend, 'caught-up', JSON.stringify(byName.get('ok')));
      assert.ok((byName.get('ok')?.lagSeconds ?? 99) <= 10, `ok: ${byName.get('ok')?.lagSeconds}s behind`);
    } finally {
      await traffic.stop();
    }
  });
});

describe('convergence: MM2 stopped under traffic, then resumed', () => {
  let admin: Admin;
  let producer: Producer;
  const topic = uniqueValue('conv-mirror').replace(/[^a-zA-Z0-9-]/g, '-');

  let lab: LabStatus;

  before(async () => {
    lab = await sharedLab();
    ({ admin, producer } = await connectWithTopic(lab.source.bootstrap, topic));
  });

  after(async () => {
    if (lab) await throttleSourceFetches(lab, null);
    await mirrorAction('start');
    await producer?.disconnect();
    await admin?.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin?.disconnect();
  });

  it('growing while stopped, draining with an ETA after resume, then caught up', async (t) => {
    // Wait until MM2 mirrors the new topic, so the backlog below is lag on a known position.
    for (let i = 0; ; i++) {
      const result = await mirrorwatch(['status', ...LAB, '--json']);
      const doc = JSON.parse(result.stdout) as {
        replication: { partitions: Array<{ topic: string; position: number | null }> };
      };
      if (
        doc.replication.partitions.filter((p) => p.topic === topic && p.position !== null).length ===
        PARTITIONS
      )
        break;
      assert.ok(i < 30, 'MM2 started mirroring the new topic');
      await producer.send({
        topic,
        messages: Array.from({ length: PARTITIONS }, (_, partition) => ({ partition, value: 'x' })),
      });
      await sleep(2000);
    }
    await mirrorAction('stop');
    // Traffic of its own while the mirror is stopped: the lag grows whether or not the lab runs --traffic.
    const traffic = steadyProducer(producer, topic);
    const stopped = await replication(EVALUATE_SECONDS).finally(() => traffic.stop());
    assert.equal(stopped.trend, 'growing', JSON.stringify({ ...stopped, partitions: undefined }));
    assert.ok((stopped.ratePerSecond ?? 0) > 0);
    assert.equal(stopped.etaSeconds, null);
    assert.equal(stopped.status, 'STOP', 'no movement and the connector stopped');
    assert.ok((stopped.behindSeconds ?? 0) >= EVALUATE_SECONDS - 2, `behind ${stopped.behindSeconds}s`);
    // A backlog of about 13 MB, which MM2 copies under the source's fetch quota: the broker lets about ten
    // seconds' worth through at once (its quota window), then one fetch (1 MB a partition) every few
    // seconds. So readings land while it drains, whatever the machine.
    const value = Buffer.alloc(100, 'x');
    for (let batch = 0; batch < 12; batch++)
      await producer.send({
        topic,
        messages: Array.from({ length: 10_000 }, (_, i) => ({ partition: i % PARTITIONS, value })),
      });
    // A console-like poller (the engine the console runs, every second) watches the whole drain; the CLI's
    // `--evaluate` would start too late.
    const poller = new Poller({
      connection: connectionFrom({ lab: SHARED_LAB_DIR, json: false, debug: false, 'metrics-timeout': 15 }),
      intervalMs: 1000,
      recordTimestamps: true,
    });
    const seen: Array<MirrorEvaluation & { takenAtMs: number }> = [];
    poller.subscribe((snapshot) =>
      seen.push({ ...evaluateConvergence(snapshot).mirror, takenAtMs: snapshot.takenAtMs }),
    );
    poller.start();
    try {
      await throttleSourceFetches(lab, DRAIN_BYTES_PER_SECOND);
      await sleep(3000);
      await mirrorAction('start');
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline) {
        const drainedAt = seen.findIndex((e) => e.trend === 'draining');
        if (drainedAt >= 0 && seen.slice(drainedAt).some((e) => e.trend === 'caught-up')) break;
        await sleep(1000);
      }
    } finally {
      await poller.stop();
      await throttleSourceFetches(lab, null);
    }
    const summary = seen
      .map((e) => `${e.lag}:${e.trend}:${e.etaSeconds === null ? '-' : Math.round(e.etaSeconds)}`)
      .join(' ');
    t.diagnostic(`readings (lag:trend:eta): ${summary}`);
    const draining = seen.find((e) => e.trend === 'draining');
    assert.ok(draining, `a reading while MM2 drained: ${summary}`);
    assert.ok((draining.ratePerSecond ?? 0) < 0);
    assert.ok((draining.etaSeconds ?? 0) > 0 && Number.isFinite(draining.etaSeconds), `an ETA: ${summary}`);
    assert.ok((draining.lag ?? 0) > 0);
    const caughtUp = seen.slice(seen.indexOf(draining)).find((e) => e.trend === 'caught-up');
    assert.ok(caughtUp, `caught up after the drain: ${summary}`);
    // Under the lab's live traffic a reading rarely sees a lag of exactly 0: caught up is at most 10 s
    // behind (DEFAULT_CAUGHT_UP_SECONDS).
    assert.ok((caughtUp.lagSeconds ?? 99) <= 10, `behind ${caughtUp.lagSeconds}s`);
    // Its record lag is what is left of the backlog, younger than that: not above the drain's (a fixed
    // bound flaked on a loaded machine, 3,854 records left that were under 10 s old; and MM2 can drain
    // 120,000 records between two readings 1 s apart, so the draining reading may already hold only
    // what its position flush leaves, 156 records, and the caught-up one the same).
    assert.ok(
      (caughtUp.lag ?? 1e9) <= (draining.lag ?? 0),
      `lag ${caughtUp.lag} after ${draining.lag}: ${summary}`,
    );
    assert.equal(caughtUp.etaSeconds, 0);
    // And the CLI agrees once it is over. Its own 4-second evaluation may still see the last of the
    // backlog go (a fresh clone's run: 3,116 records at -14,430/s, ETA 0.2 s, just after the console's
    // caught-up reading): draining then, with an ETA, never steady or growing.
    let after = await replication(4);
    for (let i = 0; i < 5 && after.trend === 'draining'; i++) {
      assert.ok((after.ratePerSecond ?? 0) < 0 && Number.isFinite(after.etaSeconds), JSON.stringify(after));
      after = await replication(4);
    }
    assert.equal(
      after.trend,
      'caught-up',
      JSON.stringify({ ...after, partitions: undefined, worst: undefined }),
    );
    assert.equal(after.etaSeconds, 0);
  });
});
