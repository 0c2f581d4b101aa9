import { Box } from 'ink';
import type { CheckProgress, CheckRecord } from '../../actions/types.js';
import { formatAge } from '../../model/freshness.js';
import { escapeForTerminal } from '../../util/escape.js';
import { Line, type Segment } from '../components/Line.js';
import type { TableRow } from '../components/Table.js';
import { formatClockMs, formatCount, formatRate } from '../format.js';
import type { Glyphs } from '../glyphs.js';
import type { Cell, ColumnSpec } from '../table.js';
import type { CheckPartitionRow } from './check-model.js';
import type { PaneFrame } from './frame.js';
import { PaneTable, TablePane } from './TablePane.js';

const PARTITION_COLUMNS: ColumnSpec[] = [
  { id: 'p', title: 'P', width: 4, priority: 0, align: 'right' },
  { id: 'expected', title: 'EXPECTED', width: 12, priority: 0, align: 'right' },
  { id: 'read', title: 'READ', width: 12, priority: 0, align: 'right' },
  { id: 'status', title: 'STATUS', width: 11, priority: 0 },
  { id: 'other', title: 'OTHER SIDE', width: 12, priority: 1, align: 'right' },
  { id: 'compare', title: 'RECORD BY RECORD', width: 20, priority: 0 },
];

const RECORD_COLUMNS: ColumnSpec[] = [
  { id: 'offset', title: 'OFFSET', width: 10, priority: 0, align: 'right' },
  { id: 'p', title: 'P', width: 3, priority: 0, align: 'right' },
  { id: 'timestamp', title: 'TIMESTAMP', width: 12, priority: 1 },
  { id: 'key', title: 'KEY', width: 16, priority: 2 },
  { id: 'value', title: 'VALUE', width: 16, priority: 0, flex: true },
];

