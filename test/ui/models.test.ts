import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appendEvents, healthEvents, MAX_EVENTS, refusalEvents } from '../../source/ui/events.js';
import { fitCount, formatCount, formatDuration, formatRate } from '../../source/ui/format.js';
import { prefersAscii } from '../../source/ui/glyphs.js';
import { groupPartitionRows, groupRows } from '../../source/ui/panes/groups-model.js';
import { fitCell, fitColumns, wrapText } from '../../source/ui/table.js';
import { interactiveProblem, noColorRequested } from '../../source/ui/terminal.js';
import { displayWidth } from '../../source/util/escape.js';
import { buildSnapshot, NOW } from './fixtures.js';

describe('fitColumns', () => {
  const specs = [
    { id: 'name', title: 'NAME', width: 10, priority: 0, flex: true },
    { id: 'a', title: 'A', width: 10, priority: 1 },
    { id: 'b', title: 'B', width: 10, priority: 2 },
    { id: 'c', title: 'C', width: 10, priority: 2 },
  ];

  it('drops the highest priority number first (the later of equals), keeping the order', () => {
    assert.deepEqual(
      fitColumns(specs, 35).map((c) => c.id),
      ['name', 'a', 'b'],
    );
    assert.deepEqual(
      fitColumns(specs, 25).map((c) => c.id),
      ['name', 'a'],
    );
    assert.deepEqual(
      fitColumns(specs, 5).map((c) => c.id),
      ['name'],
    );
  });

  it('gives the spare width to the flex column', () => {
    const columns = fitColumns(specs, 60);
    assert.equal(columns.find((c) => c.id === 'name')?.width, 27);
    assert.equal(columns.reduce((sum, c) => sum + c.width, 0) + columns.length - 1, 60);
  });
});

describe('formatCount', () => {
  it("prints what Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }) prints", () => {
    const intl = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
    const values = [
      0,
      -0,
      1,
      999,
      1000,
      20_000,
      999_999,
      1_000_000,
      2 ** 31,
      2 ** 53 - 1,
      2 ** 53,
      1e20,
      1e21,
      1.5e22,
    ];
    values.push(0.5, 1.5, 2.5, -0.5, -0.4, -1.5, 999.5, 999_999.5, 0.49999999999999994, Number.MAX_VALUE);
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 20_000; i++) {
      const magnitude = 10 ** Math.floor(random() * 18);
      const value = Math.floor(random() * magnitude) + (random() < 0.2 ? 0.5 : random() < 0.5 ? random() : 0);
      values.push(random() < 0.1 ? -value : value);
    }
    for (const value of values) assert.equal(formatCount(value), intl.format(value), String(value));
    assert.equal(formatCount(null), '-');
    assert.equal(formatCount(Number.NaN), '-');
    assert.equal(formatCount(Number.POSITIVE_INFINITY), '-');
  });
});

describe('cells and wrapping', () => {
  it('pads and cuts by display width', () => {
    assert.equal(fitCell('数据', 6), '数据  ');
    assert.equal(fitCell('12', 5, 'right'), '   12');
    assert.equal(fitCell('apache-logs-indexer', 8), 'apache-…');
  });

  it('wraps at spaces and cuts words longer than a line', () => {
    assert.deepEqual(wrapText('stop mirror: PUT http://h/connectors/x/stop', 20), [
      'stop mirror: PUT',
      'http://h/connectors/',
      'x/stop',
    ]);
    for (const line of wrapText('数据数据数据 emoji 🚀🚀🚀🚀', 5)) assert.ok(displayWidth(line) <= 5, line);
  });

  it('formats numbers exactly when they fit, compactly when not', () => {
    assert.equal(fitCount(20_000, 10), '20,000');
    assert.equal(fitCount(1_234_567_890, 10), '1.2G');
    assert.equal(fitCount(null, 10), '-');
    assert.equal(formatDuration(350), '350ms');
    assert.equal(formatDuration(125_000), '2m05s');
    assert.equal(formatRate(0.5), '0.5/s');
    assert.equal(formatRate(1234), '1.2k/s');
  });
});

