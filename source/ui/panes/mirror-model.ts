/** The Mirror pane as lines: heartbeats, checkpoints, MM2 metrics with sparklines, connectors. */
import {
  type FreshnessThresholds,
  formatAge,
  freshnessLevel,
  HEARTBEAT_THRESHOLDS,
} from '../../model/freshness.js';
import { MM1_LAG_NOTE } from '../../model/mm1.js';
import { intervalRates, rate, sparkline } from '../../model/rate.js';
import type { Snapshot, TimingSummary } from '../../monitor/snapshot.js';
import { escapeForTerminal } from '../../util/escape.js';
import type { Segment } from '../components/Line.js';
import { formatCount, formatDuration, formatRate, plural } from '../format.js';
import type { Glyphs } from '../glyphs.js';
import { connectStateLabel, freshnessLabel } from '../labels.js';
import { type ListRow, searchText } from '../lists.js';
import { fitCell } from '../table.js';
import { convergenceLine, convergenceOf } from './convergence-model.js';
import { CHECKPOINT_THRESHOLDS, liveAge } from './GroupsPane.js';

export interface TextRow extends ListRow {
  segments: Segment[];
}

const RATE_WINDOW_MS = 60_000;
const LABEL_WIDTH = 20;

function row(key: string, segments: Segment[]): TextRow {
  return { key, search: searchText(segments.map((s) => s.text).join('')), segments };
}

/** The label column of a metrics or probe line. */
function label(text: string): Segment {
  return { text: `  ${fitCell(text, LABEL_WIDTH - 2)} ` };
}

function sectionRow(key: string, title: string, note: string): TextRow {
  return row(key, [
    { text: title, bold: true },
    { text: `  ${note}`, tone: 'muted' },
  ]);
}

/** A freshness section: its title with the thresholds, then one line per item with its live age. */
function freshnessRows<T>(
  s: Snapshot,
  nowMs: number,
  g: Glyphs,
  section: {
    key: string;
    title: string;
    /** What the newest timestamp is kept per (`flow`, `group`). */
    per: string;
    thresholds: FreshnessThresholds;
    items: readonly T[];
    /** The line shown when there is no item. */
    none: Segment;
    /** `current`: fresh whatever its age (a checkpoint of a group that has not moved since). */
    line: (item: T) => { key: string; label: string; ageMs: number; more: Segment[]; current?: boolean };
  },
): TextRow[] {
  const { key, thresholds } = section;
  const out = [
    sectionRow(
      key,
      section.title,
      `newest per ${section.per} · warn at ${formatAge(thresholds.warnMs)}, crit at ${formatAge(thresholds.critMs)}`,
    ),
  ];
  if (section.items.length === 0) out.push(row(`${key}:none`, [section.none]));
  for (const item of section.items) {
    const line = section.line(item);
    const age = liveAge(line.ageMs, s.takenAtMs, nowMs);
    const level = freshnessLabel(line.current ? 'ok' : freshnessLevel(age, thresholds), g);
    out.push(
      row(`${key}:${line.key}`, [
        { text: `  ${fitCell(line.label, LABEL_WIDTH - 2)} ` },
        { text: `age ${fitCell(formatAge(age), 7)} ` },
        { text: level.text, tone: level.tone },
        ...line.more,
      ]),
    );
  }
  return out;
}

function heartbeatRows(s: Snapshot, nowMs: number, g: Glyphs): TextRow[] {
  return freshnessRows(s, nowMs, g, {
    key: 'hb',
    title: 'HEARTBEATS',
    per: 'flow',
    thresholds: HEARTBEAT_THRESHOLDS,
    items: s.heartbeats,
    none: { text: '  no heartbeat found: is MirrorHeartbeatConnector running?', tone: 'warn' },
    line: (hb) => {
      const skew = hb.recordTimestampMs - hb.timestampMs;
      return {
        key: `${hb.source}\u0000${hb.target}`,
        label: `${escapeForTerminal(hb.source)} ${g.arrow} ${escapeForTerminal(hb.target)}`,
        ageMs: hb.ageMs,
        more: Math.abs(skew) >= 1000 ? [{ text: `  clock skew ${formatDuration(skew)}`, tone: 'muted' }] : [],
      };
    },
  });
}

function checkpointRows(s: Snapshot, nowMs: number, g: Glyphs): TextRow[] {
  return freshnessRows(s, nowMs, g, {
    key: 'ck',
    title: 'CHECKPOINTS',
    per: 'group',
    thresholds: CHECKPOINT_THRESHOLDS,
    items: s.checkpoints,
    none: {
      text: '  no checkpoint yet: no group translated (MirrorCheckpointConnector, groups filter)',
      tone: 'muted',
    },
    line: (c) => ({
      key: c.group,
      label: escapeForTerminal(c.group),
      ageMs: c.ageMs,
      current: c.current,
      more: [
        {
          text: `  ${plural(c.partitions, 'partition')}${c.current ? ', current (the group has not moved since)' : ''}`,
          tone: 'muted',
        },
      ],
    }),
  });
}

