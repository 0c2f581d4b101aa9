import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeForTerminal } from '../../source/util/escape.js';
import { checkProgress, PLANNED_AUDIT_EVENTS, partitionComparison } from './fixtures.js';
import { appOpener, ENTER, ESC, lineWith } from './harness.js';

const open = appOpener();

describe('T: create missing topics', () => {
  it('shows the exact plan and creates it on y; the results go to the event log', async () => {
    const plan = [
      PLANNED_AUDIT_EVENTS,
      { source: 'orders', target: 'A.orders', partitions: 12, replicationFactor: 3, configs: {} },
    ];
    const app = await open({ plan });
    await app.press('T');
    const frame = app.frame();
    assert.match(frame, /Create 2 topics on the target B \(127\.0\.0\.1:29092\)\?/);
    assert.match(frame, /A\.audit-events ← audit-events +partitions 3 +RF 3/);
    assert.match(frame, /configs: cleanup\.policy=delete retention\.ms=604800000/);
    assert.match(frame, /A\.orders ← orders +partitions 12 +RF 3/);
    assert.match(frame, /configs: \(defaults\)/);
    assert.equal(app.actions.created.length, 0);
    await app.press('y');
    assert.deepEqual(app.actions.created, [plan]);
    assert.equal(app.feed.refreshes, 1, 'refreshes so the new topics show at once');
    await app.press('5');
    assert.match(app.frame(), /INFO +create topics: creating 2 on the target: A\.audit-events, A\.orders/);
    assert.match(app.frame(), /OK +create topics: created A\.audit-events \(3 partitions\)/);
    assert.match(app.frame(), /OK +create topics: created A\.orders \(12 partitions\)/);
  });

  it("names the topics the target refuses, in the broker's words (escaped), and still asks for all", async () => {
    const plan = [
      {
        source: 'logs',
        target: 'A.logs',
        partitions: 6,
        replicationFactor: 3,
        configs: { 'segment.bytes': '100' },
        refused: 'Invalid value 100 for configuration segment.bytes: Value must be at least 1048576',
      },
      {
        source: 'odd',
        target: 'A.odd',
        partitions: 1,
        replicationFactor: 3,
        configs: {},
        refused: 'Unknown topic config name: \u001b[2Jx',
      },
      PLANNED_AUDIT_EVENTS,
    ];
    const app = await open({ plan });
    await app.press('T');
    const frame = app.frame();
    assert.match(frame, /Create 3 topics on the target B \(127\.0\.0\.1:29092\)\? +2 refused by the target/);
    assert.match(
      frame,
      /A\.logs ← logs +partitions 6 +RF 3 +│\n│ +✗ refused: Invalid value 100 for configuration segment\.bytes/,
    );
    assert.ok(frame.includes(`✗ refused: Unknown topic config name: ${escapeForTerminal('\u001b[2J')}x`));
    assert.ok(!frame.includes('\u001b[2J'));
    assert.doesNotMatch(frame, /configs: segment\.bytes=100/, 'the refusal stands in its configs line');
    assert.match(frame, /configs: cleanup\.policy=delete retention\.ms=604800000/);
    await app.press('y');
    assert.deepEqual(app.actions.created, [plan]);
    // The Events pane has the reasons whole, where an 80-column dialog cuts them.
    await app.press('5');
    assert.match(
      app.frame(),
      /WARN +create topics: the target refuses A\.logs: Invalid value 100 for\s+configuration segment\.bytes: Value must be at least 1048576/,
    );
  });

  it('says when MM2 cannot create a topic that the configs T copies can', async () => {
    const plan = [
      {
        ...PLANNED_AUDIT_EVENTS,
        refusedToMm2: 'Unknown topic config name: message.format.version',
      },
    ];
    const app = await open({ plan, columns: 120 });
    await app.press('T');
    assert.match(
      app.frame(),
      /! MM2 cannot create it \(see Events\), these configs can; configs: cleanup\.policy=delete/,
    );
    assert.doesNotMatch(app.frame(), /refused by the target/);
  });

  it('cancels with Esc or n without creating anything', async () => {
    const app = await open();
    await app.press('T', ESC);
    assert.doesNotMatch(app.frame(), /Create 1 topic/);
    await app.press('T', 'n');
    assert.doesNotMatch(app.frame(), /Create 1 topic/);
    await app.press('y');
    assert.deepEqual(app.actions.created, []);
    assert.equal(app.actions.planCalls, 2);
  });

  it('says when nothing is missing, and y does nothing', async () => {
    const app = await open({ plan: [] });
    await app.press('T');
    assert.match(app.frame(), /Nothing to create: every source topic has its mirror/);
    await app.press('y');
    assert.deepEqual(app.actions.created, []);
  });
});

