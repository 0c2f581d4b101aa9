import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Connection } from '../../source/config/connection.js';
import { FlowSwitchingFeed } from '../../source/monitor/flow-switch.js';
import { buildSnapshot, FakeFeed } from './fixtures.js';
import {
  appOpener,
  DOWN,
  ENTER,
  ESC,
  type Harness,
  lineWith,
  PAGE_DOWN,
  SHIFT_TAB,
  selectedLine,
  TAB,
  UP,
} from './harness.js';

const open = appOpener();

const activeTab = (app: Harness) => /\[(\d) (\w+)\]/.exec(app.frame())?.[2];

describe('pane switching', () => {
  it('cycles with Tab and Shift-Tab, and jumps with 1..6', async () => {
    const app = await open();
    assert.equal(activeTab(app), 'Topics');
    await app.press(TAB);
    assert.equal(activeTab(app), 'Groups');
    await app.press(TAB, TAB, TAB);
    assert.equal(activeTab(app), 'Events');
    await app.press(TAB);
    assert.equal(activeTab(app), 'Cutover');
    await app.press(TAB);
    assert.equal(activeTab(app), 'Topics');
    await app.press(SHIFT_TAB);
    assert.equal(activeTab(app), 'Cutover');
    for (const [key, name] of [
      ['5', 'Events'],
      ['3', 'Mirror'],
      ['4', 'Check'],
      ['2', 'Groups'],
      ['1', 'Topics'],
    ] as const) {
      await app.press(key);
      assert.equal(activeTab(app), name);
    }
  });
});

describe('list movement', () => {
  it('moves with j/k and the arrows, one step per key', async () => {
    const app = await open();
    // Worst first by default: the missing topic, the lagging one, then the rest by name.
    assert.match(selectedLine(app) ?? '', /audit-events/);
    await app.press('j');
    assert.match(selectedLine(app) ?? '', /apache-logs/);
    await app.press(DOWN);
    assert.match(selectedLine(app) ?? '', /DmmAccess/);
    await app.press('k', UP);
    assert.match(selectedLine(app) ?? '', /audit-events/);
  });

  it('reads a multi-character chunk as several keys ("jj" is two j)', async () => {
    const app = await open();
    await app.press('jj');
    assert.match(selectedLine(app) ?? '', /DmmAccess/);
    await app.press('jjk');
    assert.match(selectedLine(app) ?? '', /topic1/);
  });

  it('jumps with G/g and pages with PageDown, rendering only the rows that fit', async () => {
    const extra = Array.from({ length: 40 }, (_, i) => `zz-topic-${String(i).padStart(2, '0')}`);
    const app = await open({ snapshot: buildSnapshot({ extraTopics: extra }) });
    assert.equal(lineWith(app, 'zz-topic-39'), undefined);
    await app.press('G');
    assert.match(selectedLine(app) ?? '', /zz-topic-39/);
    assert.equal(lineWith(app, 'topic1 '), undefined);
    await app.press('g');
    assert.match(selectedLine(app) ?? '', /audit-events/);
    await app.press(PAGE_DOWN);
    // 18 pane lines − summary − column titles = 16 rows per page
    assert.match(selectedLine(app) ?? '', /zz-topic-11/);
  });

  it('ignores unknown escape sequences such as focus reports and paste markers', async () => {
    const app = await open();
    const before = app.frame();
    await app.press('\x1b[I', '\x1b[O', '\x1b[200~', '\x1b[201~');
    assert.equal(app.frame(), before);
    assert.equal(activeTab(app), 'Topics');
  });

  it('keeps the selection on the same topic when a refresh inserts rows above it', async () => {
    const app = await open();
    await app.press('j', 'j');
    assert.match(selectedLine(app) ?? '', /DmmAccess/);
    const next = buildSnapshot();
    const extra = buildSnapshot({ extraTopics: ['Aaa-first', 'Abc-second'] }).mirror.topics.slice(-2);
    next.mirror.topics = [...extra, ...next.mirror.topics];
    app.feed.push(next);
    await app.settle();
    assert.match(lineWith(app, 'Aaa-first') ?? '', /Aaa-first/);
    assert.match(selectedLine(app) ?? '', /DmmAccess/);
  });
});

