import { Box } from 'ink';
import type { Glyphs } from '../glyphs.js';
import type { Cell, Column } from '../table.js';
import { fitCell, GAP } from '../table.js';
import { Line, type Segment } from './Line.js';

/** Width of the selection marker in front of every row. */
export const MARKER_WIDTH = 2;

export function tableSegments(
  columns: readonly Column[],
  cells: Record<string, Cell>,
  marker: string,
): Segment[] {
  const out: Segment[] = [{ text: fitCell(marker, MARKER_WIDTH) }];
  columns.forEach((column, i) => {
    const cell = cells[column.id] ?? { text: '' };
    if (i > 0) out.push({ text: ' '.repeat(GAP) });
    out.push({
      text: fitCell(cell.text, column.width, column.align),
      ...(cell.tone ? { tone: cell.tone } : {}),
    });
  });
  return out;
}

export interface TableRow {
  key: string;
  cells: Record<string, Cell>;
}

/** Column titles and the rows given (already sliced to the viewport), the selected one marked. */
export function Table(props: {
  columns: readonly Column[];
  rows: readonly TableRow[];
  selectedKey: string | null;
  color: boolean;
  glyphs: Glyphs;
}) {
  const { columns, rows, selectedKey, color, glyphs } = props;
  const header: Record<string, Cell> = Object.fromEntries(
    columns.map((c) => [c.id, { text: c.title, tone: 'muted' as const }]),
  );
  return (
    <Box flexDirection="column">
      <Line segments={tableSegments(columns, header, '')} color={color} />
      {rows.map((row) => {
        const selected = row.key === selectedKey;
        return (
          <Line
            key={row.key}
            segments={tableSegments(columns, row.cells, selected ? glyphs.selected : '')}
            color={color}
            inverse={selected}
          />
        );
      })}
    </Box>
  );
}
