import { Box } from 'ink';
import { clusterReplicaHealth, describeReplicaHealth } from '../model/replicas.js';
import type {
  ClusterView,
  ConnectorView,
  DataSourceHealth,
  DataSourceName,
  Mm1View,
  Snapshot,
} from '../monitor/snapshot.js';
import { displayWidth, escapeForTerminal } from '../util/escape.js';
import { Line, type Segment } from './components/Line.js';
import { DATA_SOURCES } from './events.js';
import { formatClock, formatInterval, plural } from './format.js';
import type { Glyphs } from './glyphs.js';
import { PANES, type PaneId } from './keymap.js';
import { healthLabel, healthMark } from './labels.js';
import { oncePerSnapshot } from './lists.js';
import { fitCell } from './table.js';
import type { Tone } from './theme.js';

export interface HeaderProps {
  snapshot: Snapshot | null;
  nowMs: number;
  width: number;
  color: boolean;
  glyphs: Glyphs;
  origin: string | null;
  /** MM2 flows the console can show (`f` cycles them); the snapshot names the selected one. */
  flows?: number;
}

/** Lines the header takes: the full form, or one line on short terminals. */
export function headerHeight(rows: number): number {
  return rows >= 16 ? 3 : 1;
}

/** Once per snapshot: the header redraws every second, and a cluster can have 100,000 partitions. */
const clusterReplicas = oncePerSnapshot((view: ClusterView) => clusterReplicaHealth(view.topics));

function clusterLine(
  role: 'source' | 'target',
  view: ClusterView,
  health: DataSourceHealth,
  props: HeaderProps,
): Segment[] {
  const g = props.glyphs;
  const status = healthLabel(health, props.nowMs, g);
  const brokers = view.brokers.length;
  const replicas = clusterReplicas(view);
  const replicaText = describeReplicaHealth(replicas);
  return [
    { text: `${role.toUpperCase()} `, bold: true },
    { text: escapeForTerminal(view.alias), bold: true, tone: 'accent' },
    { text: `  ${escapeForTerminal(view.bootstrap.join(','))}` },
    {
      text: `  Kafka ${view.version ? escapeForTerminal(view.version) : '?'}  ${plural(brokers, 'broker')}  `,
      tone: 'muted',
    },
    ...(replicaText
      ? [
          {
            text: `${replicas.offline > 0 ? g.crit : g.warn} ${replicaText}  `,
            tone: (replicas.offline > 0 ? 'crit' : 'warn') as Tone,
            bold: true,
          },
        ]
      : []),
    { text: status.text, tone: status.tone, bold: status.tone === 'crit' },
    ...(status.error ? [{ text: `  last error: ${status.error}`, tone: 'crit' as Tone }] : []),
  ];
}

/** `✓ 3 connectors RUNNING, tasks 4/4`, with the symbol and tone of the worst state. */
export function connectorSummary(connectors: readonly ConnectorView[], g: Glyphs): Segment {
  if (connectors.length === 0) return { text: '- no connector found', tone: 'muted' };
  const byState = new Map<string, number>();
  for (const c of connectors) byState.set(c.state, (byState.get(c.state) ?? 0) + 1);
  const tasks = connectors.flatMap((c) => c.tasks);
  const runningTasks = tasks.filter((t) => t.state === 'RUNNING').length;
  const failed = connectors.some((c) => c.state === 'FAILED') || tasks.some((t) => t.state === 'FAILED');
  const allRunning = connectors.every((c) => c.state === 'RUNNING') && runningTasks === tasks.length;
  const states =
    byState.size === 1
      ? `${plural(connectors.length, 'connector')} ${escapeForTerminal(connectors[0]!.state)}`
      : `${plural(connectors.length, 'connector')}: ${[...byState.entries()].map(([state, n]) => `${n} ${escapeForTerminal(state)}`).join(', ')}`;
  const symbol = failed ? g.crit : allRunning ? g.ok : g.warn;
  return {
    text: `${symbol} ${states}, tasks ${runningTasks}/${tasks.length}${allRunning ? '' : ' RUNNING'}`,
    tone: failed ? 'crit' : allRunning ? 'ok' : 'warn',
  };
}

/** `MM1 ✓ group mirrormaker, 2 members`: MirrorMaker 1 runs when its group on the source has members. */
function mm1Summary(view: Mm1View, g: Glyphs): Segment[] {
  const running = view.state !== null && view.members > 0;
  const state = view.state === null ? 'absent' : `${plural(view.members, 'member')}`;
  return [
    { text: 'MM1 ', bold: true },
    {
      text: `${running ? g.ok : g.warn} group ${escapeForTerminal(view.group)}, ${state}`,
      tone: running ? 'ok' : 'warn',
    },
  ];
}

const SHORT_NAMES: Partial<Record<DataSourceName, string>> = { 'mm2-internal': 'internal' };

/**
 * `flow old→new (f: 2 flows) │ `: with several flows, the selected one and that `f` switches. With one
 * flow the SOURCE and TARGET lines name it already.
 */
