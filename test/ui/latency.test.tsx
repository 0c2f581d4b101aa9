import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { partitionTimings, summariseTimings } from '../../source/model/replication-timing.js';
import { buildSnapshot, NOW } from './fixtures.js';
import { appOpener, ENTER, lineWith } from './harness.js';

const open = appOpener();

describe('Mirror pane: record age and latency over the partitions that replicated', () => {
  it('shows the windowed max of the replicating partitions and how many were idle', async () => {
    // topic2 is idle in the fixture: its un-windowed gauge still says 15.9 s
    const app = await open({ columns: 120, rows: 40 });
    await app.press('3');
    // apache-logs partition 14: age 180+14, latency 40+14, the highest of the replicating partitions
    assert.match(lineWith(app, 'max record age') ?? '', /max record age +194ms +[▁▂▃▄▅▆▇█]+/);
    assert.match(lineWith(app, 'max repl. latency') ?? '', /max repl\. latency +54ms +/);
    assert.match(
      app.frame(),
      /MM2's windowed max \(60 s by default\) over 22 replicating partitions, 1 idle/,
    );
    assert.doesNotMatch(app.frame(), /15s/);
  });

  it('shows idle, not a stale last value, when no partition replicated in the window', async () => {
    const snapshot = buildSnapshot();
    const partitions = snapshot.metrics!.partitions.map((p) => ({
      ...p,
      recordAgeMsMax: undefined,
      replicationLatencyMsMax: undefined,
    }));
    snapshot.timing = summariseTimings(partitionTimings(partitions, null).values());
    const app = await open({ snapshot, columns: 120, rows: 40 });
    await app.press('3');
    assert.match(lineWith(app, 'max record age') ?? '', /max record age +idle /);
    assert.match(lineWith(app, 'max repl. latency') ?? '', /max repl\. latency +idle /);
    assert.match(app.frame(), /no record in MM2's metric window \(60 s by default\), 23 partitions idle/);
  });

  it('says when the exporter has no windowed attributes and the last values are shown', async () => {
    const snapshot = buildSnapshot();
    const partitions = snapshot.metrics!.partitions.map((p) => ({
      topic: p.topic,
      partition: p.partition,
      recordCount: p.recordCount,
      recordAgeMs: p.recordAgeMs,
      replicationLatencyMs: 30,
    }));
    snapshot.timing = summariseTimings(partitionTimings(partitions, null).values());
    const app = await open({ snapshot, columns: 100, rows: 40 });
    await app.press('3');
    assert.match(lineWith(app, 'max record age') ?? '', /max record age +15s /);
    assert.match(
      app.frame(),
      /last-value gauges: no -max\/-avg exported, an idle partition keeps its last age/,
    );
  });
});

describe('topic drill-down: an idle partition', () => {
  it('shows idle in REC AGE and LATENCY', async () => {
    const app = await open({ columns: 120 });
    await app.press('G', ENTER);
    assert.match(app.frame(), /topic2 → A\.topic2/);
    assert.match(app.lines().find((l) => /^› +0 /.test(l)) ?? '', / idle +idle$/);
  });
});

describe('Mirror pane: the probe', () => {
  it('shows the last latency, the marker pending and for how long, and the topic', async () => {
    const snapshot = buildSnapshot({
      probe: {
        topic: 'topic1',
        targetTopic: 'A.topic1',
        partition: 0,
        lastLatencyMs: 84,
        lastArrivedAtMs: NOW - 3000,
        pendingSinceMs: NOW - 1500,
        sent: 5,
        arrived: 4,
        error: null,
        atMs: NOW,
      },
    });
    const app = await open({ snapshot, columns: 120, rows: 40 });
    await app.press('3');
    assert.match(
      lineWith(app, 'PROBE') ?? '',
      /PROBE +marker records topic1 → A\.topic1 partition 0, timed from outside MM2/,
    );
    assert.match(
      lineWith(app, 'last latency') ?? '',
      /last latency +84ms +arrived 3s ago +4\/5 markers arrived/,
    );
    assert.match(lineWith(app, /^ +pending/) ?? '', /pending +for 1s +marker sent, not on the target yet/);
  });

  it('shows the probe error (a missing topic) and that it retries', async () => {
    const snapshot = buildSnapshot({
      probe: {
        topic: 'nope',
        targetTopic: 'A.nope',
        partition: 0,
        lastLatencyMs: null,
        lastArrivedAtMs: null,
        pendingSinceMs: null,
        sent: 0,
        arrived: 0,
        error: 'probe topic nope does not exist on the source cluster',
        atMs: NOW,
      },
    });
    const app = await open({ snapshot, columns: 120, rows: 40 });
    await app.press('3');
    assert.match(lineWith(app, 'last latency') ?? '', /none arrived yet/);
    assert.match(
      lineWith(app, /^ +error/) ?? '',
      /error +probe topic nope does not exist on the source cluster +retrying/,
    );
  });

  it('has no probe section without --probe', async () => {
    const app = await open({ columns: 120, rows: 40 });
    await app.press('3');
    assert.equal(lineWith(app, 'PROBE'), undefined);
  });
});
