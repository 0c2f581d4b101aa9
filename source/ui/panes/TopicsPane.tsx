import type { MirrorKind } from '../../config/mirror-kind.js';
import { describeReplicaHealth } from '../../model/replicas.js';
import type { MirrorTopic, Snapshot } from '../../monitor/snapshot.js';
import type { Segment } from '../components/Line.js';
import type { TableRow } from '../components/Table.js';
import { fitCount, formatCount } from '../format.js';
import type { Glyphs } from '../glyphs.js';
import { mirrorStateLabel } from '../labels.js';
import type { ColumnSpec } from '../table.js';
import { lagCell } from './cells.js';
import { behindCell, statusCell, trendCell } from './convergence-model.js';
import type { PaneFrame } from './frame.js';
import { GonePane, TablePane } from './TablePane.js';
import { stateCounts, type TopicPartitionRow, type TopicRow, timingText } from './topics-model.js';

/** Lines above the rows: the summary (or drill title) and the column titles. */
export const TOPICS_CHROME = 2;

const TOPIC_COLUMNS: ColumnSpec[] = [
  { id: 'state', title: 'STATE', width: 11, priority: 0 },
  { id: 'source', title: 'SOURCE TOPIC', width: 14, priority: 0, flex: true },
  { id: 'target', title: 'TARGET TOPIC', width: 14, priority: 4, flex: true },
  { id: 'parts', title: 'PARTS', width: 7, priority: 1, align: 'right' },
  { id: 'srcRecords', title: 'SRC OFFS', width: 10, priority: 2, align: 'right' },
  { id: 'tgtRecords', title: 'TGT OFFS', width: 10, priority: 3, align: 'right' },
  { id: 'lag', title: 'MM2 LAG', width: 9, priority: 0, align: 'right' },
  { id: 'status', title: 'STATUS', width: 6, priority: 5 },
  { id: 'behind', title: 'LAG TIME', width: 8, priority: 5, align: 'right' },
  { id: 'trend', title: 'TREND', width: 13, priority: 6 },
];

const CONVERGENCE = new Set(['status', 'behind', 'trend']);
/** Below this width the convergence columns would cut the topic names: they are left out. */
export const CONVERGENCE_MIN_WIDTH = 140;

function summary(snapshot: Snapshot, g: Glyphs): Segment[] {
  const topics = snapshot.mirror.topics;
  const counts = stateCounts(topics);
  const out: Segment[] = [{ text: `${topics.length} topics`, bold: true }];
  for (const state of [
    'in-sync',
    'mirroring',
    'partition-mismatch',
    'missing',
    'unknown',
    'not-mirrored',
  ] as const) {
    if (counts[state] === 0) continue;
    const label = mirrorStateLabel(state, g);
    out.push({ text: ' · ' }, { text: `${counts[state]} ${label.text}`, tone: label.tone });
    // All of them, when a config MM2 copies is one the target refuses (a dynamic broker config of the source).
    const refused = state === 'missing' ? (snapshot.mirror.refusedTopics?.size ?? 0) : 0;
    if (refused > 0) out.push({ text: ` (${refused} refused by the target)`, tone: label.tone });
  }
  const from = snapshot.mirror.positionsFrom;
  const mirror = snapshot.mirror.kind === 'mm1' ? 'MM1' : 'MM2';
  out.push({ text: ` · ${mirror} lag ${formatCount(snapshot.mirror.totalLag)}` });
  out.push({ text: from ? ` (positions: ${from})` : ` (${mirror} positions unknown)`, tone: 'muted' });
  return out;
}

export function TopicsPane(props: {
  frame: PaneFrame;
  snapshot: Snapshot;
  rows: readonly TopicRow[];
  selectedKey: string | null;
}) {
  const { frame, snapshot, rows, selectedKey } = props;
  const sameNames = snapshot.mirror.topics.every((t) => t.source === t.target);
  // `– not mirrored` is wider than the other states: the column grows only when a topic shows it.
  const notMirrored = snapshot.mirror.topics.some((t) => t.state === 'not-mirrored');
  const columns = TOPIC_COLUMNS.filter(
    (c) =>
      !(sameNames && c.id === 'target') && (frame.width >= CONVERGENCE_MIN_WIDTH || !CONVERGENCE.has(c.id)),
  )
    .map((c) => (notMirrored && c.id === 'state' ? { ...c, width: 14 } : c))
    .map((c) => (c.id === 'lag' ? { ...c, title: `${mirrorName(snapshot.mirror.kind)} LAG` } : c));
  const refused = snapshot.mirror.refusedTopics;
  const table: TableRow[] = rows.map((row) => {
    const t = row.topic;
    const refusal = t.state === 'missing' ? refused?.get(t.target) : undefined;
    const state = mirrorStateLabel(t.state, frame.glyphs);
    const parts = `${t.sourcePartitions}/${t.targetPartitions ?? '-'}`;
    return {
      key: row.key,
      cells: {
        state: { text: state.text, tone: state.tone },
        // A topic with partitions offline or under-replicated (on either cluster) says so beside its name.
        // A missing topic the target refuses says so (the reason: Enter, and Events).
        source:
          refusal !== undefined
            ? { text: `${row.sourceName} ${frame.glyphs.crit} refused by the target`, tone: 'crit' }
            : row.replicas.offline > 0 || row.replicas.underReplicated > 0
              ? {
                  text: `${row.sourceName} ${row.replicas.offline > 0 ? frame.glyphs.crit : frame.glyphs.warn} ${describeReplicaHealth(row.replicas)}`,
                  tone: row.replicas.offline > 0 ? 'crit' : 'warn',
                }
              : { text: row.sourceName },
        target: { text: row.targetName, tone: 'muted' },
        parts: { text: parts, tone: t.state === 'partition-mismatch' ? 'crit' : 'plain' },
        srcRecords: { text: fitCount(t.sourceRecords, 10) },
        tgtRecords: { text: fitCount(t.targetRecords, 10) },
        lag: lagCell(t.lag, 9),
        status: statusCell(row.evaluation),
        behind: behindCell(row.evaluation),
        trend: trendCell(row.evaluation, frame.glyphs),
      },
    };
  });
  return (
    <TablePane
      frame={frame}
      title={summary(snapshot, frame.glyphs)}
      columns={columns}
      rows={table}
      selectedKey={selectedKey}
    />
  );
}

