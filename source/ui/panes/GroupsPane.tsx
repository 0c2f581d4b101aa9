import { formatAge, freshnessLevel } from '../../model/freshness.js';
import { describeMove, type GroupMove } from '../../model/mm1.js';
import type { GroupInfo, GroupPartition } from '../../monitor/snapshot.js';
import { escapeForTerminal } from '../../util/escape.js';
import type { Segment } from '../components/Line.js';
import type { TableRow } from '../components/Table.js';
import { fitCount, formatCount, plural } from '../format.js';
import type { Glyphs } from '../glyphs.js';
import { freshnessSymbol } from '../labels.js';
import type { Cell, ColumnSpec } from '../table.js';
import { lagCell, MISSING_CELL } from './cells.js';
import { behindCell, statusCell, trendCell } from './convergence-model.js';
import type { PaneFrame } from './frame.js';
import type { GroupPartitionRow, GroupRow } from './groups-model.js';
import { GonePane, TablePane } from './TablePane.js';

/**
 * MM2 writes checkpoints every `emit.checkpoints.interval.seconds` (60 s by default): two missed
 * emissions warn, five mean the checkpoint connector or the group's translation has stopped.
 */
export const CHECKPOINT_THRESHOLDS = Object.freeze({ warnMs: 150_000, critMs: 300_000 });

export const GROUPS_CHROME = 2;
export const GROUP_PARTITIONS_CHROME = 3;

const GROUP_COLUMNS: ColumnSpec[] = [
  { id: 'group', title: 'GROUP', width: 14, priority: 0, flex: true },
  { id: 'srcState', title: 'SRC STATE', width: 10, priority: 2 },
  { id: 'srcMembers', title: 'MBR', width: 3, priority: 5, align: 'right' },
  { id: 'srcLag', title: 'SRC LAG', width: 9, priority: 0, align: 'right' },
  // The group protocol (classic or KIP-848 `consumer`): shown from about 100 columns, and always in the
  // drill-down header; the target side's stays longer, it is where migrated consumers move to.
  { id: 'srcProto', title: 'SRC PROTO', width: 9, priority: 7 },
  { id: 'tgtState', title: 'TGT STATE', width: 10, priority: 2 },
  { id: 'tgtMembers', title: 'MBR', width: 3, priority: 5, align: 'right' },
  { id: 'tgtLag', title: 'TGT LAG', width: 9, priority: 0, align: 'right' },
  { id: 'tgtProto', title: 'TGT PROTO', width: 9, priority: 6 },
  { id: 'checkpoint', title: 'CHECKPOINT', width: 10, priority: 1 },
  { id: 'flags', title: 'FLAGS', width: 8, priority: 3 },
  // Convergence over the console's history, both sides together (see combineSides).
  { id: 'status', title: 'STATUS', width: 6, priority: 8 },
  { id: 'behind', title: 'LAG TIME', width: 8, priority: 8, align: 'right' },
  { id: 'trend', title: 'TREND', width: 13, priority: 9 },
];

/** With MirrorMaker 1 the checkpoint column says where a group moved to the target would start instead. */
const MM1_GROUP_COLUMNS: ColumnSpec[] = GROUP_COLUMNS.map((c) =>
  c.id === 'checkpoint' ? { ...c, title: 'ON TARGET', width: 12 } : c,
);

function moveCell(move: GroupMove | null): Cell {
  if (!move || (move.reread === null && move.skipped === null)) return MISSING_CELL;
  if ((move.skipped ?? 0) > 0) return { text: `skips ${formatCount(move.skipped)}`, tone: 'warn' };
  if ((move.reread ?? 0) > 0) return { text: `re-reads ${formatCount(move.reread)}`, tone: 'warn' };
  return { text: 'exact', tone: 'ok' };
}

/** Live age of a snapshot-time age: the snapshot may be seconds old (or paused). */
export function liveAge(ageMs: number, takenAtMs: number, nowMs: number): number {
  return ageMs + Math.max(0, nowMs - takenAtMs);
}

function stateCell(g: GroupInfo | null): Cell {
  if (!g) return MISSING_CELL;
  const state = escapeForTerminal(g.state);
  return { text: state, tone: state === 'Stable' ? 'ok' : state === 'Dead' ? 'crit' : 'plain' };
}