function metricsRows(s: Snapshot, width: number, g: Glyphs): TextRow[] {
  const out = [sectionRow('mx', 'REPLICATION', 'MM2 metrics and positions')];
  const health = s.health.metrics;
  if (!s.metrics) {
    const why = !health.configured
      ? 'metrics not configured (give the exporter URL to see record rate, age and latency)'
      : `no metrics: ${escapeForTerminal(health.lastError ?? 'not scraped yet')}`;
    out.push(row('mx:none', [{ text: `  ${why}`, tone: health.configured ? 'warn' : 'muted' }]));
  } else if (s.metrics.partitions.length === 0) {
    const families = s.metrics.families.map(escapeForTerminal);
    out.push(row('mx:empty', [{ text: '  no MM2 partition metrics in the scrape', tone: 'warn' }]));
    out.push(
      row('mx:families', [
        {
          text:
            families.length > 0
              ? `  families found: ${families.join(', ')}`
              : '  no kafka_connect_* families found',
          tone: 'muted',
        },
      ]),
    );
  } else {
    const history = s.metricsHistory;
    const samples = history.map((h) => ({ tsMs: h.atMs, value: h.recordCount }));
    const sparkWidth = Math.max(8, Math.min(40, width - LABEL_WIDTH - 32));
    const spark = (values: readonly (number | null)[]) => sparkline(values, sparkWidth, { ascii: g.ascii });
    const count = `${formatCount(s.metrics.totalRecordCount)}  ${formatRate(rate(samples, RATE_WINDOW_MS))}`;
    out.push(
      row('mx:count', [
        label('records replicated'),
        { text: fitCell(count, 28) },
        { text: spark(intervalRates(samples)), tone: 'info' },
      ]),
    );
    const timing = s.timing;
    const idle = timing !== undefined && timing.basis !== null && timing.replicating + timing.unknown === 0;
    const value = (ms: number | null | undefined) => (idle ? 'idle' : formatDuration(ms));
    out.push(
      row('mx:age', [
        label('max record age'),
        { text: fitCell(value(timing?.recordAgeMs), 28), tone: idle ? 'muted' : 'plain' },
        { text: spark(history.map((h) => h.maxRecordAgeMs)), tone: 'info' },
      ]),
    );
    out.push(
      row('mx:latency', [
        label('max repl. latency'),
        { text: fitCell(value(timing?.replicationLatencyMs), 28), tone: idle ? 'muted' : 'plain' },
        { text: spark(history.map((h) => h.maxReplicationLatencyMs)), tone: 'info' },
      ]),
    );
    if (timing) out.push(row('mx:timing', [label(''), timingNote(timing)]));
  }
  const from = s.mirror.positionsFrom;
  out.push(
    row('mx:lag', [
      label('MM2 lag'),
      {
        text: `${formatCount(s.mirror.totalLag)} records`,
        tone: (s.mirror.totalLag ?? 0) > 0 ? 'warn' : 'plain',
      },
      { text: from ? `  positions: ${escapeForTerminal(from)}` : '  MM2 positions unknown', tone: 'muted' },
    ]),
  );
  if (s.mirror.totalLag !== null) out.push(convergenceRow(s, width, g));
  return out;
}

/** MM2's convergence over the console's history: a sparkline of its total lag and where it is heading. */
function convergenceRow(s: Snapshot, width: number, g: Glyphs): TextRow {
  const m = convergenceOf(s).mirror();
  const sparkWidth = Math.max(8, Math.min(40, width - LABEL_WIDTH - 32));
  const tone = m.trend === 'growing' ? 'warn' : m.trend === 'caught-up' ? 'ok' : 'plain';
  return row('mx:convergence', [
    label('MM2 lag trend'),
    {
      text: sparkline(
        m.lagHistory.map((p) => p.lag),
        sparkWidth,
        { ascii: g.ascii },
      ),
      tone: 'info',
    },
    { text: `  ${convergenceLine(m)}`, tone },
  ]);
}

/** How the age and latency above were taken: over which partitions, from which MM2 attributes. */
function timingNote(t: TimingSummary): Segment {
  if (t.basis === null) return { text: 'no MM2 age or latency metrics in the scrape', tone: 'muted' };
  if (t.basis === 'last-value') {
    return {
      text: 'last-value gauges: no -max/-avg exported, an idle partition keeps its last age',
      tone: 'warn',
    };
  }
  const text =
    t.replicating === 0
      ? `no record in MM2's metric window (60 s by default), ${plural(t.idle, 'partition')} idle`
      : `MM2's windowed max (60 s by default) over ${t.replicating} replicating partitions, ${t.idle} idle`;
  return { text, tone: 'muted' };
}