const PARTITION_COLUMNS: ColumnSpec[] = [
  { id: 'p', title: 'P', width: 4, priority: 0, align: 'right' },
  { id: 'srcEarliest', title: 'SRC FIRST', width: 10, priority: 4, align: 'right' },
  { id: 'srcLatest', title: 'SRC END', width: 10, priority: 0, align: 'right' },
  { id: 'tgtEarliest', title: 'TGT FIRST', width: 10, priority: 4, align: 'right' },
  { id: 'tgtLatest', title: 'TGT END', width: 10, priority: 1, align: 'right' },
  { id: 'position', title: 'MM2 POS', width: 10, priority: 1, align: 'right' },
  { id: 'lag', title: 'MM2 LAG', width: 8, priority: 0, align: 'right' },
  { id: 'count', title: 'REPLICATED', width: 10, priority: 2, align: 'right' },
  { id: 'age', title: 'REC AGE', width: 7, priority: 2, align: 'right' },
  { id: 'latency', title: 'LATENCY', width: 7, priority: 3, align: 'right' },
];

/** `refused`: why the target refuses to create the missing topic (escaped); it takes the line's figures' place. */
function drillTitle(
  topic: MirrorTopic,
  names: { source: string; target: string },
  g: Glyphs,
  refused: string | undefined,
): Segment[] {
  const state = mirrorStateLabel(topic.state, g);
  return [
    { text: names.source, bold: true },
    { text: ` ${g.arrow} ${names.target}  ` },
    { text: state.text, tone: state.tone },
    refused !== undefined
      ? { text: `  the target refuses to create it: ${refused}`, tone: 'crit' }
      : {
          text: `  partitions ${topic.sourcePartitions}/${topic.targetPartitions ?? '-'}  offsets ${formatCount(topic.sourceRecords)}/${formatCount(topic.targetRecords)}  lag ${formatCount(topic.lag)}`,
        },
    { text: '  Esc back', tone: 'muted' },
  ];
}

/** The mirror as the column titles name it: MM2, or MM1 (its group's committed offsets). */
function mirrorName(kind: MirrorKind | undefined): string {
  return kind === 'mm1' ? 'MM1' : 'MM2';
}

export function TopicPartitionsPane(props: {
  frame: PaneFrame;
  mirrorKind?: MirrorKind;
  /** Why the target refuses to create this missing topic, escaped. */
  refused?: string;
  topic: MirrorTopic | null;
  names: { source: string; target: string };
  rows: readonly TopicPartitionRow[];
  selectedKey: string | null;
}) {
  const { frame, topic, names, rows, selectedKey } = props;
  if (!topic) return <GonePane frame={frame} item={names.source} guess="(deleted?)" />;
  const table: TableRow[] = rows.map(({ key, partition: p }) => ({
    key,
    cells: {
      p: { text: String(p.partition) },
      srcEarliest: { text: fitCount(p.sourceEarliest, 10) },
      srcLatest: { text: fitCount(p.sourceLatest, 10) },
      tgtEarliest: { text: fitCount(p.targetEarliest, 10) },
      tgtLatest: { text: fitCount(p.targetLatest, 10) },
      position: { text: fitCount(p.mm2Position, 10) },
      lag: lagCell(p.lag, 8),
      count: { text: fitCount(p.recordCount, 10) },
      age: { text: timingText(p, p.recordAgeMs), tone: p.idle ? 'muted' : 'plain' },
      latency: { text: timingText(p, p.replicationLatencyMs), tone: p.idle ? 'muted' : 'plain' },
    },
  }));
  return (
    <TablePane
      frame={frame}
      title={drillTitle(topic, names, frame.glyphs, props.refused)}
      columns={PARTITION_COLUMNS.map((c) =>
        c.id === 'lag' || c.id === 'position'
          ? { ...c, title: c.title.replace('MM2', mirrorName(props.mirrorKind)) }
          : c,
      )}
      rows={table}
      selectedKey={selectedKey}
    />
  );
}
