/** Fixed-width columns that drop by priority when the terminal is narrow, so a row is always one line. */
import { charWidth, displayWidth, truncateDisplay } from '../util/escape.js';
import type { Tone } from './theme.js';

export interface ColumnSpec {
  id: string;
  title: string;
  width: number;
  /** 0 is never dropped; the highest number goes first when the row does not fit. */
  priority: number;
  align?: 'left' | 'right';
  /** Takes the width left over (shared between flex columns); `width` is then its minimum. */
  flex?: boolean;
}

export interface Column extends ColumnSpec {
  align: 'left' | 'right';
}

export interface Cell {
  text: string;
  tone?: Tone;
}

export const GAP = 1;

function needed(specs: readonly ColumnSpec[]): number {
  return specs.reduce((sum, c) => sum + c.width, 0) + GAP * Math.max(0, specs.length - 1);
}

/** The columns that fit `width`, in their original order, flex columns widened to fill the rest. */
export function fitColumns(specs: readonly ColumnSpec[], width: number): Column[] {
  let kept = [...specs];
  while (needed(kept) > width) {
    const worst = kept.reduce<ColumnSpec | null>(
      (w, c) => (c.priority > 0 && (w === null || c.priority >= w.priority) ? c : w),
      null,
    );
    if (worst === null) break;
    kept = kept.filter((c) => c !== worst);
  }
  const flex = kept.filter((c) => c.flex);
  const spare = Math.max(0, width - needed(kept));
  return kept.map((c) => {
    const align = c.align ?? 'left';
    if (!c.flex) return { ...c, align };
    const index = flex.indexOf(c);
    const share = Math.floor(spare / flex.length) + (index < spare % flex.length ? 1 : 0);
    return { ...c, width: c.width + share, align };
  });
}

/** Text cut (with `…`) and padded to exactly `width` display columns. */
export function fitCell(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const cut = truncateDisplay(text, width);
  const padding = ' '.repeat(Math.max(0, width - displayWidth(cut)));
  return align === 'right' ? padding + cut : cut + padding;
}

/**
 * Cuts plain text into lines of at most `width` columns, at a space when the line has one (command
 * lines, long event messages); a word longer than a line is cut where it must.
 */
export function wrapText(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const lines: string[] = [];
  let rest = text;
  while (displayWidth(rest) > w) {
    let head = '';
    let used = 0;
    for (const ch of rest) {
      const cw = charWidth(ch.codePointAt(0)!);
      if (used + cw > w) break;
      head += ch;
      used += cw;
    }
    const space = head.lastIndexOf(' ');
    // a first character wider than the line still has to go somewhere
    const cut = space > 0 ? space : head.length > 0 ? head.length : ([...rest][0]?.length ?? 1);
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest !== '' || lines.length === 0) lines.push(rest);
  return lines;
}
