import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import chalk from 'chalk';
import { displayWidth } from '../../source/util/escape.js';
import { buildSnapshot, checkProgress } from './fixtures.js';
import { appOpener, ENTER, ESC, type Harness, PAGE_DOWN, widestLine } from './harness.js';

const open = appOpener();

/** SGR parameters that set or reset a foreground or background colour. */
function colourCodes(frame: string): string[] {
  const found: string[] = [];
  for (const match of frame.matchAll(/\x1b\[([0-9;]*)m/g)) {
    for (const param of (match[1] ?? '').split(';')) {
      const n = Number(param);
      if ((n >= 30 && n <= 49) || (n >= 90 && n <= 107)) found.push(param);
    }
  }
  return found;
}

const hostileTopics = ['evil\x1b]0;pwned\x07name', 'red\x1b[31mtopic', '数据-orders', 'emoji-🚀-events'];

/** Visits every pane, drill-down and dialog, so each test can look at all the frames. */
async function tour(app: Harness): Promise<void> {
  await app.press('j', ENTER, ESC, 'G', PAGE_DOWN, 'g');
  await app.press('?', ESC, '/', 'x', ESC, 'T', ESC, 'S', ESC, 'R', ESC, 'C', 's');
  app.actions.checks[0]?.onProgress(
    checkProgress({
      topic: 'apache-logs',
      expected: Array.from({ length: 15 }, () => 60),
      read: Array.from({ length: 15 }, (_, p) => (p < 8 ? 60 : 12)),
      last: Array.from({ length: 12 }, (_, i) => ({
        partition: i % 15,
        offset: i,
        timestampMs: 0,
        key: `10.0.0.${i}`,
        value:
          `10.0.0.${i},2017-06-30T00:00:${String(i).padStart(2, '0')}.000Z,GET,/index.html,200,${1000 + i}`.repeat(
            3,
          ),
      })),
    }),
  );
  await app.settle();
  await app.press('j', 'G', '2', ENTER, 'G', ESC, '3', 'G', 'g', '5', 'k', 'G', '1');
}

describe('colour', () => {
  const level = chalk.level;
  afterEach(() => {
    chalk.level = level;
  });

  it('has no colour codes at all when colour is off, and uses colour when it is on', async () => {
    chalk.level = 3;
    const plain = await open({ snapshot: buildSnapshot({ targetStale: true }), color: false });
    await tour(plain);
    const frames = plain.allFrames();
    assert.ok(frames.length > 20);
    for (const frame of frames) assert.deepEqual(colourCodes(frame), []);
    // still readable: states are words and symbols
    assert.match(frames.join('\n'), /STALE 12s/);
    plain.unmount();

    const coloured = await open({ snapshot: buildSnapshot({ targetStale: true }), color: true });
    assert.ok(colourCodes(coloured.frame()).length > 0, 'colour is used when enabled');
  });
});

describe('frame size', () => {
  for (const [columns, rows] of [
    [80, 24],
    [120, 40],
    [100, 12],
  ] as const) {
    it(`never exceeds rows − 1 lines nor the width at ${columns}×${rows}`, async () => {
      const extra = [...hostileTopics, ...Array.from({ length: 120 }, (_, i) => `bulk-${i}`)];
      const app = await open({
        snapshot: buildSnapshot({ extraTopics: extra, targetStale: true }),
        columns,
        rows,
      });
      await tour(app);
      for (const frame of app.allFrames()) {
        assert.ok(
          frame.split('\n').length <= rows - 1,
          `frame of ${frame.split('\n').length} lines:\n${frame}`,
        );
        assert.ok(widestLine(frame) <= columns, `a line is wider than ${columns}:\n${frame}`);
      }
    });
  }

  it('fills the terminal minus one line at 80×24, so the footer stays at the bottom', async () => {
    const app = await open();
    assert.equal(app.lines().length, 23);
    assert.match(app.lines()[22] ?? '', /\? help/);
  });

  it('says the terminal is too small instead of drawing garbage', async () => {
    const app = await open({ rows: 6, columns: 80 });
    assert.ok(app.lines().length <= 5);
    assert.match(app.frame(), /terminal is too small \(80×6\); q quits/);
    await app.press('q');
    assert.equal(app.quits(), 1);
  });
});

describe('untrusted names', () => {
  it('shows escape sequences in topic names escaped, and never writes a raw ESC', async () => {
    chalk.level = 0;
    const app = await open({ snapshot: buildSnapshot({ extraTopics: hostileTopics }), columns: 120 });
    await app.press('G');
    assert.match(app.frame(), /evil\\x1b\]0;pwned\\x07name/);
    assert.match(app.frame(), /red\\x1b\[31mtopic/);
    await tour(app);
    for (const frame of app.allFrames()) assert.ok(!frame.includes('\x1b'), `raw ESC in:\n${frame}`);
  });

  it('lines up wide characters by display width', async () => {
    const app = await open({ snapshot: buildSnapshot({ extraTopics: hostileTopics }), columns: 120 });
    const rows = app.lines().filter((l) => /^. ✓ in sync/.test(l));
    assert.equal(rows.length, 7);
    const widths = new Set(rows.map((l) => displayWidth(l)));
    assert.equal(widths.size, 1, rows.join('\n'));
  });
});