function probeRows(s: Snapshot, nowMs: number, g: Glyphs): TextRow[] {
  const p = s.probe;
  if (!p) return [];
  const out = [
    sectionRow(
      'pr',
      'PROBE',
      `marker records ${escapeForTerminal(p.topic)} ${g.arrow} ${escapeForTerminal(p.targetTopic)} partition ${p.partition}, timed from outside MM2`,
    ),
  ];
  const arrived =
    p.lastArrivedAtMs === null
      ? ''
      : `  arrived ${formatAge(liveAge(p.atMs - p.lastArrivedAtMs, p.atMs, nowMs))} ago`;
  out.push(
    row('pr:last', [
      label('last latency'),
      { text: p.lastLatencyMs === null ? 'none arrived yet' : formatDuration(p.lastLatencyMs) },
      { text: `${arrived}  ${p.arrived}/${p.sent} markers arrived`, tone: 'muted' },
    ]),
  );
  if (p.pendingSinceMs !== null) {
    const pending = liveAge(p.atMs - p.pendingSinceMs, p.atMs, nowMs);
    out.push(
      row('pr:pending', [
        label('pending'),
        { text: `for ${formatDuration(pending)}`, tone: pending >= 10_000 ? 'warn' : 'plain' },
        { text: '  marker sent, not on the target yet', tone: 'muted' },
      ]),
    );
  }
  if (p.error) {
    out.push(
      row('pr:error', [
        label('error'),
        { text: escapeForTerminal(p.error), tone: 'crit' },
        { text: '  retrying', tone: 'muted' },
      ]),
    );
  }
  return out;
}

function connectorRows(s: Snapshot, g: Glyphs): TextRow[] {
  const out = [sectionRow('cn', 'CONNECTORS', 'state and tasks')];
  if (s.connectors.length === 0) {
    out.push(
      row('cn:none', [
        { text: '  no connector found (Connect REST or connector status metrics)', tone: 'muted' },
      ]),
    );
  }
  for (const c of s.connectors) {
    const state = connectStateLabel(c.state, g);
    out.push(
      row(`cn:${c.name}`, [
        { text: `  ${escapeForTerminal(c.name)}  ` },
        { text: state.text, tone: state.tone },
        {
          text: `  ${c.type ? escapeForTerminal(c.type) : ''} ${plural(c.tasks.length, 'task')} (${c.from})`,
          tone: 'muted',
        },
      ]),
    );
    for (const task of c.tasks) {
      const taskState = connectStateLabel(task.state, g);
      const trace = task.trace ? escapeForTerminal(task.trace.split('\n')[0] ?? '') : '';
      out.push(
        row(`cn:${c.name}\u0000${task.id}`, [
          { text: `    task ${task.id}  ` },
          { text: taskState.text, tone: taskState.tone },
          ...(trace ? [{ text: `  ${trace}`, tone: 'crit' as const }] : []),
        ]),
      );
    }
  }
  return out;
}

/** MirrorMaker 1 writes no heartbeats or checkpoints and has no connectors: its group and metrics instead. */
function mm1Rows(s: Snapshot): TextRow[] {
  const view = s.mirror.mm1;
  if (!view) return [];
  const m = s.metrics?.mm1;
  const group = escapeForTerminal(view.group);
  const running = view.state !== null && view.members > 0;
  const count = (n: number | null | undefined) => (n === null || n === undefined ? '-' : formatCount(n));
  return [
    sectionRow(
      'mm1',
      'MIRRORMAKER 1',
      'kafka.tools.MirrorMaker: no heartbeats, checkpoints or offset translation',
    ),
    row('mm1:group', [
      label('consumer group'),
      { text: `${group} ` },
      {
        text:
          view.state === null
            ? 'absent on the source'
            : `${escapeForTerminal(view.state)}, ${plural(view.members, 'member')}`,
        tone: running ? 'ok' : 'warn',
      },
      { text: `, ${plural(view.committedPartitions, 'partition')} committed`, tone: 'muted' },
    ]),
    row('mm1:include', [label('include'), { text: escapeForTerminal(view.include ?? '(every user topic)') }]),
    row('mm1:lag', [
      label('replication lag'),
      { text: `${count(s.mirror.totalLag)} ` },
      { text: MM1_LAG_NOTE, tone: 'muted' },
    ]),
    row('mm1:sent', [
      label('records sent'),
      { text: `${count(m?.recordsSent)}, send errors ` },
      { text: count(m?.recordErrors), tone: (m?.recordErrors ?? 0) > 0 ? 'crit' : 'plain' },
      { text: `, commits ${count(m?.commits)}`, tone: 'muted' },
    ]),
  ];
}

export function mirrorRows(s: Snapshot | null, nowMs: number, width: number, g: Glyphs): TextRow[] {
  if (!s) return [];
  if (s.mirror.kind === 'mm1') return [...mm1Rows(s), ...probeRows(s, nowMs, g)];
  return [
    ...heartbeatRows(s, nowMs, g),
    ...checkpointRows(s, nowMs, g),
    ...metricsRows(s, width, g),
    ...probeRows(s, nowMs, g),
    ...connectorRows(s, g),
  ];
}