function protocolCell(g: GroupInfo | null): Cell {
  return g ? { text: g.protocol } : MISSING_CELL;
}

function groupLagCell(g: GroupInfo | null): Cell {
  if (!g) return MISSING_CELL;
  const negative = g.partitions.anyNegative();
  return lagCell(g.totalLag, 9, negative);
}

function checkpointCell(ageMs: number | null, g: Glyphs, missing = false, current = false): Cell {
  if (ageMs === null) return missing ? { text: `${g.warn} none`, tone: 'warn' } : MISSING_CELL;
  // MM2 checkpoints a group only when its offsets move: an old checkpoint of an idle group is current.
  const symbol = freshnessSymbol(current ? 'ok' : freshnessLevel(ageMs, CHECKPOINT_THRESHOLDS), g);
  return { text: `${symbol.text} ${formatAge(ageMs)}`, tone: symbol.tone };
}

export function GroupsPane(props: {
  frame: PaneFrame;
  rows: readonly GroupRow[];
  total: number;
  selectedKey: string | null;
  takenAtMs: number;
  nowMs: number;
}) {
  const { frame, rows, total, selectedKey, takenAtMs, nowMs } = props;
  const table: TableRow[] = rows.map((row) => {
    const age = row.checkpoint ? liveAge(row.checkpoint.ageMs, takenAtMs, nowMs) : null;
    return {
      key: row.key,
      cells: {
        group: { text: row.name },
        srcState: stateCell(row.source),
        srcMembers: { text: row.source ? String(row.source.members) : '-' },
        srcLag: groupLagCell(row.source),
        srcProto: protocolCell(row.source),
        tgtState: stateCell(row.target),
        tgtMembers: { text: row.target ? String(row.target.members) : '-' },
        tgtLag: groupLagCell(row.target),
        tgtProto: protocolCell(row.target),
        checkpoint: row.move
          ? moveCell(row.move)
          : checkpointCell(age, frame.glyphs, row.untranslated, row.checkpoint?.current ?? false),
        flags: row.negative
          ? { text: 'negative', tone: 'crit' }
          : row.belowLogStart > 0
            ? { text: 'deleted', tone: 'crit' }
            : row.untranslated
              ? { text: 'no ckpt', tone: 'warn' }
              : { text: '' },
        status: statusCell(row.evaluation),
        behind: behindCell(row.evaluation),
        trend: trendCell(row.evaluation, frame.glyphs),
      },
    };
  });
  const move = rows.find((r) => r.move)?.move;
  const title: Segment[] = [
    { text: plural(total, 'group'), bold: true },
    { text: ' · source and target side by side · Enter: partitions', tone: 'muted' },
    ...(move
      ? [
          {
            text: ` · MM1 translates no offsets: a moved group starts at ${move.reset}`,
            tone: 'warn' as const,
          },
        ]
      : []),
  ];
  return (
    <TablePane
      frame={frame}
      title={title}
      columns={move ? MM1_GROUP_COLUMNS : GROUP_COLUMNS}
      rows={table}
      selectedKey={selectedKey}
    />
  );
}

const PARTITION_COLUMNS: ColumnSpec[] = [
  { id: 'topic', title: 'TOPIC', width: 12, priority: 0, flex: true },
  { id: 'p', title: 'P', width: 3, priority: 0, align: 'right' },
  { id: 'srcCommitted', title: 'SRC COMMIT', width: 10, priority: 1, align: 'right' },
  { id: 'srcEnd', title: 'SRC END', width: 10, priority: 4, align: 'right' },
  { id: 'srcLag', title: 'SRC LAG', width: 8, priority: 0, align: 'right' },
  { id: 'tgtCommitted', title: 'TGT COMMIT', width: 10, priority: 1, align: 'right' },
  { id: 'tgtEnd', title: 'TGT END', width: 10, priority: 4, align: 'right' },
  { id: 'tgtLag', title: 'TGT LAG', width: 8, priority: 0, align: 'right' },
  { id: 'translation', title: 'TRANSLATION', width: 17, priority: 2 },
  { id: 'checkpoint', title: 'CKPT AGE', width: 10, priority: 3 },
  { id: 'owner', title: 'OWNER', width: 14, priority: 5 },
];

