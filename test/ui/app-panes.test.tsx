import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapPartitions } from '../helpers/group-partitions.js';
import { buildSnapshot, NOW } from './fixtures.js';
import { appOpener, ENTER, ESC, lineWith } from './harness.js';

const open = appOpener();

describe('header', () => {
  it('shows both clusters with alias, bootstrap, version, brokers and reachability', async () => {
    const app = await open();
    const source = lineWith(app, 'SOURCE A');
    assert.ok(source, app.frame());
    assert.match(source, /127\.0\.0\.1:19092 +Kafka 3\.9 +3 brokers +✓ reachable/);
    assert.match(lineWith(app, 'TARGET B') ?? '', /127\.0\.0\.1:29092 +Kafka 4\.x +1 broker +✓ reachable/);
  });

  it('names offline and under-replicated partitions of a cluster that still answers', async () => {
    const snapshot = buildSnapshot();
    const topics = snapshot.source.topics;
    const widest = topics.reduce((a, b) => (b.partitions.length > a.partitions.length ? b : a));
    assert.ok(widest.partitions.length > 2);
    const broken = {
      ...widest,
      partitions: widest.partitions.map((p, i) => (i === 0 ? { ...p, leader: -1 } : { ...p, isr: 2 })),
    };
    const app = await open({
      snapshot: {
        ...snapshot,
        source: { ...snapshot.source, topics: topics.map((t) => (t === widest ? broken : t)) },
      },
      columns: 140,
    });
    const line = lineWith(app, 'SOURCE A') ?? '';
    const expected = `✗ 1 offline, ${broken.partitions.length - 1} under-replicated +✓ reachable`;
    assert.match(line, new RegExp(expected));
    assert.doesNotMatch(lineWith(app, 'TARGET B') ?? '', /offline|under-replicated/);
  });

  it('shows a stale target as STALE with the age of its last success and the last error', async () => {
    const app = await open({ snapshot: buildSnapshot({ targetStale: true }), columns: 120 });
    const target = lineWith(app, 'TARGET B') ?? '';
    assert.match(target, /STALE 12s/);
    assert.match(target, /last error: Connection timeout to 127\.0\.0\.1:29092/);
  });

  it('summarises connectors and tasks, the other data sources, refresh time and interval', async () => {
    const app = await open();
    assert.match(
      lineWith(app, /^MM2 /) ?? '',
      /✓ 3 connectors RUNNING, tasks 4\/4 │ internal ✓ metrics ✓ connect ✓ │ lab/,
    );
    const refreshed = new Date(NOW);
    const clock = [refreshed.getHours(), refreshed.getMinutes(), refreshed.getSeconds()]
      .map((n) => String(n).padStart(2, '0'))
      .join(':');
    // 80 columns: six tabs leave room for the time and the interval
    assert.match(lineWith(app, '[1 Topics]') ?? '', new RegExp(` ${clock} every 5s$`));
    app.unmount();
    const wide = await open({ columns: 100 });
    assert.match(lineWith(wide, '[1 Topics]') ?? '', new RegExp(`refreshed ${clock} every 5s`));
  });

  it('says it waits for the first snapshot', async () => {
    const app = await open({ snapshot: null });
    assert.match(app.frame(), /waiting for the first snapshot/);
  });
});