describe('healthEvents', () => {
  const base = buildSnapshot().health;
  const stale = buildSnapshot({ targetStale: true }).health;

  it('reports the sources failing in the first snapshot, then only changes', () => {
    assert.deepEqual(healthEvents(null, base, NOW), []);
    const failing = healthEvents(base, stale, NOW);
    assert.equal(failing.length, 1);
    assert.equal(failing[0]?.level, 'error');
    assert.match(failing[0]?.text ?? '', /target cluster 127\.0\.0\.1:29092: Connection timeout/);
    assert.deepEqual(healthEvents(stale, stale, NOW), []);
    const other = { ...stale, target: { ...stale.target, lastError: 'Broker not available' } };
    assert.match(healthEvents(stale, other, NOW)[0]?.text ?? '', /Broker not available/);
    const recovered = healthEvents(stale, base, NOW);
    assert.deepEqual(recovered, [
      { level: 'ok', text: 'target cluster 127.0.0.1:29092: recovered (stale for 12s)' },
    ]);
  });

  it('escapes error messages from the wire', () => {
    const hostile = { ...stale, target: { ...stale.target, lastError: 'bad\x1b[2Jthing' } };
    assert.match(healthEvents(base, hostile, NOW)[0]?.text ?? '', /bad\\x1b\[2Jthing/);
  });

  it('keeps the log bounded', () => {
    let log = appendEvents([], [{ level: 'info', text: 'first' }], NOW);
    for (let i = 0; i < MAX_EVENTS; i++) log = appendEvents(log, [{ level: 'info', text: `e${i}` }], NOW);
    assert.equal(log.length, MAX_EVENTS);
    assert.equal(log[0]?.text, 'e0');
    assert.equal(log.at(-1)?.seq, MAX_EVENTS + 1);
  });
});

describe('groups side by side', () => {
  it('matches target partitions to source ones through the replication policy', () => {
    const snapshot = buildSnapshot();
    const reader = groupRows(snapshot).find((g) => g.group === 'dmm-access-reader')!;
    assert.equal(reader.negative, true);
    const rows = groupPartitionRows(snapshot, reader);
    assert.equal(rows.length, 6);
    const p2 = rows[2]!;
    assert.equal(p2.topic, 'DmmAccess');
    assert.equal(p2.source?.committed, 100);
    assert.equal(p2.target?.topic, 'A.DmmAccess');
    assert.equal(p2.target?.negative, true);
    assert.deepEqual([p2.translation?.upstreamOffset, p2.translation?.downstreamOffset], [100, 101]);
  });
});

describe('environment', () => {
  it('uses ASCII symbols only for a non-UTF-8 locale', () => {
    assert.equal(prefersAscii({}), false);
    assert.equal(prefersAscii({ LANG: 'en_US.UTF-8' }), false);
    assert.equal(prefersAscii({ LC_ALL: 'C' }), true);
    assert.equal(prefersAscii({ LANG: 'C.utf8' }), false);
    assert.equal(prefersAscii({ LANG: 'en_US.UTF-8', MIRRORWATCH_ASCII: '1' }), true);
  });

  it('honours NO_COLOR when it is set and not empty', () => {
    assert.equal(noColorRequested({ NO_COLOR: '1' }), true);
    assert.equal(noColorRequested({ NO_COLOR: '' }), false);
    assert.equal(noColorRequested({}), false);
  });

  it('refuses to start without a terminal or with CI set', () => {
    assert.equal(interactiveProblem({}, true, true), null);
    assert.equal(interactiveProblem({ CI: 'false' }, true, true), null);
    assert.match(interactiveProblem({ CI: 'true' }, true, true) ?? '', /CI/);
    assert.match(interactiveProblem({ CI: '' }, true, true) ?? '', /CI/);
    assert.match(interactiveProblem({}, false, true) ?? '', /terminal/);
  });
});

describe('refusalEvents', () => {
  it('logs each new refusal once; thousands at once as one line per reason, the rarest together', () => {
    const one = new Map([['orders', 'Unknown topic config name: x']]);
    assert.deepEqual(refusalEvents(undefined, one), [
      {
        level: 'warn',
        text: 'topic orders is missing: the target refuses to create it: Unknown topic config name: x',
      },
    ]);
    assert.deepEqual(refusalEvents(one, one), []);
    const names = Array.from({ length: 5000 }, (_, i) => `scale-${String(i).padStart(4, '0')}`);
    const why = 'Unknown topic config name: message.downconversion.enable';
    const all = new Map(names.map((n) => [n, why]));
    assert.deepEqual(refusalEvents(one, all), [
      {
        level: 'warn',
        text: `5000 topics are missing: the target refuses to create them: ${why} (scale-0000, scale-0001, scale-0002 and 4997 more)`,
      },
    ]);
    // Every topic with its own reason (segment.bytes values): five lines and one for the rest.
    const own = new Map(names.map((n, i) => [n, `Invalid value ${i} for configuration segment.bytes`]));
    const events = refusalEvents(undefined, own);
    assert.equal(events.length, 6);
    assert.equal(
      events[5]?.text,
      '4995 more topics are missing, refused by the target for 4995 other reasons (Enter on each in the Topics pane)',
    );
  });
});
