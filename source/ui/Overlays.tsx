import { Box } from 'ink';
import type { PlannedTopic } from '../actions/types.js';
import { remoteTopicName } from '../config/replication-policy.js';
import type { Snapshot } from '../monitor/snapshot.js';
import { escapeForTerminal } from '../util/escape.js';
import { Line, type Segment } from './components/Line.js';
import { plural } from './format.js';
import type { Glyphs } from './glyphs.js';
import { HELP, type Overlay } from './keymap.js';
import { fitCell, wrapText } from './table.js';
import { toneColor } from './theme.js';

/** Border (2) plus the dialog's title line. */
const DIALOG_CHROME = 3;

/** Lines of a planned topic in the create dialog: names and settings, then its configs. */
const PLAN_LINES = 2;

/** How many items an overlay shows at once (help entries, planned topics), for scrolling. */
export function overlayCapacity(overlay: Overlay | null, paneHeight: number): number {
  const inner = Math.max(1, paneHeight - DIALOG_CHROME);
  if (overlay?.kind === 'create-topics') return Math.max(1, Math.floor((inner - 1) / PLAN_LINES));
  return inner;
}

function Dialog(props: {
  title: string;
  tone: 'info' | 'warn' | 'crit';
  lines: readonly Segment[][];
  width: number;
  height: number;
  color: boolean;
  glyphs: Glyphs;
}) {
  const { title, tone, lines, width, height, color, glyphs } = props;
  const shown = lines.slice(0, Math.max(0, height - DIALOG_CHROME));
  return (
    <Box
      flexDirection="column"
      width={width}
      borderStyle={glyphs.ascii ? 'classic' : 'round'}
      borderColor={toneColor(tone, color)}
      paddingX={1}
    >
      <Line segments={[{ text: title, bold: true, tone }]} color={color} />
      {shown.map((segments, i) => (
        // lines are positional: a dialog's content is rebuilt on every render
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <Line key={i} segments={segments} color={color} />
      ))}
    </Box>
  );
}

export interface OverlayProps {
  overlay: Overlay;
  snapshot: Snapshot | null;
  width: number;
  height: number;
  color: boolean;
  glyphs: Glyphs;
}

function helpLines(offset: number, capacity: number): Segment[][] {
  return HELP.slice(offset, offset + capacity).map(([keys, what]) => [
    { text: fitCell(keys, 17), tone: 'info' },
    { text: what },
  ]);
}

function planLines(plan: readonly PlannedTopic[], offset: number, capacity: number, g: Glyphs): Segment[][] {
  const out: Segment[][] = [];
  for (const t of plan.slice(offset, offset + capacity)) {
    const configs = Object.entries(t.configs)
      .map(([k, v]) => `${escapeForTerminal(k)}=${escapeForTerminal(v)}`)
      .join(' ');
    out.push([
      { text: escapeForTerminal(t.target), bold: true },
      { text: ` ${g.from} ${escapeForTerminal(t.source)}`, tone: 'muted' },
      { text: `  partitions ${t.partitions}  RF ${t.replicationFactor}` },
    ]);
    out.push([{ text: `    configs: ${configs === '' ? '(defaults)' : configs}`, tone: 'muted' }]);
  }
  return out;
}

function createDialog(
  overlay: Extract<Overlay, { kind: 'create-topics' }>,
  props: OverlayProps,
): Segment[][] {
  const capacity = overlayCapacity(overlay, props.height);
  if (overlay.status === 'planning') return [[{ text: 'Planning the missing topics…', tone: 'muted' }]];
  if (overlay.status === 'failed') {
    return [
      [{ text: `Planning failed: ${escapeForTerminal(overlay.error ?? 'unknown error')}`, tone: 'crit' }],
    ];
  }
  if (overlay.plan.length === 0) {
    return [[{ text: 'Nothing to create: every source topic has its mirror on the target.', tone: 'ok' }]];
  }
  const target = props.snapshot
    ? ` ${escapeForTerminal(props.snapshot.target.alias)} (${escapeForTerminal(props.snapshot.target.bootstrap.join(','))})`
    : '';
  const last = Math.min(overlay.plan.length, overlay.offset + capacity);
  const range =
    overlay.plan.length > capacity ? `  showing ${overlay.offset + 1}-${last} of ${overlay.plan.length}` : '';
  return [
    [
      { text: `Create ${plural(overlay.plan.length, 'topic')} on the target${target}?` },
      { text: range, tone: 'muted' },
    ],
    ...planLines(overlay.plan, overlay.offset, capacity, props.glyphs),
  ];
}

function checkDialog(topic: string, props: OverlayProps): Segment[][] {
  const s = props.snapshot;
  const targetName = s ? remoteTopicName(s.flow.policy, s.flow.source, topic) : topic;
  return [
    [{ text: `Read ${escapeForTerminal(topic)} from the beginning on:` }],
    [
      { text: '  s', tone: 'info', bold: true },
      { text: `  source ${s ? escapeForTerminal(s.source.alias) : ''}: ${escapeForTerminal(topic)}` },
    ],
    [
      { text: '  t', tone: 'info', bold: true },
      { text: `  target ${s ? escapeForTerminal(s.target.alias) : ''}: ${escapeForTerminal(targetName)}` },
    ],
    [{ text: 'It counts the records per partition, then compares with the other cluster.', tone: 'muted' }],
  ];
}

export function OverlayView(props: OverlayProps) {
  const { overlay, width, height, color, glyphs } = props;
  const dialogWidth = Math.min(width, 110);
  const inner = dialogWidth - 4;
  const common = { width: dialogWidth, height, color, glyphs };
  switch (overlay.kind) {
    case 'help':
      return (
        <Dialog
          {...common}
          title="Keys"
          tone="info"
          lines={helpLines(overlay.offset, overlayCapacity(overlay, height))}
        />
      );
    case 'create-topics':
      return (
        <Dialog
          {...common}
          title="Create missing topics on the target"
          tone="warn"
          lines={createDialog(overlay, props)}
        />
      );
    case 'mirror': {
      const verb = overlay.op === 'stop' ? 'Stop' : 'Resume';
      const lines: Segment[][] = [
        [{ text: `${verb} the mirror? This will run:` }],
        ...wrapText(escapeForTerminal(overlay.description), inner - 2).map((l) => [
          { text: `  ${l}`, bold: true },
        ]),
        [{ text: `y ${overlay.op}   n/Esc cancel`, tone: 'muted' }],
      ];
      return (
        <Dialog
          {...common}
          title={`${verb} the mirror`}
          tone={overlay.op === 'stop' ? 'crit' : 'warn'}
          lines={lines}
        />
      );
    }
    case 'check-cluster':
      return (
        <Dialog {...common} title="Consumer check" tone="info" lines={checkDialog(overlay.topic, props)} />
      );
    default:
      return null;
  }
}