describe('S and R: stop and resume the mirror', () => {
  it('S shows what stop will do and stops once confirmed (the runbook is not done: the flow name)', async () => {
    const app = await open();
    await app.press('S');
    assert.match(app.frame(), /Stop the mirror\? This will run:/);
    assert.match(
      app.frame(),
      /PUT http:\/\/127\.0\.0\.1:18083\/connectors\/A->B\.MirrorSourceConnector\/stop/,
    );
    assert.equal(app.actions.mirror?.stops, 0);
    await app.press('A->B', ENTER);
    assert.equal(app.actions.mirror?.stops, 1);
    assert.match(app.lines().at(-1) ?? '', /stop mirror: A->B\.MirrorSourceConnector stopped/);
  });

  it('S cancelled with Esc does not stop', async () => {
    const app = await open();
    await app.press('S', ESC, 'y');
    assert.equal(app.actions.mirror?.stops, 0);
  });

  it('R shows what resume will do and resumes on y; n cancels', async () => {
    const app = await open();
    await app.press('R', 'n');
    assert.equal(app.actions.mirror?.resumes, 0);
    await app.press('R');
    assert.match(app.frame(), /Resume the mirror\? This will run:/);
    assert.match(app.frame(), /connectors\/A->B\.MirrorSourceConnector\/resume/);
    await app.press('y');
    assert.equal(app.actions.mirror?.resumes, 1);
  });

  it('without a mirror control, S and R say how to configure one', async () => {
    const app = await open({ mirror: null });
    await app.press('S');
    assert.match(app.frame(), /--connect-url or --mirror-stop-command/);
    assert.doesNotMatch(app.frame(), /This will run/);
    await app.press('R', '5');
    assert.match(
      app.frame(),
      /WARN +R: no mirror control; start with --connect-url or\n +--mirror-stop-command/,
    );
  });
});

describe('read-only', () => {
  it('marks the console READ-ONLY and disables T, S and R', async () => {
    const app = await open({ readOnly: true, columns: 120 });
    assert.match(app.lines().at(-1) ?? '', /^READ-ONLY /);
    assert.doesNotMatch(app.lines().at(-1) ?? '', /T create/);
    assert.match(lineWith(app, '[1 Topics]') ?? '', /READ-ONLY/);
    await app.press('T');
    assert.equal(app.actions.planCalls, 0);
    assert.match(app.lines().at(-1) ?? '', /T create missing topics: disabled: read-only/);
    await app.press('S', 'y', 'R', 'y');
    assert.equal(app.actions.mirror?.stops, 0);
    assert.equal(app.actions.mirror?.resumes, 0);
    await app.press('5');
    assert.equal(app.lines().filter((l) => /WARN +. .+ mirror: disabled: read-only/.test(l)).length, 2);
  });
});

