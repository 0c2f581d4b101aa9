import { Box } from 'ink';
import type { ReactNode } from 'react';
import { Line, type Segment } from '../components/Line.js';
import { MARKER_WIDTH, Table, type TableRow } from '../components/Table.js';
import { type ColumnSpec, fitColumns } from '../table.js';
import { filterSegments, type PaneFrame } from './frame.js';

/** A table with the columns that fit the pane's width, in the pane's colours and symbols. */
export function PaneTable(props: {
  frame: PaneFrame;
  columns: readonly ColumnSpec[];
  rows: readonly TableRow[];
  selectedKey: string | null;
}) {
  const { frame, columns, rows, selectedKey } = props;
  return (
    <Table
      columns={fitColumns(columns, frame.width - MARKER_WIDTH)}
      rows={rows}
      selectedKey={selectedKey}
      color={frame.color}
      glyphs={frame.glyphs}
    />
  );
}

/**
 * A pane built around one table: the title line (after the active filter), an optional line under it,
 * the table with the columns that fit the pane's width, then anything the pane adds below.
 */
export function TablePane(props: {
  frame: PaneFrame;
  title: readonly Segment[];
  subtitle?: readonly Segment[];
  columns: readonly ColumnSpec[];
  rows: readonly TableRow[];
  selectedKey: string | null;
  children?: ReactNode;
}) {
  const { frame, title, subtitle, columns, rows, selectedKey, children } = props;
  return (
    <Box flexDirection="column">
      <Line segments={[...filterSegments(frame), ...title]} color={frame.color} />
      {subtitle ? <Line segments={subtitle} color={frame.color} /> : null}
      <PaneTable frame={frame} columns={columns} rows={rows} selectedKey={selectedKey} />
      {children}
    </Box>
  );
}

/** A drill-down whose item has gone from the snapshot: one warning line, in place of the table. */
export function GonePane(props: { frame: PaneFrame; item: string; guess?: string }) {
  const { frame, item, guess } = props;
  const text = `${item} is no longer in the snapshot${guess ? ` ${guess}` : ''}  Esc back`;
  return <Line segments={[{ text, tone: 'warn' }]} color={frame.color} />;
}