/** Characters escapeForTerminal would change, other than the backslash an escaped text legitimately holds. */
const RAW_UNSAFE = /[\x00-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/;

/** Record keys and values arrive escaped; escape again only what would still reach the terminal raw. */
export function ensureEscaped(s: string): string {
  return RAW_UNSAFE.test(s) ? escapeForTerminal(s) : s;
}

function statusCell(row: CheckPartitionRow, progress: CheckProgress, g: Glyphs): Cell {
  if (row.expected !== null && row.read >= row.expected) return { text: `${g.ok} complete`, tone: 'ok' };
  if (progress.done || progress.stopped || progress.error) return { text: `${g.crit} short`, tone: 'crit' };
  return { text: g.ascii ? '... reading' : '… reading', tone: 'info' };
}

function compareCell(row: CheckPartitionRow, progress: CheckProgress, g: Glyphs): Cell {
  const c = progress.comparison;
  if (!c) return { text: '' };
  const r = row.comparison;
  if (!r)
    return c.running
      ? { text: g.ascii ? '... comparing' : '… comparing', tone: 'info' }
      : { text: `${g.unknown} none`, tone: 'warn' };
  if (r.complete && r.equal) return { text: `${g.ok} equal`, tone: 'ok' };
  const parts = [
    r.missing > 0 ? `${formatCount(r.missing)} missing` : '',
    r.extra > 0 ? `${formatCount(r.extra)} extra` : '',
    r.different > 0 ? `${formatCount(r.different)} differ` : '',
  ].filter((p) => p !== '');
  if (!r.complete) return { text: `${g.unknown} not copied yet`, tone: 'warn' };
  return { text: `${g.mismatch} ${parts.join(' ')}`, tone: 'crit' };
}

function titleLine(progress: CheckProgress, nowMs: number, g: Glyphs): Segment[] {
  const pct = progress.expected > 0 ? Math.floor((progress.total / progress.expected) * 100) : 100;
  const state: Segment = progress.error
    ? { text: `error: ${escapeForTerminal(progress.error)}`, tone: 'crit' }
    : progress.stopped
      ? { text: 'stopped', tone: 'warn' }
      : progress.done
        ? { text: `${g.ok} done`, tone: 'ok' }
        : { text: 'running', tone: 'info' };
  return [
    { text: `CHECK ${progress.cluster} ${escapeForTerminal(progress.topic)}`, bold: true },
    { text: ' from the beginning  ' },
    state,
    {
      text: `  ${formatCount(progress.total)}/${formatCount(progress.expected)} (${pct}%)  ${formatRate(progress.recordsPerSecond)}  ${formatAge(nowMs - progress.startedAtMs)}`,
    },
  ];
}

function comparisonLine(progress: CheckProgress, g: Glyphs): Segment[] {
  const c = progress.comparison;
  if (!c) {
    const note = progress.done
      ? 'no comparison with the other cluster'
      : 'compared record by record with the other cluster when done';
    return [{ text: note, tone: 'muted' }];
  }
  const what = `compared with ${c.cluster} ${escapeForTerminal(c.topic)} record by record: `;
  if (c.error) return [{ text: what }, { text: `error: ${escapeForTerminal(c.error)}`, tone: 'crit' }];
  const note: Segment[] = c.note ? [{ text: `  ${escapeForTerminal(c.note)}`, tone: 'muted' }] : [];
  if (c.running)
    return [
      { text: `comparing with ${c.cluster} ${escapeForTerminal(c.topic)} record by record` },
      { text: g.ascii ? '...' : '…', tone: 'info' },
      ...note,
    ];
  const source = c.partitions.reduce((n, p) => n + p.sourceRecords, 0);
  const target = c.partitions.reduce((n, p) => n + p.targetRecords, 0);
  return [
    { text: what },
    c.equal ? { text: `${g.ok} equal`, tone: 'ok' } : { text: `${g.mismatch} not equal`, tone: 'crit' },
    { text: `  source ${formatCount(source)}, target ${formatCount(target)}` },
    ...note,
  ];
}

function recordRow(r: CheckRecord, i: number): TableRow {
  return {
    key: `${r.partition}:${r.offset}:${i}`,
    cells: {
      offset: { text: String(r.offset) },
      p: { text: String(r.partition) },
      timestamp: { text: formatClockMs(r.timestampMs) },
      key: { text: ensureEscaped(r.key), tone: 'info' },
      value: { text: ensureEscaped(r.value) },
    },
  };
}

export function CheckPane(props: {
  frame: PaneFrame;
  progress: CheckProgress | null;
  rows: readonly CheckPartitionRow[];
  recordsHeight: number;
  nowMs: number;
}) {
  const { frame, progress, rows, recordsHeight, nowMs } = props;
  const g = frame.glyphs;
  if (!progress) {
    return (
      <Box flexDirection="column">
        <Line segments={[{ text: 'CHECK', bold: true }, { text: '  no check yet' }]} color={frame.color} />
        <Line
          segments={[
            { text: 'Select a topic in Topics (1), press C, then s (source) or t (target):', tone: 'muted' },
          ]}
          color={frame.color}
        />
        <Line
          segments={[
            {
              text: 'it reads the topic from the beginning, then compares it record by record with the target copy.',
              tone: 'muted',
            },
          ]}
          color={frame.color}
        />
      </Box>
    );
  }
  const otherTitle = progress.comparison ? progress.comparison.cluster.toUpperCase() : 'OTHER SIDE';
  const specs = PARTITION_COLUMNS.map((c) => (c.id === 'other' ? { ...c, title: otherTitle } : c));
  const table: TableRow[] = rows.map((row) => ({
    key: row.key,
    cells: {
      p: { text: String(row.partition) },
      expected: { text: formatCount(row.expected) },
      read: { text: formatCount(row.read) },
      status: statusCell(row, progress, g),
      other: { text: progress.comparison ? formatCount(row.other) : '' },
      compare: compareCell(row, progress, g),
    },
  }));
  const recordRows = recordsHeight > 2 ? progress.last.slice(-(recordsHeight - 2)).map(recordRow) : [];
  return (
    <TablePane
      frame={frame}
      title={titleLine(progress, nowMs, g)}
      subtitle={comparisonLine(progress, g)}
      columns={specs}
      rows={table}
      selectedKey={null}
    >
      {recordRows.length > 0 ? (
        <Box flexDirection="column">
          <Line segments={[{ text: 'LAST RECORDS', bold: true }]} color={frame.color} />
          <PaneTable frame={frame} columns={RECORD_COLUMNS} rows={recordRows} selectedKey={null} />
        </Box>
      ) : null}
    </TablePane>
  );
}