describe('drill-down', () => {
  it('Enter opens the selected topic, Esc goes back to the same selection; Esc does not quit', async () => {
    const app = await open();
    await app.press('j', ENTER);
    assert.match(app.frame(), /apache-logs → A\.apache-logs/);
    await app.press(ESC);
    assert.match(selectedLine(app) ?? '', /apache-logs/);
    await app.press(ESC);
    assert.equal(app.quits(), 0);
    await app.press('q');
    assert.equal(app.quits(), 1);
  });

  it('keeps a drill per pane', async () => {
    const app = await open();
    await app.press('jjj', ENTER, '2', ENTER);
    assert.match(app.frame(), /group apache-logs-indexer/);
    await app.press('1');
    assert.match(app.frame(), /topic1 → A\.topic1/);
  });
});

describe('sort order', () => {
  it('Topics sort worst first (missing, then MM2 lag) by default, o by name and back; the footer says which', async () => {
    const app = await open({ columns: 120 });
    const order = () =>
      app
        .lines()
        .filter(
          (l) =>
            /^[› ] \S+ (missing|mirroring|in sync)/.test(l) || /^[› ] . (missing|mirroring|in sync)/.test(l),
        )
        .map((l) => /(DmmAccess|apache-logs|audit-events|topic1|topic2)/.exec(l)?.[1]);
    const worst = order();
    assert.equal(worst.length, 5);
    assert.deepEqual(worst.slice(0, 2), ['audit-events', 'apache-logs'], 'missing, then the lagging one');
    assert.match(app.lines().at(-1) ?? '', /o sort: MM2 lag/);
    await app.press('o');
    const byName = order();
    assert.deepEqual(byName, ['topic1', 'topic2', 'DmmAccess', 'apache-logs', 'audit-events'], 'as listed');
    assert.match(app.lines().at(-1) ?? '', /o sort: name/);
    await app.press('o');
    assert.deepEqual(order(), worst);
  });

  it('Groups sort by their larger lag by default; o sorts by name and keeps the selection on the same group', async () => {
    const app = await open({ columns: 120 });
    await app.press('2');
    assert.match(app.lines().at(-1) ?? '', /o sort: lag/);
    const rows = app.lines().filter((l) => /apache-logs-index|dmm-access-reader/.test(l));
    assert.match(rows[0] ?? '', /apache-logs-index/, 'the lagging group first');
    const selected = () => /(apache-logs-index\S*|dmm-access-reader)/.exec(selectedLine(app) ?? '')?.[1];
    await app.press('j');
    assert.equal(selected(), 'dmm-access-reader');
    await app.press('o');
    assert.match(app.lines().at(-1) ?? '', /o sort: name/);
    assert.equal(selected(), 'dmm-access-reader', 'the selection follows the group');
  });
});

