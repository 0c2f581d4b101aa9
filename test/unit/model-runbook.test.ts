import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConvergenceStatus } from '../../source/model/convergence.js';
import {
  flowName,
  movingGroups,
  type RunbookSignals,
  readyToStopMirror,
  runbook,
} from '../../source/model/runbook.js';
import { configDrift } from '../../source/monitor/read-topic-configs.js';
import type { GroupInfo, Snapshot } from '../../source/monitor/snapshot.js';
import { mapPartitions, NO_TRANSLATIONS, partitionsOf, translationsOf } from '../helpers/group-partitions.js';
import { mirrorTopic, snapshot } from '../helpers/snapshot.js';

const NOW = 1_000_000;
const OPTIONS = { maxBehindSeconds: 5, quietSeconds: 30 };

function group(
  cluster: 'source' | 'target',
  name: string,
  committed: number,
  members = 0,
  translated: number | null = null,
): GroupInfo {
  return {
    cluster,
    group: name,
    state: members > 0 ? 'Stable' : 'Empty',
    protocolType: 'consumer',
    protocol: 'classic',
    members,
    partitions: partitionsOf([
      {
        topic: 'orders',
        partition: 0,
        committed,
        logEnd: 10,
        belowLogStart: false,
        lag: 10 - committed,
        negative: false,
        owner: null,
      },
    ]),
    totalLag: 10 - committed,
    translations:
      translated === null
        ? NO_TRANSLATIONS
        : translationsOf([
            {
              topic: 'orders',
              partition: 0,
              upstreamOffset: translated,
              downstreamOffset: translated,
              recordTimestampMs: 1,
            },
          ]),
  };
}

/** The migration at its end: everything copied, quiet, drained, synced, consumers on the target, mirror stopped. */
function finished(): { s: Snapshot; signals: RunbookSignals } {
  const s = snapshot({ takenAtMs: NOW });
  s.mirror.topics = [mirrorTopic('orders', 0)];
  s.source = { ...s.source, groups: [group('source', 'billing', 10)] };
  s.target = { ...s.target, groups: [group('target', 'billing', 10, 1, 10)] };
  s.connectors = s.connectors.map((c) => ({ ...c, state: 'STOPPED', tasks: [] }));
  const signals: RunbookSignals = {
    nowMs: NOW,
    watchedSinceMs: NOW - 120_000,
    lastWriteMs: new Map([['orders', NOW - 60_000]]),
    mm2BehindSeconds: 0,
    targetGroupStatus: new Map<string, ConvergenceStatus>([['billing', 'OK']]),
    configDrift: [],
  };
  return { s, signals };
}

function statuses(book: ReturnType<typeof runbook>): string[] {
  return book.steps.map((step) => `${step.number} ${step.id} ${step.status}`);
}

