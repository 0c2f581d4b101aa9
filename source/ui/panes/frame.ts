import type { Segment } from '../components/Line.js';
import type { Glyphs } from '../glyphs.js';

/** What every pane view needs besides its data. */
export interface PaneFrame {
  width: number;
  color: boolean;
  glyphs: Glyphs;
  /** `filter "x" 3/12` when the list is filtered, else null. */
  filterNote: string | null;
}

/** The active filter, first on the pane's title line so a narrow terminal does not cut it off. */
export function filterSegments(frame: PaneFrame): Segment[] {
  return frame.filterNote ? [{ text: frame.filterNote, tone: 'info' }, { text: '  ' }] : [];
}