describe('C: consumer check', () => {
  it('asks for the cluster, starts the check on it and switches to the Check pane', async () => {
    const app = await open();
    await app.press('j', 'j', 'C');
    assert.match(app.frame(), /Read DmmAccess from the beginning on:/);
    assert.match(app.frame(), /s +source A: DmmAccess/);
    assert.match(app.frame(), /t +target B: A\.DmmAccess/);
    await app.press('t');
    assert.equal(app.actions.checks.length, 1);
    assert.equal(app.actions.checks[0]?.cluster, 'target');
    assert.equal(app.actions.checks[0]?.topic, 'DmmAccess');
    assert.match(app.frame(), /\[4 Check\]/);
  });

  it('Esc at the cluster prompt starts nothing; C outside the Topics pane explains where to use it', async () => {
    const app = await open();
    await app.press('C', ESC);
    assert.equal(app.actions.checks.length, 0);
    await app.press('2', 'C');
    assert.match(app.lines().at(-1) ?? '', /select a topic in the Topics pane/);
    assert.equal(app.actions.checks.length, 0);
  });

  it('works on the drilled topic too', async () => {
    const app = await open();
    await app.press('j', ENTER, 'C', 's');
    assert.equal(app.actions.checks[0]?.topic, 'apache-logs');
    assert.equal(app.actions.checks[0]?.cluster, 'source');
  });

  it('shows per-partition counts against the expected counts, rate and the last records', async () => {
    const app = await open({ columns: 100 });
    await app.press('jj', 'C', 's');
    app.actions.checks[0]!.onProgress(
      checkProgress({
        expected: [100, 100, 100, 100, 100, 100],
        read: [100, 40, 0, 0, 0, 0],
        last: [
          { partition: 1, offset: 39, timestampMs: 0, key: 'user-7', value: '{"user":"user-7","seq":39}' },
        ],
      }),
    );
    await app.settle();
    assert.match(app.frame(), /CHECK source DmmAccess from the beginning +running +140\/600 \(23%\) +150\/s/);
    assert.match(lineWith(app, /^ +0 +100 /) ?? '', /0 +100 +100 +✓ complete/);
    assert.match(lineWith(app, /^ +1 +100 /) ?? '', /1 +100 +40 +… reading/);
    assert.match(
      lineWith(app, 'user-7') ?? '',
      /39 +1 +\d\d:\d\d:\d\d\.000 +user-7 +\{"user":"user-7","seq":39\}/,
    );
  });

  it('when done, compares record by record with the target per partition and logs the result', async () => {
    const app = await open({ columns: 100 });
    await app.press('jj', 'C', 's');
    app.actions.checks[0]!.onProgress(
      checkProgress({
        done: true,
        expected: [100, 100, 100, 100, 100, 100],
        read: [100, 100, 100, 100, 100, 100],
        other: [100, 100, 100, 99, 100, 100],
      }),
    );
    await app.settle();
    assert.match(
      app.frame(),
      /compared with target A\.DmmAccess record by record: ≠ not equal +source 600, target 599/,
    );
    assert.match(lineWith(app, /^ +P +EXPECTED/) ?? '', /TARGET +RECORD BY RECORD/);
    assert.match(lineWith(app, /^ +0 +100 /) ?? '', /✓ complete +100 +✓ equal/);
    assert.match(lineWith(app, /^ +3 +100 /) ?? '', /✓ complete +99 +≠ 1 missing/);
    await app.press('5');
    assert.match(
      app.frame(),
      /ERROR check source DmmAccess: 600\/600 read; NOT equal to target A\.DmmAccess: 1 missing, 0\n +extra, 0 different/,
    );
  });

  it('shows the comparison waiting for MM2 with how far the target got; Esc stops it', async () => {
    const app = await open({ columns: 120 });
    await app.press('jj', 'C', 's');
    const check = app.actions.checks[0]!;
    const base = { done: true, expected: [100, 100], read: [100, 100] };
    check.onProgress(
      checkProgress({
        ...base,
        other: [100],
        comparison: {
          running: true,
          equal: false,
          partitions: [partitionComparison(0, 100, 100)],
          note: 'partition 1: target reached source offset 96 of 100 after 3 s',
        },
      }),
    );
    await app.settle();
    assert.match(
      app.frame(),
      /comparing with target A\.DmmAccess record by record… +partition 1: target reached source offset 96 of 100 after 3 s/,
    );
    assert.match(lineWith(app, /^ +0 +100 /) ?? '', /✓ equal/);
    assert.match(lineWith(app, /^ +1 +100 /) ?? '', /… comparing/);
    // still running: Esc stops the comparison
    await app.press(ESC);
    assert.equal(check.stopped, true);
  });

  it('a finished comparison with an extra target record is not equal, and says how many', async () => {
    const app = await open({ columns: 120 });
    await app.press('jj', 'C', 's');
    const extra = {
      ...partitionComparison(1, 100, 101),
      firstDifference: { sourceOffset: null, targetOffset: 100 },
    };
    app.actions.checks[0]!.onProgress(
      checkProgress({
        done: true,
        expected: [100, 100],
        read: [100, 100],
        other: [100, 101],
        comparison: { partitions: [partitionComparison(0, 100, 100), extra], equal: false },
      }),
    );
    await app.settle();
    assert.match(app.frame(), /record by record: ≠ not equal +source 200, target 201/);
    assert.match(lineWith(app, /^ +1 +100 /) ?? '', /101 +≠ 1 extra/);
    await app.press('5');
    assert.match(app.frame(), /NOT equal to target A\.DmmAccess: 0 missing, 1 extra, 0\s+different/);
  });

  it('Esc in the Check pane stops a running check', async () => {
    const app = await open();
    await app.press('C', 's');
    const started = app.actions.checks[0]!;
    started.onProgress(checkProgress({ topic: 'topic1', expected: [300], read: [10] }));
    await app.settle();
    await app.press(ESC);
    assert.equal(started.stopped, true);
    assert.equal(app.quits(), 0);
  });
});

describe('untrusted text', () => {
  it('renders an escape sequence in a record value escaped, never raw', async () => {
    const app = await open();
    await app.press('C', 's');
    const hostile = escapeForTerminal('\x1b]0;owned\x07\x1b[2J');
    app.actions.checks[0]!.onProgress(
      checkProgress({
        topic: 'topic1',
        expected: [300],
        read: [1],
        last: [
          { partition: 0, offset: 0, timestampMs: 0, key: 'k', value: hostile },
          // a value that slipped through unescaped is escaped here too
          { partition: 0, offset: 1, timestampMs: 0, key: 'k\x1b[31m', value: 'raw\x1b[2Jvalue' },
        ],
      }),
    );
    await app.settle();
    for (const frame of app.allFrames()) assert.ok(!frame.includes('\x1b'), 'no ESC reaches the terminal');
    assert.match(app.frame(), /\\x1b\]0;owned\\x07\\x1b\[2J/);
    assert.match(app.frame(), /raw\\x1b\[2Jvalue/);
  });
});
