import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import type { CutoverReads } from '../../source/actions/types.js';
import type { Snapshot } from '../../source/monitor/snapshot.js';
import { buildSnapshot, NOW } from './fixtures.js';
import { appOpener, ENTER, ESC, type Harness, lineWith } from './harness.js';

const open = appOpener();

/** The title line of runbook step n: `› ✗ 1 NOT DONE  topics...`. */
const stepLine = (app: Harness, n: number) => lineWith(app, new RegExp(`^[› ] [✓✗-] ${n} `));

/** Every step before "mirror stopped" done: topics copied, nothing to move, MM2 still running. */
function readyToStop(): { snapshot: Snapshot; cutover: CutoverReads } {
  const snapshot = buildSnapshot();
  snapshot.mirror.topics = snapshot.mirror.topics
    .filter((t) => t.state !== 'missing')
    .map((t) => ({
      ...t,
      state: 'in-sync' as const,
      lag: 0,
      partitions: t.partitions.map((p) => ({ ...p, lag: 0 })),
    }));
  snapshot.source = { ...snapshot.source, groups: [] };
  const tenMinutesAgo = NOW - 600_000;
  return {
    snapshot,
    cutover: {
      configDrift: [],
      newestWrites: new Map(snapshot.mirror.topics.map((t) => [t.source, tenMinutesAgo])),
    },
  };
}

describe('Cutover pane (6)', () => {
  it('shows the runbook step by step, the first not done marked, the rest waiting', async () => {
    const app = await open({ rows: 30, columns: 120 });
    await app.press('6');
    assert.match(app.frame(), /\[6 Cutover\]/);
    assert.match(app.frame(), /CUTOVER +runbook A → B: MM2 at most 5 s behind, producers quiet 30 s/);
    assert.match(app.frame(), /NOT READY +next: step 1, topics and configs present on the target/);
    assert.match(stepLine(app, 1) ?? '', /› ✗ 1 NOT DONE +topics and configs present on the target/);
    assert.match(app.frame(), /missing on the target: A\.audit-events/);
    assert.match(stepLine(app, 2) ?? '', /- 2 waiting +MirrorMaker 2 caught up/);
    assert.match(app.frame(), /waiting on step 1; its own check ✗: MM2 lag 150 record\(s\): apache-logs 150/);
    assert.match(stepLine(app, 7) ?? '', /- 7 waiting +mirror stopped/);
    assert.match(app.lines().at(-1) ?? '', /Tab\/1-6 pane/);
  });

  it('follows the wire reads: a topic config MM2 has not synced holds step 1', async () => {
    const { snapshot, cutover } = readyToStop();
    const drift = {
      ...cutover,
      configDrift: [{ topic: 'topic1', config: 'retention.ms', source: '3600000', target: null }],
    };
    const app = await open({ snapshot, cutover: drift, rows: 30, columns: 120 });
    await app.press('6');
    assert.match(stepLine(app, 1) ?? '', /✗ 1 NOT DONE/);
    assert.match(app.frame(), /config not synced: topic1 retention\.ms=3600000 \(target default\)/);
  });

  it('shows steps 1-6 done and the mirror still to stop', async () => {
    const { snapshot, cutover } = readyToStop();
    const app = await open({ snapshot, cutover, rows: 30, columns: 120 });
    await app.press('6');
    for (const n of [1, 2, 3, 4, 5, 6]) assert.match(stepLine(app, n) ?? '', /✓ \d done/);
    assert.match(stepLine(app, 7) ?? '', /› ✗ 7 NOT DONE +mirror stopped/);
    assert.match(app.frame(), /no new record on 4 mirrored topic\(s\) for 30 s or more/);
  });

  it('reads configs and newest writes once, then every 30 s from the first time the runbook shows', async () => {
    const app = await open({ rows: 30, columns: 120 });
    assert.equal(app.actions.cutoverReadCalls, 1, 'read once at the first snapshot');
    mock.timers.enable({ apis: ['setInterval'] });
    try {
      mock.timers.tick(95_000);
      assert.equal(app.actions.cutoverReadCalls, 1, 'not again while no pane shows the runbook');
      await app.press('6');
      assert.equal(app.actions.cutoverReadCalls, 2, 'again at once when the Cutover pane opens');
      await app.press('1');
      mock.timers.tick(30_000);
      assert.equal(app.actions.cutoverReadCalls, 3, 'then every 30 s');
      mock.timers.tick(30_000);
      assert.equal(app.actions.cutoverReadCalls, 4);
    } finally {
      mock.timers.reset();
    }
  });

  it('is listed in the help', async () => {
    const app = await open({ rows: 30 });
    await app.press('?');
    assert.match(app.frame(), /1 2 3 4 5 6 +Topics, Groups, Mirror, Check, Events, Cutover/);
  });
});

describe('S with the runbook', () => {
  it('asks for the flow name while a step is not done; y, a wrong name and Esc do not stop', async () => {
    const app = await open({ rows: 30, columns: 120 });
    await app.press('S');
    assert.match(app.frame(), /Runbook NOT DONE: step 1, topics and configs present on the target/);
    assert.match(app.frame(), /missing on the target: A\.audit-events/);
    assert.match(app.frame(), /Type A->B and Enter to stop anyway: █/);
    assert.match(app.lines().at(-1) ?? '', /type A->B then Enter to stop anyway +Esc cancel/);
    await app.press('y', ENTER);
    assert.equal(app.actions.mirror?.stops, 0, 'y is not a confirmation here');
    assert.match(app.frame(), /Type A->B and Enter to stop anyway: █/, 'the prompt stays, emptied');
    await app.press('A->', ESC);
    assert.doesNotMatch(app.frame(), /Stop the mirror/);
    assert.equal(app.actions.mirror?.stops, 0);
    await app.press('S', 'A->C', '\x7f', 'B');
    assert.match(app.frame(), /stop anyway: A->B█/);
    await app.press(ENTER);
    assert.equal(app.actions.mirror?.stops, 1);
    await app.press('5');
    assert.match(app.frame(), /stop mirror: "y" is not the flow name A->B; not stopped/);
    assert.match(app.frame(), /WARN +stop mirror: confirmed by typing A->B with the runbook not done/);
  });

  it('takes a plain y once steps 1-6 are done', async () => {
    const { snapshot, cutover } = readyToStop();
    const app = await open({ snapshot, cutover, rows: 30, columns: 120 });
    await app.press('S');
    assert.match(app.frame(), /Runbook: steps 1-6 done, stopping the mirror is the last step/);
    assert.doesNotMatch(app.frame(), /Type A->B/);
    assert.match(app.frame(), /y stop +n\/Esc cancel/);
    await app.press('y');
    assert.equal(app.actions.mirror?.stops, 1);
  });

  it('stays disabled with --read-only', async () => {
    const app = await open({ readOnly: true, rows: 30, columns: 120 });
    await app.press('S', 'A->B', ENTER);
    assert.equal(app.actions.mirror?.stops, 0);
    assert.doesNotMatch(app.frame(), /Stop the mirror/);
  });
});
