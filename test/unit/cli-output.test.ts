import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { table } from '../../source/cli/format.js';

describe('command output', () => {
  it('aligns a table of 200,000 rows (both clusters at lab scale) without overflowing the stack', () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => [`group-${i}`, i]);
    const text = table(['GROUP', 'LAG'], rows);
    const lines = text.trimEnd().split('\n');
    assert.equal(lines.length, 200_001);
    assert.equal(lines[0], 'GROUP         LAG');
    assert.equal(lines[200_000], 'group-199999  199999');
  });
});
