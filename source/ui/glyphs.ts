/** Symbols that carry state next to its word, so nothing depends on colour; ASCII for terminals without UTF-8. */
export interface Glyphs {
  ok: string;
  warn: string;
  crit: string;
  unknown: string;
  missing: string;
  mismatch: string;
  mirroring: string;
  notMirrored: string;
  arrow: string;
  from: string;
  selected: string;
  separator: string;
  cursor: string;
  ascii: boolean;
}

export const UNICODE_GLYPHS: Readonly<Glyphs> = Object.freeze({
  ok: '✓',
  warn: '!',
  crit: '✗',
  unknown: '?',
  missing: '✗',
  mismatch: '≠',
  mirroring: '↻',
  notMirrored: '–',
  arrow: '→',
  from: '←',
  selected: '›',
  separator: '│',
  cursor: '█',
  ascii: false,
});

export const ASCII_GLYPHS: Readonly<Glyphs> = Object.freeze({
  ok: '+',
  warn: '!',
  crit: 'x',
  unknown: '?',
  missing: 'x',
  mismatch: '#',
  mirroring: '~',
  notMirrored: '-',
  arrow: '->',
  from: '<-',
  selected: '>',
  separator: '|',
  cursor: '_',
  ascii: true,
});

export function glyphsFor(ascii: boolean): Readonly<Glyphs> {
  return ascii ? ASCII_GLYPHS : UNICODE_GLYPHS;
}

/**
 * ASCII when the locale says the terminal is not UTF-8 (`LANG=C`, `POSIX`, a Latin-1 charset).
 * An unset locale is common in containers whose terminal is UTF-8 anyway, so it keeps Unicode.
 */
export function prefersAscii(env: NodeJS.ProcessEnv): boolean {
  if (env.MIRRORWATCH_ASCII === '1') return true;
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  if (locale === '') return false;
  return !/utf-?8/i.test(locale);
}
