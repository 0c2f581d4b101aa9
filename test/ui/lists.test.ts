import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyFilter,
  initialListState,
  moveList,
  resolveIndex,
  selectFirst,
  viewport,
  windowRows,
} from '../../source/ui/lists.js';

const keys = (n: number) => Array.from({ length: n }, (_, i) => `k${i}`);
const rows = (n: number) => keys(n).map((key) => ({ key, search: key }));

describe('selection by key', () => {
  it('follows the key when rows move, and keeps the position when the row is gone', () => {
    const state = { ...initialListState('topics'), selectedKey: 'k3', selectedIndex: 3 };
    assert.equal(resolveIndex(state, ['new', 'k0', 'k1', 'k2', 'k3']), 4);
    assert.equal(resolveIndex(state, ['k0', 'k1', 'k2', 'k4', 'k5']), 3);
    assert.equal(resolveIndex(state, ['k0']), 0);
    assert.equal(resolveIndex(state, []), -1);
  });
});

describe('moveList', () => {
  it('moves the cursor and scrolls just enough to keep it visible', () => {
    let state = initialListState('topics');
    for (let i = 0; i < 6; i++) state = moveList(state, keys(20), 5, true, 'down');
    assert.equal(state.selectedKey, 'k6');
    assert.deepEqual(viewport(state, keys(20), 5, true), { offset: 2, selected: 6 });
    state = moveList(state, keys(20), 5, true, 'page-down');
    assert.equal(state.selectedKey, 'k11');
    state = moveList(state, keys(20), 5, true, 'bottom');
    assert.deepEqual(viewport(state, keys(20), 5, true), { offset: 15, selected: 19 });
    state = moveList(state, keys(20), 5, true, 'down');
    assert.equal(state.selectedKey, 'k19');
    state = moveList(state, keys(20), 5, true, 'top');
    assert.deepEqual(viewport(state, keys(20), 5, true), { offset: 0, selected: 0 });
  });

  it('scrolls a scroll-only list; the event log follows the bottom until scrolled up', () => {
    let state = initialListState('events');
    assert.equal(viewport(state, keys(30), 10, false).offset, 20);
    state = moveList(state, keys(30), 10, false, 'up');
    assert.equal(state.follow, false);
    assert.equal(viewport(state, keys(31), 10, false).offset, 19);
    state = moveList(state, keys(31), 10, false, 'bottom');
    assert.equal(state.follow, true);
    assert.equal(viewport(state, keys(40), 10, false).offset, 30);
  });

  it('keeps a short scroll-only list at the top', () => {
    const state = moveList(initialListState('mirror'), keys(3), 10, false, 'down');
    assert.equal(state.follow, false);
    assert.equal(viewport(state, keys(30), 10, false).offset, 0);
  });
});

describe('filter and window', () => {
  it('filters case-insensitively and selects the first match', () => {
    const list = [
      { key: 'a', search: 'apache-logs' },
      { key: 'b', search: 'dmmaccess' },
      { key: 'c', search: 'a.apache-logs' },
    ];
    assert.deepEqual(
      applyFilter(list, ' APACHE ').map((r) => r.key),
      ['a', 'c'],
    );
    const state = selectFirst({ ...initialListState('topics'), selectedKey: 'b' }, ['c', 'a']);
    assert.equal(state.selectedKey, 'c');
  });

  it('cuts the rows to the viewport (only visible rows are rendered)', () => {
    const state = { ...initialListState('topics'), selectedKey: 'k50', selectedIndex: 50 };
    const w = windowRows(rows(100), state, 10, true);
    assert.equal(w.visible.length, 10);
    assert.equal(w.visible.at(-1)?.key, 'k50');
    assert.equal(w.selectedKey, 'k50');
    assert.equal(w.matched, 100);
  });
});
