import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runsOf, type Segment } from '../../source/ui/components/Line.js';
import { tableSegments } from '../../source/ui/components/Table.js';
import type { Column } from '../../source/ui/table.js';

describe('runsOf', () => {
  it('joins neighbours drawn alike and keeps the text and its order', () => {
    const segments: Segment[] = [
      { text: '› ' },
      { text: 'ok', tone: 'ok' },
      { text: '  ' },
      { text: 'orders' },
      { text: '  ' },
      { text: '12', tone: 'plain' },
      { text: '  ' },
      { text: 'LAG', tone: 'crit' },
      { text: '!', tone: 'crit' },
      { text: 'B', tone: 'crit', bold: true },
    ];
    assert.deepEqual(runsOf(segments, true), [
      { text: '› ', color: undefined, bold: false },
      { text: 'ok', color: 'green', bold: false },
      { text: '  orders  12  ', color: undefined, bold: false },
      { text: 'LAG!', color: 'red', bold: false },
      { text: 'B', color: 'red', bold: true },
    ]);
    assert.equal(
      runsOf(segments, true)
        .map((r) => r.text)
        .join(''),
      segments.map((s) => s.text).join(''),
    );
  });

  it('without colour, a line is one run but for its bold parts', () => {
    const segments: Segment[] = [
      { text: 'READ-ONLY', tone: 'warn', bold: true },
      { text: '  ' },
      { text: 'a', tone: 'ok' },
      { text: 'b', tone: 'crit' },
    ];
    assert.deepEqual(runsOf(segments, false), [
      { text: 'READ-ONLY', color: undefined, bold: true },
      { text: '  ab', color: undefined, bold: false },
    ]);
  });

  it('draws a table row of many columns with a Text per colour, not per cell', () => {
    const columns: Column[] = Array.from({ length: 12 }, (_, i) => ({
      id: `c${i}`,
      title: `C${i}`,
      width: 6,
      priority: 0,
      align: 'left',
    }));
    const cells = Object.fromEntries(
      columns.map((c, i) => [
        c.id,
        { text: `v${i}`, ...(i === 0 || i === 10 ? { tone: 'ok' as const } : {}) },
      ]),
    );
    const segments = tableSegments(columns, cells, '');
    assert.equal(segments.length, 24);
    assert.equal(runsOf(segments, true).length, 5);
  });

  it('does not change the segments it was given', () => {
    const segments: Segment[] = [{ text: 'a' }, { text: 'b' }];
    runsOf(segments, true);
    assert.deepEqual(segments, [{ text: 'a' }, { text: 'b' }]);
  });
});