describe('runbook', () => {
  it('is ready when every step is done, in order', () => {
    const { s, signals } = finished();
    const book = runbook(s, signals, OPTIONS);
    assert.equal(book.ready, true, JSON.stringify(book.steps, null, 1));
    assert.equal(book.current, null);
    assert.deepEqual(
      book.steps.map((step) => step.id),
      [
        'topics-present',
        'mm2-caught-up',
        'producers-stopped',
        'groups-drained',
        'offsets-synced',
        'groups-on-target',
        'mirror-stopped',
      ],
    );
    assert.equal(book.steps[6]?.reason, '1 connector(s) STOPPED');
  });

  it('names the first step not done and leaves the later ones waiting, with their own check kept', () => {
    const { s, signals } = finished();
    s.mirror.topics = [mirrorTopic('orders', 4)];
    const book = runbook(s, { ...signals, mm2BehindSeconds: 12 }, OPTIONS);
    assert.equal(book.ready, false);
    assert.equal(book.current?.id, 'mm2-caught-up');
    assert.equal(book.current?.reason, 'MM2 lag 4 record(s), 12 s behind: orders 4');
    assert.deepEqual(book.current?.blockers, ['orders']);
    assert.deepEqual(statuses(book), [
      '1 topics-present done',
      '2 mm2-caught-up not-done',
      '3 producers-stopped waiting',
      '4 groups-drained waiting',
      '5 offsets-synced waiting',
      '6 groups-on-target waiting',
      '7 mirror-stopped waiting',
    ]);
    assert.ok(
      book.steps.slice(2).every((step) => step.met),
      'later checks still evaluated',
    );
  });

  it('step 1: missing topics, partition counts and configs not synced', () => {
    const { s, signals } = finished();
    s.mirror.topics = [mirrorTopic('orders', 0), mirrorTopic('payments', null, { state: 'missing' })];
    assert.equal(runbook(s, signals, OPTIONS).current?.reason, '1 topic(s) missing on the target: payments');
    s.mirror.refusedTopics = new Map([['payments', 'Unknown topic config name: message.format.version']]);
    assert.equal(
      runbook(s, signals, OPTIONS).current?.reason,
      '1 topic(s) missing on the target: payments (the target refuses it: Unknown topic config name: message.format.version)',
    );
    // At scale (a dynamic broker config the target refuses keeps every topic missing), the reason once.
    const many = Array.from({ length: 40 }, (_, i) => `t${i}`);
    s.mirror.topics = many.map((t) => mirrorTopic(t, null, { state: 'missing' }));
    s.mirror.refusedTopics = new Map(
      many.map((t) => [t, 'Unknown topic config name: message.downconversion.enable']),
    );
    assert.equal(
      runbook(s, signals, OPTIONS).current?.reason,
      '40 topic(s) missing on the target: t0, t1, t2 and 37 more; ' +
        '40 of them refused by the target (t0, t1, t2 and 37 more): Unknown topic config name: message.downconversion.enable',
    );
    s.mirror.topics = [mirrorTopic('orders', 0)];
    const drift = runbook(
      s,
      {
        ...signals,
        configDrift: [{ topic: 'orders', config: 'retention.ms', source: '1000', target: null }],
      },
      OPTIONS,
    );
    assert.equal(drift.current?.id, 'topics-present');
    assert.equal(drift.current?.reason, 'config not synced: orders retention.ms=1000 (target default)');
    const unknown = runbook(s, { ...signals, configDrift: null }, OPTIONS);
    assert.equal(unknown.current?.reason, '1 topic(s) present; configs not compared yet');
  });

  it('step 2: lag 0 but too many seconds behind, and an unknown position', () => {
    const { s, signals } = finished();
    const behind = runbook(s, { ...signals, mm2BehindSeconds: 9 }, OPTIONS);
    assert.equal(behind.current?.id, 'mm2-caught-up');
    assert.equal(behind.current?.reason, 'MM2 lag 0 but 9 s behind (at most 5 s)');
    assert.equal(runbook(s, { ...signals, mm2BehindSeconds: 4 }, OPTIONS).ready, true);
    s.mirror.topics = [mirrorTopic('orders', null)];
    assert.equal(runbook(s, signals, OPTIONS).current?.reason, "MM2's position unknown for orders");
  });

  it('step 3: a recent write, a watch too short, and quiet long enough', () => {
    const { s, signals } = finished();
    const written = runbook(s, { ...signals, lastWriteMs: new Map([['orders', NOW - 3_000]]) }, OPTIONS);
    assert.equal(written.current?.id, 'producers-stopped');
    assert.equal(written.current?.reason, 'written 3 s ago (need 30 s quiet): orders');
    const short = runbook(s, { ...signals, watchedSinceMs: NOW - 8_000, lastWriteMs: new Map() }, OPTIONS);
    assert.equal(short.current?.reason, 'no new record for 8 s (watched that long; need 30 s)');
    const unwatched = runbook(s, { ...signals, watchedSinceMs: null, lastWriteMs: new Map() }, OPTIONS);
    assert.equal(unwatched.current?.reason, 'the source log ends are not watched yet');
    const quiet = runbook(s, { ...signals, watchedSinceMs: NOW - 31_000, lastWriteMs: new Map() }, OPTIONS);
    assert.equal(quiet.steps[2]?.done, true, quiet.steps[2]?.reason);
  });

  it('step 3: a topic with no record at all is quiet, without a newest write to date it', () => {
    const { s, signals } = finished();
    const empty = mirrorTopic('never-written', 0);
    empty.partitions = empty.partitions.map((p) => ({ ...p, sourceEarliest: 0, sourceLatest: 0 }));
    s.mirror.topics = [mirrorTopic('orders', 0), empty];
    const watchedBriefly = { ...signals, watchedSinceMs: NOW - 4_000 };
    assert.equal(runbook(s, watchedBriefly, OPTIONS).steps[2]?.done, true);
    // once it holds a record, it needs its newest write (or a watch long enough) like any other
    empty.partitions = empty.partitions.map((p) => ({ ...p, sourceLatest: 1 }));
    assert.equal(
      runbook(s, watchedBriefly, OPTIONS).steps[2]?.reason,
      'no new record for 4 s (watched that long; need 30 s)',
    );
  });

  it('steps 4 and 5: source lag, then checkpoint and sync, with the translation gap', () => {
    const { s, signals } = finished();
    s.source = { ...s.source, groups: [group('source', 'billing', 7)] };
    const lag = runbook(s, signals, OPTIONS);
    assert.equal(lag.current?.id, 'groups-drained');
    assert.equal(lag.current?.reason, 'lag 3 on the source: billing 3');
    // Records the group had not read were deleted: its consumers reset, and the step says so.
    const [billing] = s.source.groups as [GroupInfo];
    s.source = {
      ...s.source,
      groups: [
        { ...billing, partitions: mapPartitions(billing.partitions, (p) => ({ ...p, belowLogStart: true })) },
      ],
    };
    assert.equal(
      runbook(s, signals, OPTIONS).current?.reason,
      'lag 3 on the source: billing 3; committed below the log start (records deleted unread, consumers reset per auto.offset.reset): billing (1 partition(s))',
    );

    s.source = { ...s.source, groups: [group('source', 'billing', 10)] };
    s.target = { ...s.target, groups: [group('target', 'billing', 7, 0, 7)] };
    const stale = runbook(s, signals, OPTIONS);
    assert.equal(stale.current?.id, 'offsets-synced');
    assert.equal(
      stale.current?.reason,
      'no checkpoint of the current source offset: billing (1 partition(s))',
    );

    // checkpointed at 10 but the target group still at 4: not synced
    const notSynced = group('target', 'billing', 4, 0, 10);
    s.target = { ...s.target, groups: [notSynced] };
    assert.equal(
      runbook(s, signals, OPTIONS).current?.reason,
      'checkpointed, not yet synced to the target group: billing (1 partition(s))',
    );

    // translated 10 → 6 (offset.lag.max granularity): synced, but a move re-reads 4 records
    const coarse = group('target', 'billing', 6, 1, null);
    coarse.translations = translationsOf([
      { topic: 'orders', partition: 0, upstreamOffset: 10, downstreamOffset: 6, recordTimestampMs: 1 },
    ]);
    s.target = { ...s.target, groups: [coarse] };
    const gap = runbook(s, signals, OPTIONS);
    assert.equal(gap.steps[4]?.done, true);
    assert.equal(
      gap.steps[4]?.reason,
      '1 group(s) checkpointed and synced; moved now they re-read 4 record(s) (translation gap, offset.lag.max): billing 4',
    );
  });

  it('step 6: a group not started, not evaluated, or not OK on the target', () => {
    const { s, signals } = finished();
    s.target = { ...s.target, groups: [group('target', 'billing', 10, 0, 10)] };
    assert.equal(
      runbook(s, signals, OPTIONS).current?.reason,
      'on the target: billing not started (no member)',
    );
    s.target = { ...s.target, groups: [group('target', 'billing', 10, 2, 10)] };
    assert.equal(
      runbook(s, { ...signals, targetGroupStatus: new Map() }, OPTIONS).current?.reason,
      'on the target: billing not evaluated yet',
    );
    const stalled = runbook(s, { ...signals, targetGroupStatus: new Map([['billing', 'STALL']]) }, OPTIONS);
    assert.equal(stalled.current?.reason, 'on the target: billing STALL');
    assert.equal(readyToStopMirror(stalled), false);
  });

  it('step 7: connectors running, then stopped; stopping is safe only when 1-6 are done', () => {
    const { s, signals } = finished();
    s.connectors = s.connectors.map((c) => ({ ...c, state: 'RUNNING' }));
    const running = runbook(s, signals, OPTIONS);
    assert.equal(running.current?.id, 'mirror-stopped');
    assert.equal(running.current?.reason, '1 of 1 connector(s) not stopped (1 RUNNING)');
    assert.equal(readyToStopMirror(running), true);
    s.connectors = s.connectors.map((c) => ({ ...c, state: 'PAUSED' }));
    assert.equal(runbook(s, signals, OPTIONS).ready, true);
  });

  it('moves only the groups asked for', () => {
    const { s, signals } = finished();
    s.source = { ...s.source, groups: [group('source', 'billing', 10), group('source', 'audit', 2)] };
    assert.deepEqual(movingGroups(s), ['billing', 'audit']);
    assert.equal(runbook(s, signals, OPTIONS).current?.id, 'groups-drained');
    assert.equal(runbook(s, signals, { ...OPTIONS, groups: ['billing'] }).ready, true);
  });

  it('names the flow as the operator types it', () => {
    assert.equal(flowName(snapshot()), 'old->new');
  });
});

describe('config drift', () => {
  it('reports source topic configs the target copy lacks, and skips what MM2 never syncs', () => {
    const source = new Map([
      [
        'orders',
        new Map([
          ['cleanup.policy', 'compact'],
          ['retention.ms', '1000'],
          ['min.insync.replicas', '2'],
        ]),
      ],
    ]);
    const target = new Map([['old.orders', new Map([['cleanup.policy', 'compact']])]]);
    assert.deepEqual(configDrift([{ source: 'orders', target: 'old.orders' }], source, target), [
      { topic: 'orders', config: 'retention.ms', source: '1000', target: null },
    ]);
  });

  it('skips a config the target does not know (removed in its Kafka): it cannot be synced', () => {
    const source = new Map([
      [
        'orders',
        new Map([
          ['message.format.version', '2.8'],
          ['retention.ms', '1000'],
        ]),
      ],
    ]);
    const target = new Map([['orders', new Map<string, string>()]]);
    const known = new Map([['orders', new Set(['retention.ms', 'cleanup.policy'])]]);
    assert.deepEqual(configDrift([{ source: 'orders', target: 'orders' }], source, target, known), [
      { topic: 'orders', config: 'retention.ms', source: '1000', target: null },
    ]);
  });
});
