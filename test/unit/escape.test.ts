import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  charWidth,
  displayWidth,
  escapeBytes,
  escapeForTerminal,
  truncateDisplay,
} from '../../source/util/escape.js';

/** No byte a terminal would act on survives: C0, DEL, C1, bidi controls. */
function assertInert(s: string): void {
  assert.doesNotMatch(s, /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
}

describe('escapeForTerminal', () => {
  it('keeps ordinary and non-Latin text unchanged', () => {
    for (const s of ['orders', 'A.orders-0', 'café', '東京の注文', 'emoji 🚀 ok', 'group with spaces', '']) {
      assert.equal(escapeForTerminal(s), s);
    }
  });

  it('makes an OSC 0 window-title sequence visible text', () => {
    const out = escapeForTerminal('\x1b]0;pwned\x07');
    assert.equal(out, '\\x1b]0;pwned\\x07');
    assertInert(out);
  });

  it('makes SGR colour codes visible text', () => {
    const out = escapeForTerminal('\x1b[31mred\x1b[0m');
    assert.equal(out, '\\x1b[31mred\\x1b[0m');
    assertInert(out);
  });

  it('escapes tab, newline and carriage return too', () => {
    assert.equal(escapeForTerminal('a\tb\nc\rd'), 'a\\tb\\nc\\rd');
  });

  it('escapes other C0 controls, DEL and C1 controls (CSI U+009B) as \\xNN', () => {
    assert.equal(escapeForTerminal('\x00\x08\x7f'), '\\x00\\x08\\x7f');
    assert.equal(escapeForTerminal('\u009b31m\u0085'), '\\x9b31m\\x85');
  });

  it('escapes bidi overrides and isolates (Trojan Source) and invisible marks', () => {
    assert.equal(escapeForTerminal('abc\u202Edcb'), 'abc\\u{202E}dcb');
    assert.equal(escapeForTerminal('\u202A\u202B\u202C\u202D'), '\\u{202A}\\u{202B}\\u{202C}\\u{202D}');
    assert.equal(escapeForTerminal('\u2066x\u2069'), '\\u{2066}x\\u{2069}');
    assert.equal(escapeForTerminal('\u200F\u200B\uFEFF\u2028'), '\\u{200F}\\u{200B}\\u{FEFF}\\u{2028}');
  });

  it('escapes lone surrogates but keeps valid pairs', () => {
    assert.equal(escapeForTerminal('a\uD800b'), 'a\\u{D800}b');
    assert.equal(escapeForTerminal('\uDC00'), '\\u{DC00}');
    assert.equal(escapeForTerminal('x\uD83D\uDE80'), 'x🚀');
  });

  it('doubles backslashes so escaped and literal text cannot be confused', () => {
    assert.equal(escapeForTerminal('C:\\x1b'), 'C:\\\\x1b');
    assert.notEqual(escapeForTerminal('\\x1b'), escapeForTerminal('\x1b'));
  });
});

describe('escapeBytes', () => {
  it('valid UTF-8 is escaped like a string', () => {
    const s = 'orders \x1b[2J 東京 🚀';
    assert.equal(escapeBytes(Buffer.from(s, 'utf8')), escapeForTerminal(s));
  });

  it('invalid UTF-8 shows the bad bytes as \\xNN and keeps the readable text', () => {
    assert.equal(escapeBytes(Buffer.from([0x6f, 0x6b, 0xff, 0x21])), 'ok\\xff!');
    assert.equal(escapeBytes(Buffer.from([0xc3])), '\\xc3'); // truncated 2-byte sequence
    assert.equal(escapeBytes(Buffer.from([0xc0, 0xaf])), '\\xc0\\xaf'); // overlong '/'
    assert.equal(escapeBytes(Buffer.from([0xed, 0xa0, 0x80])), '\\xed\\xa0\\x80'); // encoded surrogate
    assert.equal(escapeBytes(Buffer.from([0xf4, 0x90, 0x80, 0x80])), '\\xf4\\x90\\x80\\x80'); // > U+10FFFF
    assert.equal(escapeBytes(Buffer.from([0xe6, 0x9d, 0xb1, 0x80])), '東\\x80');
  });

  it('binary data with control bytes stays inert', () => {
    const out = escapeBytes(Buffer.from([0x00, 0x01, 0x41, 0x1b, 0x5d, 0x30, 0x3b, 0x07, 0x9b, 0xfe]));
    assert.equal(out, '\\x00\\x01A\\x1b]0;\\x07\\x9b\\xfe');
    assertInert(out);
  });

  it('escapes a C1 control encoded as valid UTF-8 (c2 9b)', () => {
    assert.equal(escapeBytes(Buffer.from([0xc2, 0x9b, 0x41])), '\\x9bA');
  });

  it('handles empty buffers and slices', () => {
    assert.equal(escapeBytes(Buffer.alloc(0)), '');
    assert.equal(escapeBytes(Buffer.from('xxhixx').subarray(2, 4)), 'hi');
  });
});

describe('displayWidth / charWidth', () => {
  it('counts East Asian wide characters and emoji as 2, combining marks as 0', () => {
    assert.equal(displayWidth('abc'), 3);
    assert.equal(displayWidth('東京'), 4);
    assert.equal(displayWidth('ｈｉ'), 4);
    assert.equal(displayWidth('🚀'), 2);
    assert.equal(displayWidth('e\u0301'), 1);
    assert.equal(charWidth('한'.codePointAt(0)!), 2);
  });
});

describe('truncateDisplay', () => {
  it('leaves text that fits', () => {
    assert.equal(truncateDisplay('orders', 6), 'orders');
    assert.equal(truncateDisplay('', 3), '');
  });

  it('cuts with an ellipsis to the width', () => {
    assert.equal(truncateDisplay('A.orders-events', 8), 'A.order…');
    assert.equal(displayWidth(truncateDisplay('A.orders-events', 8)), 8);
    assert.equal(truncateDisplay('abc', 1), '…');
    assert.equal(truncateDisplay('abc', 0), '');
    assert.equal(truncateDisplay('abc', -2), '');
  });

  it('never exceeds the width with wide characters', () => {
    assert.equal(truncateDisplay('東京の注文', 6), '東京…');
    assert.equal(truncateDisplay('東京の注文', 5), '東京…');
    assert.equal(truncateDisplay('東京の注文', 4), '東…');
  });

  it('does not split surrogate pairs', () => {
    assert.equal(truncateDisplay('🚀🚀🚀', 4), '🚀…');
    assert.equal(truncateDisplay('🚀🚀🚀', 2), '…');
  });
});