describe('Topics pane', () => {
  it('names the mirror in the lag columns: MM1 when MirrorMaker 1 is the mirror', async () => {
    const snapshot = buildSnapshot();
    const mm2 = await open({ snapshot, columns: 120 });
    assert.match(mm2.frame(), /MM2 LAG/);
    mm2.unmount();
    snapshot.mirror = { ...snapshot.mirror, kind: 'mm1' };
    const app = await open({ snapshot, columns: 120 });
    assert.match(app.frame(), /MM1 LAG/);
    assert.doesNotMatch(app.frame(), /MM2 LAG/);
    await app.press('j', ENTER);
    assert.match(app.frame(), /MM1 POS +MM1 LAG/);
  });

  it('marks a topic with offline or under-replicated partitions beside its name, on either cluster', async () => {
    const snapshot = buildSnapshot();
    const dmm = snapshot.source.topics.find((t) => t.name === 'DmmAccess')!;
    dmm.partitions = dmm.partitions.map((p, i) => (i < 2 ? { ...p, leader: -1 } : p));
    const logs = snapshot.target.topics.find((t) => t.name === 'A.apache-logs')!;
    logs.partitions = logs.partitions.map((p, i) => (i === 0 ? { ...p, replicas: 3, isr: 2 } : p));
    const app = await open({ snapshot, columns: 120 });
    assert.match(lineWith(app, 'DmmAccess') ?? '', /DmmAccess ✗ 2 offline/);
    assert.match(lineWith(app, 'apache-logs') ?? '', /apache-logs ! 1 under-replicated/);
    assert.doesNotMatch(lineWith(app, ' topic1 ') ?? '', /offline|under-replicated/);
    await app.press('/', 'offline', ENTER);
    assert.match(app.frame(), /filter "offline" 1\/5/);
  });

  it('lists each source topic beside its mirror with partitions, records, lag and a readable state', async () => {
    const app = await open({ columns: 120 });
    assert.match(lineWith(app, ' topic2 ') ?? '', /✓ in sync +topic2 +A\.topic2 +1\/1 +20,000 +20,000 +0$/);
    assert.match(lineWith(app, 'DmmAccess') ?? '', /6\/6 +600 +600 +0$/);
    assert.match(
      lineWith(app, 'apache-logs') ?? '',
      /↻ mirroring +apache-logs +A\.apache-logs +15\/15 +900 +750 +150$/,
    );
    assert.match(
      lineWith(app, 'audit-events') ?? '',
      /✗ missing +audit-events +A\.audit-events +3\/- +90 +- +-$/,
    );
    assert.match(app.frame(), /5 topics · 3 ✓ in sync · 1 ↻ mirroring · 1 ✗ missing · MM2 lag 150/);
  });

  it('names a missing topic the target refuses, and why: in its row, on Enter and in Events (escaped)', async () => {
    const snapshot = buildSnapshot();
    snapshot.mirror.refusedTopics = new Map([
      ['A.audit-events', 'Unknown topic config name: message.format.version\u001b[2J'],
    ]);
    const app = await open({ snapshot, columns: 200 });
    assert.match(
      lineWith(app, 'audit-events') ?? '',
      /✗ missing +audit-events ✗ refused by the target +A\.audit-events/,
    );
    assert.match(app.frame(), /1 ✗ missing \(1 refused by the target\) · MM2 lag/);
    await app.press(ENTER);
    assert.match(
      app.frame(),
      /audit-events → A\.audit-events +✗ missing +the target refuses to create it: Unknown topic config name: message\.format\.version\\x1b\[2J +Esc back/,
    );
    assert.ok(!app.frame().includes('\u001b[2J'));
    await app.press(ESC, '5');
    assert.match(
      app.frame(),
      /WARN +topic A\.audit-events is missing: the target refuses to create it: Unknown topic config name: message\.format\.version\\x1b\[2J/,
    );
  });

  it('shows a partition mismatch as ≠ mismatch, and ASCII symbols when asked', async () => {
    const snapshot = buildSnapshot();
    const dmm = snapshot.mirror.topics.find((t) => t.source === 'DmmAccess')!;
    dmm.state = 'partition-mismatch';
    dmm.targetPartitions = 4;
    const app = await open({ snapshot });
    assert.match(lineWith(app, 'DmmAccess') ?? '', /≠ mismatch +DmmAccess +6\/4/);
    app.unmount();
    const ascii = await open({ snapshot, ascii: true });
    assert.match(lineWith(ascii, 'DmmAccess') ?? '', /# mismatch +DmmAccess/);
    assert.match(lineWith(ascii, 'audit-events') ?? '', /^> /, 'the selection, first row: the missing topic');
    assert.match(lineWith(ascii, 'topic1') ?? '', /^ {2}\+ in sync +topic1/);
  });

  it("reads a topic the flow's filters leave out as – not mirrored, in full, and never as missing", async () => {
    const snapshot = buildSnapshot();
    const audit = snapshot.mirror.topics.find((t) => t.source === 'audit-events')!;
    audit.state = 'not-mirrored';
    const app = await open({ snapshot });
    assert.match(lineWith(app, 'audit-events') ?? '', /– not mirrored +audit-events +3\/- /);
    assert.match(app.frame(), /5 topics · 3 ✓ in sync · 1 ↻ mirroring · 1 – not mirrored · MM2 lag/);
    assert.doesNotMatch(app.frame(), /missing/);
  });

  it('drills into the partitions of the selected topic and back with Esc', async () => {
    const app = await open({ columns: 120 });
    await app.press('j', ENTER);
    assert.match(
      app.frame(),
      /apache-logs → A\.apache-logs +↻ mirroring +partitions 15\/15 +offsets 900\/750 +lag 150/,
    );
    assert.match(
      app.frame(),
      /SRC FIRST +SRC END +TGT FIRST +TGT END +MM2 POS +MM2 LAG +REPLICATED +REC AGE +LATENCY/,
    );
    // partition 0 of apache-logs: 60 records, 10 not replicated, MM2 stored offset 49
    assert.match(
      app.lines().find((l) => /^› +0 /.test(l)) ?? '',
      /^› +0 +0 +60 +0 +50 +49 +10 +50 +180ms +40ms$/,
    );
    await app.press(ESC);
    assert.match(app.frame(), /SOURCE TOPIC/);
  });
});

describe('Groups pane', () => {
  it('shows each group on both clusters: state, lag, checkpoint age, and flags negative lag', async () => {
    const app = await open({ columns: 120 });
    await app.press('2');
    assert.match(
      lineWith(app, 'apache-logs-indexer') ?? '',
      /Stable +2 +450 +classic +Empty +0 +300 +classic +✓ 12s/,
    );
    assert.match(
      lineWith(app, 'dmm-access-reader') ?? '',
      /Empty +0 +0 +classic +Empty +0 +negative +classic +✓ 20s +negative/,
    );
  });

  it('drills into per-partition offsets on each side with the translation and checkpoint age', async () => {
    const app = await open({ columns: 120 });
    await app.press('2', 'j', ENTER);
    assert.match(app.frame(), /group dmm-access-reader +negative lag/);
    assert.match(
      app.frame(),
      /SRC COMMIT +SRC END +SRC LAG +TGT COMMIT +TGT END +TGT LAG +TRANSLATION +CKPT AGE/,
    );
    // partition 2 on the target: committed 101 beyond the log end 100, translated from upstream 100
    const p2 = app.lines().find((l) => /DmmAccess +2 /.test(l)) ?? '';
    assert.match(p2, /DmmAccess +2 +100 +100 +0 +101 +100 +negative +100 → 101 +✓ 20s/);
    await app.press(ESC);
    assert.match(app.frame(), /2 groups/);
  });
});

describe('Groups pane: a group committed below the log start', () => {
  /** Retention deleted records the indexer had not read on two source partitions. */
  function withDeletedRecords() {
    const snapshot = buildSnapshot();
    const source = snapshot.source.groups.find((g) => g.group === 'apache-logs-indexer')!;
    Object.assign(source, {
      partitions: mapPartitions(source.partitions, (p) => ({ ...p, belowLogStart: p.partition < 2 })),
    });
    return snapshot;
  }

  it('flags the group, colours the partitions and says what it means in the drill-down', async () => {
    const app = await open({ snapshot: withDeletedRecords(), columns: 120 });
    await app.press('2');
    assert.match(lineWith(app, 'apache-logs-indexer') ?? '', /Stable +2 +450 .* +deleted/);
    assert.doesNotMatch(lineWith(app, 'dmm-access-reader') ?? '', /deleted/);
    await app.press(ENTER);
    assert.match(
      app.frame(),
      /group apache-logs-indexer +2 partitions committed below the log start: records not read were deleted/,
    );
    await app.press(ESC, '/', ...'deleted', ENTER);
    assert.match(app.frame(), /apache-logs-indexer/);
    assert.doesNotMatch(app.frame(), /dmm-access-reader/);
  });
});

/** The lab's indexer group after cutover: its consumers run on the target with group.protocol=consumer. */
function withKip848TargetGroup() {
  const snapshot = buildSnapshot();
  const target = snapshot.target.groups.find((g) => g.group === 'apache-logs-indexer')!;
  Object.assign(target, {
    protocol: 'consumer',
    state: 'Stable',
    members: 1,
    partitions: mapPartitions(target.partitions, (p) => ({
      ...p,
      owner: { memberId: 'M2uLVrBOTWmaIbnyfcGEPA', clientId: 'indexer-a', host: '/127.0.0.1' },
    })),
  });
  return snapshot;
}

describe('Groups pane and the group protocol', () => {
  it("names each side's protocol, classic or KIP-848 consumer, on a wide terminal", async () => {
    const app = await open({ snapshot: withKip848TargetGroup(), columns: 120 });
    await app.press('2');
    assert.match(lineWith(app, 'GROUP') ?? '', /SRC PROTO +TGT STATE .* TGT PROTO/);
    assert.match(
      lineWith(app, 'apache-logs-indexer') ?? '',
      /Stable +2 +450 +classic +Stable +1 +300 +consumer +✓ 12s/,
    );
    assert.match(lineWith(app, 'dmm-access-reader') ?? '', /classic +Empty +0 +negative +classic/);
  });

  it('keeps the table as it was at 80 columns and names the protocols in the drill-down title', async () => {
    const app = await open({ snapshot: withKip848TargetGroup(), columns: 80 });
    await app.press('2');
    assert.ok(app.lines().every((l) => l.length <= 80));
    assert.match(lineWith(app, 'apache-logs-ind') ?? '', /Stable +450 +Stable +300 +✓ 12s/);
    await app.press(ENTER);
    assert.match(
      lineWith(app, 'group apache-logs-indexer') ?? '',
      /group apache-logs-indexer +protocol: source classic, target consumer +Esc back/,
    );
    assert.match(lineWith(app, 'source: Stable') ?? '', /target: Stable, 1 member/);
  });

  it('filters groups by protocol', async () => {
    const app = await open({ snapshot: withKip848TargetGroup(), columns: 120 });
    await app.press('2', '/', 'consumer', ENTER);
    assert.ok(lineWith(app, 'apache-logs-indexer'));
    assert.equal(lineWith(app, 'dmm-access-reader'), undefined);
  });
});

describe('Mirror pane', () => {
  it('shows heartbeat and checkpoint freshness with text markers, metrics with sparklines, connectors', async () => {
    const app = await open({ columns: 100, rows: 40 });
    await app.press('3');
    assert.match(lineWith(app, /^ +A → B /) ?? '', /age 2s +✓ ok/);
    assert.match(lineWith(app, 'apache-logs-index') ?? '', /age 12s +✓ ok +15 partitions/);
    const count = lineWith(app, 'records replicated') ?? '';
    assert.match(count, /21,650 +50\/s +[▁▂▃▄▅▆▇█]+/);
    assert.match(lineWith(app, 'max record age') ?? '', /\d+ms +[▁▂▃▄▅▆▇█]+/);
    assert.match(lineWith(app, 'max repl. latency') ?? '', /\d+ms +[▁▂▃▄▅▆▇█]+/);
    assert.match(lineWith(app, 'MM2 lag') ?? '', /150 records +positions: mm2-offsets\.A\.internal/);
    assert.match(lineWith(app, 'A->B.MirrorSourceConnector') ?? '', /✓ RUNNING +source 2 tasks/);
  });

  it('marks an old heartbeat crit and shows the first line of a failed task trace', async () => {
    const snapshot = buildSnapshot();
    snapshot.heartbeats[0]!.ageMs = 45_000;
    snapshot.connectors[0]!.state = 'FAILED';
    snapshot.connectors[0]!.tasks[1] = {
      id: 1,
      state: 'FAILED',
      trace: 'org.apache.kafka.connect.errors.ConnectException: boom\n\tat x.y',
    };
    const app = await open({ snapshot, columns: 120, rows: 40 });
    await app.press('3');
    assert.match(lineWith(app, /^ +A → B /) ?? '', /age 45s +✗ crit/);
    assert.match(
      lineWith(app, 'task 1') ?? '',
      /✗ FAILED +org\.apache\.kafka\.connect\.errors\.ConnectException: boom$/,
    );
    assert.match(lineWith(app, /^MM2 /) ?? '', /✗ 3 connectors: 1 FAILED, 2 RUNNING, tasks 3\/4 RUNNING/);
  });

  it('lists the metric families found when the scrape has no MM2 metrics', async () => {
    const families = ['kafka_connect_worker_connector_count', 'kafka_connect_connector_status'];
    const app = await open({ snapshot: buildSnapshot({ metricFamiliesOnly: families }), columns: 120 });
    await app.press('3');
    assert.match(app.frame(), /no MM2 partition metrics in the scrape/);
    assert.match(
      app.frame(),
      /families found: kafka_connect_worker_connector_count, kafka_connect_connector_status/,
    );
  });
});

describe('Events pane', () => {
  it('logs a data source failing and recovering, with timestamps', async () => {
    const app = await open({ snapshot: buildSnapshot({ targetStale: true }), columns: 120 });
    app.feed.push({ ...buildSnapshot(), seq: 43 });
    await app.settle();
    await app.press('5');
    assert.match(
      app.frame(),
      /\d\d:\d\d:\d\d ERROR target cluster 127\.0\.0\.1:29092: Connection timeout to 127\.0\.0\.1:29092/,
    );
    assert.match(
      app.frame(),
      /\d\d:\d\d:\d\d OK +target cluster 127\.0\.0\.1:29092: recovered \(stale for 12s\)/,
    );
  });
});
