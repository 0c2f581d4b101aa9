/** Table cells several panes share. */
import { fitCount } from '../format.js';
import type { Cell } from '../table.js';

/** No value: the item is missing on that side, or the value is unknown. */
export const MISSING_CELL: Readonly<Cell> = Object.freeze({ text: '-', tone: 'muted' });

/**
 * Records behind (MM2 or consumer lag), warning above zero; a `negative` lag (an offset committed
 * beyond the log end) is critical.
 */
export function lagCell(lag: number | null | undefined, width: number, negative = false): Cell {
  if (negative) return { text: 'negative', tone: 'crit' };
  return { text: fitCount(lag, width), tone: (lag ?? 0) > 0 ? 'warn' : 'plain' };
}
