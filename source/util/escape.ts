/**
 * Rendering untrusted wire text (topic names, group ids, record bytes, exporter labels) on a terminal.
 *
 * escapeForTerminal makes every character that could move the cursor, change colours, set the window
 * title, reorder text or hide itself visible as an escape: C0 controls (including \t \n \r), DEL, C1
 * controls, bidi embedding/override/isolate characters and marks, invisible separators, and lone
 * surrogates. The backslash itself is doubled so the rendering is unambiguous (text that already reads
 * `\x1b` cannot pass for an escaped ESC). Everything else, including non-Latin scripts and emoji, is kept.
 */

const NAMED: Record<number, string> = { 9: '\\t', 10: '\\n', 13: '\\r', 92: '\\\\' };

/** Characters outside C0/C1/DEL that are escaped: invisible or reordering ones. */
function isInvisibleFormat(cp: number): boolean {
  return (
    cp === 0x061c || // ARABIC LETTER MARK
    cp === 0x200b || // ZERO WIDTH SPACE
    cp === 0x200e || // LRM
    cp === 0x200f || // RLM
    (cp >= 0x2028 && cp <= 0x202e) || // LINE/PARAGRAPH SEPARATOR, LRE RLE PDF LRO RLO
    (cp >= 0x2066 && cp <= 0x2069) || // LRI RLI FSI PDI
    cp === 0xfeff // ZERO WIDTH NO-BREAK SPACE / BOM
  );
}

function escapeCodePoint(cp: number): string {
  const named = NAMED[cp];
  if (named) return named;
  if (cp <= 0xff) return `\\x${cp.toString(16).padStart(2, '0')}`;
  return `\\u{${cp.toString(16).toUpperCase().padStart(4, '0')}}`;
}

function needsEscape(cp: number): boolean {
  return (
    cp < 0x20 ||
    (cp >= 0x7f && cp <= 0x9f) ||
    cp === 0x5c ||
    isInvisibleFormat(cp) ||
    (cp >= 0xd800 && cp <= 0xdfff)
  );
}

// Fast path test (UTF-16 code units; surrogate pairs fall through to the exact loop).
const MAYBE_UNSAFE =
  /[\x00-\x1f\x7f-\x9f\\\u061c\u200b\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\ud800-\udfff]/;

export function escapeForTerminal(s: string): string {
  if (!MAYBE_UNSAFE.test(s)) return s;
  let out = '';
  for (const ch of s) {
    // for..of yields whole code points; a lone surrogate comes out alone
    const cp = ch.codePointAt(0)!;
    out += needsEscape(cp) ? escapeCodePoint(cp) : ch;
  }
  return out;
}

/**
 * Length of the valid UTF-8 sequence at i (1–4), or 0 when the bytes there are not one
 * (overlong forms, surrogates, code points above U+10FFFF and truncated sequences are invalid).
 */
function utf8SequenceLength(b: Uint8Array, i: number): number {
  const b0 = b[i]!;
  if (b0 < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((b0 >= 0xe1 && b0 <= 0xec) || b0 === 0xee || b0 === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b0 === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b0 === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xf1 && b0 <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/**
 * Renders raw bytes: valid UTF-8 is decoded and escaped as by {@link escapeForTerminal} (so valid
 * UTF-8 gives exactly escapeForTerminal(buf.toString())); each byte that is not part of a valid
 * UTF-8 sequence is shown as `\xNN`, and the readable text around it is kept.
 */
export function escapeBytes(buf: Uint8Array): string {
  let out = '';
  let i = 0;
  let runStart = 0;
  const flush = (to: number) => {
    if (to > runStart)
      out += escapeForTerminal(
        Buffer.from(buf.buffer, buf.byteOffset + runStart, to - runStart).toString('utf8'),
      );
  };
  while (i < buf.length) {
    const n = utf8SequenceLength(buf, i);
    if (n > 0) {
      i += n;
      continue;
    }
    flush(i);
    out += `\\x${buf[i]!.toString(16).padStart(2, '0')}`;
    i++;
    runStart = i;
  }
  flush(i);
  return out;
}

/** Display columns of one code point: 0 for combining marks and joiners, 2 for East Asian wide. */
export function charWidth(cp: number): number {
  if (
    (cp >= 0x0300 && cp <= 0x036f) || // combining diacritics
    (cp >= 0x200b && cp <= 0x200f) || // zero width, joiners, marks
    (cp >= 0xfe00 && cp <= 0xfe0f) || // variation selectors
    (cp >= 0x1ab0 && cp <= 0x1aff) ||
    (cp >= 0x20d0 && cp <= 0x20ff)
  ) {
    return 0;
  }
  if (
    (cp >= 0x1100 && cp <= 0x115f) || // Hangul Jamo
    (cp >= 0x2e80 && cp <= 0x303e) || // CJK radicals .. CJK symbols
    (cp >= 0x3041 && cp <= 0x33ff) || // Hiragana .. CJK compatibility
    (cp >= 0x3400 && cp <= 0x4dbf) || // CJK ext A
    (cp >= 0x4e00 && cp <= 0x9fff) || // CJK unified
    (cp >= 0xa000 && cp <= 0xa4cf) || // Yi
    (cp >= 0xac00 && cp <= 0xd7a3) || // Hangul syllables
    (cp >= 0xf900 && cp <= 0xfaff) || // CJK compatibility ideographs
    (cp >= 0xfe30 && cp <= 0xfe4f) || // CJK compatibility forms
    (cp >= 0xff00 && cp <= 0xff60) || // fullwidth forms
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) || // pictographs, emoticons
    (cp >= 0x1f680 && cp <= 0x1f6ff) || // transport and map symbols
    (cp >= 0x1f900 && cp <= 0x1f9ff) || // supplemental symbols and pictographs
    (cp >= 0x1fa70 && cp <= 0x1faff) || // symbols and pictographs extended-A
    (cp >= 0x20000 && cp <= 0x3fffd) // CJK ext B and beyond
  ) {
    return 2;
  }
  return 1;
}

/** Approximate terminal display width of a string (see {@link charWidth}). */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch.codePointAt(0)!);
  return w;
}

/**
 * Cuts s to at most `width` display columns, ending with `…` when cut; never splits a surrogate pair.
 * Escape first, then truncate (a cut inside a `\xNN` escape still leaves plain, safe text).
 */
export function truncateDisplay(s: string, width: number): string {
  const w = Math.floor(width);
  if (!(w > 0)) return '';
  if (displayWidth(s) <= w) return s;
  const budget = w - 1; // room for the ellipsis
  let out = '';
  let used = 0;
  for (const ch of s) {
    const cw = charWidth(ch.codePointAt(0)!);
    if (used + cw > budget) break;
    out += ch;
    used += cw;
  }
  return `${out}…`;
}
