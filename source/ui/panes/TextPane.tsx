import { Box } from 'ink';
import { Line, type Segment } from '../components/Line.js';
import { filterSegments, type PaneFrame } from './frame.js';
import type { TextRow } from './mirror-model.js';

/** A title line and scroll-only lines (the Mirror pane). */
export function TextPane(props: {
  frame: PaneFrame;
  title: Segment[];
  rows: readonly TextRow[];
  empty: string;
}) {
  const { frame, title, rows, empty } = props;
  return (
    <Box flexDirection="column">
      <Line segments={[...filterSegments(frame), ...title]} color={frame.color} />
      {rows.length === 0 ? <Line segments={[{ text: empty, tone: 'muted' }]} color={frame.color} /> : null}
      {rows.map((row) => (
        <Line key={row.key} segments={row.segments} color={frame.color} />
      ))}
    </Box>
  );
}

/** Lines above the rows of a TextPane or the Events pane. */
export const TEXT_CHROME = 1;