function partitionLagCell(p: GroupPartition | null): Cell {
  if (!p) return MISSING_CELL;
  const cell = lagCell(p.lag, 8, p.negative);
  // The committed offset's records were deleted: the lag counts records that are no longer there.
  return p.belowLogStart ? { ...cell, tone: 'crit' } : cell;
}

function ownerOf(row: GroupPartitionRow): string {
  const owner = row.target?.owner ?? row.source?.owner ?? null;
  return owner ? escapeForTerminal(owner.clientId) : '-';
}

/** `protocol: source classic, target consumer`: the side whose consumers moved to KIP-848 shows here. */
function protocolSummary(group: GroupRow): string {
  const sides = [
    group.source ? `source ${group.source.protocol}` : null,
    group.target ? `target ${group.target.protocol}` : null,
  ].filter(Boolean);
  return `protocol: ${sides.join(', ')}`;
}

function sideSummary(side: string, g: GroupInfo | null): string {
  if (!g) return `${side}: none`;
  return `${side}: ${escapeForTerminal(g.state)}, ${plural(g.members, 'member')}, lag ${formatCount(g.totalLag)}`;
}

export function GroupPartitionsPane(props: {
  frame: PaneFrame;
  group: GroupRow | null;
  groupId: string;
  rows: readonly GroupPartitionRow[];
  selectedKey: string | null;
  nowMs: number;
  takenAtMs: number;
}) {
  const { frame, group, groupId, rows, selectedKey, nowMs, takenAtMs } = props;
  const g = frame.glyphs;
  if (!group) return <GonePane frame={frame} item={`group ${escapeForTerminal(groupId)}`} />;
  const table: TableRow[] = rows.map((row) => {
    const t = row.translation;
    return {
      key: row.key,
      cells: {
        topic: { text: row.topic },
        p: { text: String(row.partition) },
        srcCommitted: { text: fitCount(row.source?.committed, 10) },
        srcEnd: { text: fitCount(row.source?.logEnd, 10) },
        srcLag: partitionLagCell(row.source),
        tgtCommitted: { text: fitCount(row.target?.committed, 10) },
        tgtEnd: { text: fitCount(row.target?.logEnd, 10) },
        tgtLag: partitionLagCell(row.target),
        translation: t
          ? { text: `${formatCount(t.upstreamOffset)} ${g.arrow} ${formatCount(t.downstreamOffset)}` }
          : MISSING_CELL,
        checkpoint: checkpointCell(
          t ? nowMs - t.recordTimestampMs : null,
          g,
          false,
          t !== null && t !== undefined && t.upstreamOffset === row.source?.committed,
        ),
        owner: { text: ownerOf(row) },
      },
    };
  });
  const checkpoint = group.checkpoint;
  const sides: Segment[] = [
    { text: sideSummary('source', group.source) },
    { text: ` ${g.separator} ` },
    { text: sideSummary('target', group.target) },
    { text: ` ${g.separator} ` },
    group.move
      ? { text: `moved to the target (no translation): ${describeMove(group.move)}`, tone: 'warn' }
      : checkpoint
        ? {
            text: `checkpoints ${checkpoint.partitions} partitions, newest ${formatAge(liveAge(checkpoint.ageMs, takenAtMs, nowMs))} ago`,
          }
        : { text: 'no checkpoint from MM2', tone: group.untranslated ? 'warn' : 'muted' },
  ];
  const title: Segment[] = [
    { text: `group ${group.name}`, bold: true },
    ...(group.negative ? [{ text: '  negative lag: committed beyond log end', tone: 'crit' as const }] : []),
    ...(group.belowLogStart > 0
      ? [
          {
            text: `  ${plural(group.belowLogStart, 'partition')} committed below the log start: records not read were deleted, consumers reset per auto.offset.reset`,
            tone: 'crit' as const,
          },
        ]
      : []),
    { text: `  ${protocolSummary(group)}` },
    { text: '  Esc back', tone: 'muted' },
  ];
  return (
    <TablePane
      frame={frame}
      title={title}
      subtitle={sides}
      columns={PARTITION_COLUMNS}
      rows={table}
      selectedKey={selectedKey}
    />
  );
}