function flowSegments(s: Snapshot, props: HeaderProps): Segment[] {
  const g = props.glyphs;
  const flows = props.flows ?? 1;
  if (flows < 2) return [];
  return [
    { text: 'flow ', bold: true },
    { text: `${escapeForTerminal(s.flow.source)}${g.arrow}${escapeForTerminal(s.flow.target)}`, bold: true },
    { text: ` (f: ${flows} flows)`, tone: 'muted' },
    { text: ` ${g.separator} ` },
  ];
}

function mirrorLine(s: Snapshot, props: HeaderProps): Segment[] {
  const g = props.glyphs;
  const out: Segment[] = [
    ...flowSegments(s, props),
    ...(s.mirror.mm1
      ? mm1Summary(s.mirror.mm1, g)
      : [{ text: 'MM2 ', bold: true }, connectorSummary(s.connectors, g)]),
    { text: ` ${g.separator}` },
  ];
  for (const name of DATA_SOURCES) {
    if (name === 'source' || name === 'target') continue;
    const mark = healthMark(s.health[name], props.nowMs, g);
    out.push({ text: ` ${SHORT_NAMES[name] ?? name} ` }, { text: mark.text, tone: mark.tone });
  }
  if (props.origin) out.push({ text: ` ${g.separator} ${escapeForTerminal(props.origin)}`, tone: 'muted' });
  return out;
}

function compactLine(s: Snapshot, props: HeaderProps): Segment[] {
  const g = props.glyphs;
  const side = (view: ClusterView, health: DataSourceHealth): Segment[] => {
    const status = healthLabel(health, props.nowMs, g);
    return [
      { text: `${escapeForTerminal(view.alias)} `, bold: true },
      { text: status.text, tone: status.tone },
    ];
  };
  return [
    ...side(s.source, s.health.source),
    { text: ` ${g.arrow} ` },
    ...side(s.target, s.health.target),
    { text: `  ${g.separator} ` },
    ...(s.mirror.mm1 ? mm1Summary(s.mirror.mm1, g) : [connectorSummary(s.connectors, g)]),
  ];
}

export function Header(props: HeaderProps & { lines: number }) {
  const { snapshot: s, color, lines } = props;
  if (!s) {
    const waiting = [
      { text: 'mirrorwatch', bold: true },
      { text: '  waiting for the first snapshot…', tone: 'muted' as Tone },
    ];
    return (
      <Box flexDirection="column">
        <Line segments={waiting} color={color} />
        {lines === 3 ? <Line segments={[]} color={color} /> : null}
        {lines === 3 ? <Line segments={[]} color={color} /> : null}
      </Box>
    );
  }
  if (lines === 1) return <Line segments={compactLine(s, props)} color={color} />;
  return (
    <Box flexDirection="column">
      <Line segments={clusterLine('source', s.source, s.health.source, props)} color={color} />
      <Line segments={clusterLine('target', s.target, s.health.target, props)} color={color} />
      <Line segments={mirrorLine(s, props)} color={color} />
    </Box>
  );
}

export interface TabBarProps {
  pane: PaneId;
  snapshot: Snapshot | null;
  paused: boolean;
  readOnly: boolean;
  intervalMs: number;
  width: number;
  color: boolean;
}

/** Pane tabs on the left; refresh time, interval, PAUSED and READ-ONLY on the right. */
export function TabBar(props: TabBarProps) {
  const { pane, snapshot, paused, readOnly, intervalMs, width, color } = props;
  const tabs: Segment[] = [];
  PANES.forEach((p, i) => {
    const active = p.id === pane;
    const label = `${i + 1} ${p.title}`;
    tabs.push({ text: active ? `[${label}]` : ` ${label} `, bold: active, tone: active ? 'info' : 'muted' });
  });
  const markers: Segment[] = [];
  if (paused) markers.push({ text: ' PAUSED', tone: 'warn', bold: true });
  if (readOnly) markers.push({ text: ' READ-ONLY', tone: 'warn', bold: true });
  const refreshed = snapshot ? `refreshed ${formatClock(snapshot.takenAtMs)}` : 'not refreshed yet';
  const used =
    tabs.reduce((n, s) => n + displayWidth(s.text), 0) +
    markers.reduce((n, s) => n + displayWidth(s.text), 0);
  const room = width - used - 1;
  const long = ` ${refreshed} ${formatInterval(intervalMs)}`;
  const clock = ` ${snapshot ? formatClock(snapshot.takenAtMs) : '-'}`;
  const medium = `${clock} ${formatInterval(intervalMs)}`;
  const status = displayWidth(long) <= room ? long : displayWidth(medium) <= room ? medium : clock;
  const gap = Math.max(1, room - displayWidth(status) + 1);
  return (
    <Line
      segments={[
        ...tabs,
        { text: fitCell('', gap) },
        { text: status.trimStart(), tone: 'muted' },
        ...markers,
      ]}
      color={color}
    />
  );
}