describe('filter prompt', () => {
  it('applies on Enter and selects the first match; Esc clears it', async () => {
    const app = await open();
    await app.press('/', 'a', 'p', 'a');
    assert.match(app.lines().at(-1) ?? '', /^\/apa█ +Enter apply +Esc clear/);
    await app.press(ENTER);
    assert.match(app.frame(), /filter "apa" 1\/5/);
    assert.match(selectedLine(app) ?? '', /apache-logs/);
    assert.equal(lineWith(app, 'topic2'), undefined);
    await app.press(ESC);
    assert.match(lineWith(app, 'topic2') ?? '', /topic2/);
    assert.doesNotMatch(app.frame(), /filter "/);
  });

  it('opens an empty prompt: a second filter replaces the first, the current one shown beside it', async () => {
    const app = await open();
    await app.press('/', 'topic2', ENTER);
    assert.match(selectedLine(app) ?? '', /topic2/);
    await app.press('/');
    assert.match(app.lines().at(-1) ?? '', /^\/█ +filter now: topic2 +Enter apply/);
    await app.press('topic1', ENTER);
    assert.match(app.frame(), /filter "topic1" 1\/5/);
    assert.match(selectedLine(app) ?? '', /topic1/);
  });

  it('clears the filter with Esc inside the prompt', async () => {
    const app = await open();
    await app.press('/', 'dmm', ENTER);
    assert.match(app.frame(), /filter "dmm" 1\/5/);
    await app.press('/', ESC);
    assert.doesNotMatch(app.frame(), /filter "/);
    assert.match(lineWith(app, 'topic1') ?? '', /topic1/);
  });

  it('takes letters as text while typing, not as commands', async () => {
    const app = await open();
    await app.press('/', 'q', 'T', '2');
    assert.equal(app.quits(), 0);
    assert.equal(app.actions.planCalls, 0);
    assert.equal(activeTab(app), 'Topics');
    assert.match(app.lines().at(-1) ?? '', /^\/qT2█/);
  });
});

describe('help overlay', () => {
  it('lists every key and closes with Esc', async () => {
    const app = await open({ rows: 32 });
    await app.press('?');
    const frame = app.frame();
    for (const key of [
      'Tab / Shift-Tab',
      '1 2 3 4 5',
      'j k',
      'PgDn PgUp g G',
      'Enter',
      'Esc',
      '/',
      'o ',
      'r ',
      'p ',
      'C ',
      'T ',
      'S / R',
      'y / n',
      'q / Ctrl-C',
    ]) {
      assert.ok(frame.includes(key), `help shows ${key}:\n${frame}`);
    }
    await app.press(ESC);
    assert.doesNotMatch(app.frame(), /this help/);
    assert.equal(app.quits(), 0);
  });
});

describe('refresh, pause, quit', () => {
  it('r asks the feed for a refresh, p pauses and resumes it, Ctrl-C quits', async () => {
    const app = await open();
    await app.press('r');
    assert.equal(app.feed.refreshes, 1);
    await app.press('p');
    assert.equal(app.feed.isPaused(), true);
    assert.match(lineWith(app, '[1 Topics]') ?? '', /PAUSED/);
    await app.press('p');
    assert.equal(app.feed.isPaused(), false);
    assert.doesNotMatch(lineWith(app, '[1 Topics]') ?? '', /PAUSED/);
    await app.press('\x03');
    assert.equal(app.quits(), 1);
  });
});

describe('drill-down state', () => {
  it('opens each topic at its first partition', async () => {
    const app = await open();
    await app.press('j', ENTER, 'G');
    assert.match(selectedLine(app) ?? '', /^› +14 /);
    await app.press(ESC, 'j', ENTER);
    assert.match(selectedLine(app) ?? '', /^› +0 /);
  });
});

describe('several MM2 flows', () => {
  /** A flow's poller in the console: a fake feed that counts its start and stop. */
  class FlowFake extends FakeFeed {
    started = 0;
    start(): void {
      this.started++;
    }
    async stop(): Promise<void> {}
  }

  it('f switches the flow the header names, keeping the pane and the selected row', async () => {
    const ab = buildSnapshot();
    const ba = { ...buildSnapshot(), flow: { ...ab.flow, source: 'B', target: 'A' } };
    const fakes = [new FlowFake(ab), new FlowFake(ba)];
    const connections = (['A->B', 'B->A'] as const).map((name) => {
      const [source, target] = name.split('->');
      return { source: { alias: source }, target: { alias: target } } as unknown as Connection;
    });
    const feed = new FlowSwitchingFeed(connections, (_c, index) => fakes[index]!);
    feed.start();
    const app = await open({ feed, flows: 2 });
    assert.match(app.frame(), /flow A→B \(f: 2 flows\)/);
    assert.equal(fakes[1]!.started, 0, 'only the selected flow is polled');
    await app.press('j', 'j');
    const selected = selectedLine(app);
    await app.press('f');
    assert.match(app.frame(), /flow B→A \(f: 2 flows\)/);
    assert.equal(fakes[1]!.started, 1);
    assert.equal(fakes[0]!.isPaused(), true, 'the flow left is no longer refreshed');
    assert.equal(activeTab(app), 'Topics');
    assert.equal(selectedLine(app), selected);
    await app.press('f');
    assert.match(app.frame(), /flow A→B/);
    assert.equal(fakes[0]!.isPaused(), false);
  });

  it('f with one flow says so in the events', async () => {
    const app = await open();
    await app.press('f', '5');
    assert.match(app.frame(), /one MM2 flow only/);
  });
});
