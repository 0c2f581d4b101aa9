import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Key } from 'ink';
import { filterInput } from '../../source/ui/input-filter.js';
import { tokenize } from '../../source/ui/keys.js';

const none: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

describe('tokenize', () => {
  it('splits a chunk of characters into one key each', () => {
    assert.deepEqual(tokenize('jj', none), [
      { kind: 'char', char: 'j' },
      { kind: 'char', char: 'j' },
    ]);
    assert.deepEqual(tokenize('j\r', none), [{ kind: 'char', char: 'j' }, { kind: 'enter' }]);
  });

  it('maps Ink key flags', () => {
    assert.deepEqual(tokenize('', { ...none, downArrow: true }), [{ kind: 'down' }]);
    assert.deepEqual(tokenize('', { ...none, tab: true, shift: true }), [{ kind: 'backtab' }]);
    assert.deepEqual(tokenize('c', { ...none, ctrl: true }), [{ kind: 'ctrl-c' }]);
    assert.deepEqual(tokenize('', { ...none, escape: true, meta: true }), [{ kind: 'escape' }]);
  });

  it('drops unknown sequences and chords it does not bind', () => {
    assert.deepEqual(tokenize('[I', none), []);
    assert.deepEqual(tokenize('[200~', none), []);
    assert.deepEqual(tokenize('OP', none), []);
    assert.deepEqual(tokenize('l', { ...none, ctrl: true }), []);
    assert.deepEqual(tokenize('j', { ...none, meta: true }), []);
  });
});

describe('filterInput', () => {
  it('drops CSI sequences with modifier parameters and keeps the rest', () => {
    assert.deepEqual(filterInput('j\x1b[1;5Pk'), { output: 'jk', pending: '' });
    assert.deepEqual(filterInput('\x1b[15;5~\x1b[A\x1b[Z'), { output: '\x1b[A\x1b[Z', pending: '' });
    assert.deepEqual(filterInput('\x1b[<0;10;5M'), { output: '', pending: '' });
    assert.deepEqual(filterInput('\x1b'), { output: '\x1b', pending: '' });
  });

  it('holds a sequence split across reads until it is complete', () => {
    const first = filterInput('j\x1b[1;5');
    assert.deepEqual(first, { output: 'j', pending: '\x1b[1;5' });
    assert.deepEqual(filterInput(`${first.pending}Pk`), { output: 'k', pending: '' });
  });
});
