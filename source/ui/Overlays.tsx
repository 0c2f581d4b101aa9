import { Box } from 'ink';
import type { PlannedTopic } from '../actions/types.js';
import { remoteTopicName } from '../config/replication-policy.js';
import { type Runbook, readyToStopMirror } from '../model/runbook.js';
import type { Snapshot } from '../monitor/snapshot.js';
import { escapeForTerminal } from '../util/escape.js';
import { Line, type Segment } from './components/Line.js';
import { plural } from './format.js';
import type { Glyphs } from './glyphs.js';
import { HELP, type Overlay } from './keymap.js';
import { stepSymbol } from './panes/cutover-model.js';
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
  /** The migration runbook, shown when stopping the mirror. */
  runbook: Runbook | null;
  width: number;
  height: number;
  color: boolean;
  glyphs: Glyphs;
}

/** The runbook in the stop dialog: the verdict, what is not done, the typed confirmation, then every step. */
function stopRunbookLines(
  overlay: Extract<Overlay, { kind: 'mirror' }>,
  book: Runbook | null,
  inner: number,
  g: Glyphs,
): Segment[][] {
  if (!book) return [[{ text: 'Runbook: not known yet (no snapshot).', tone: 'muted' }]];
  const lines: Segment[][] = [];
  const blocking = book.steps.find((s) => s.id !== 'mirror-stopped' && !s.done) ?? null;
  if (blocking) {
    lines.push([
      { text: 'Runbook NOT DONE: ', tone: 'crit', bold: true },
      { text: `step ${blocking.number}, ${blocking.title}` },
    ]);
    for (const l of wrapText(escapeForTerminal(blocking.reason), inner - 4))
      lines.push([{ text: `    ${l}`, tone: 'warn' }]);
  } else {
    lines.push([
      { text: 'Runbook: ', bold: true },
      {
        text: readyToStopMirror(book) ? 'steps 1-6 done, stopping the mirror is the last step' : '',
        tone: 'ok',
      },
    ]);
  }
  if (overlay.typed) {
    lines.push([
      { text: `Type ${overlay.typed.flow} and Enter to stop anyway: `, bold: true },
      { text: `${overlay.typed.buffer}${g.cursor}`, tone: 'info' },
    ]);
  }
  for (const step of book.steps) {
    const symbol = stepSymbol(step, g);
    lines.push([
      { text: `  ${symbol.text}`, tone: symbol.tone },
      { text: ` ${step.number} ${step.title}`, tone: step.done ? 'plain' : 'muted' },
    ]);
  }
  return lines;
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
    const configsText = {
      text: `configs: ${configs === '' ? '(defaults)' : configs}`,
      tone: 'muted',
    } as const;
    out.push(
      t.refused !== undefined
        ? [{ text: `    ${g.crit} refused: ${escapeForTerminal(t.refused)}`, tone: 'crit' }]
        : t.refusedToMm2 !== undefined
          ? [
              { text: `    ${g.warn} MM2 cannot create it (see Events), these configs can; `, tone: 'warn' },
              configsText,
            ]
          : [{ ...configsText, text: `    ${configsText.text}` }],
    );
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
  const refused = overlay.plan.filter((t) => t.refused !== undefined).length;
  return [
    [
      { text: `Create ${plural(overlay.plan.length, 'topic')} on the target${target}?` },
      ...(refused > 0 ? [{ text: `  ${refused} refused by the target`, tone: 'crit' as const }] : []),
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
        ...(overlay.op === 'stop' ? stopRunbookLines(overlay, props.runbook, inner, glyphs) : []),
        ...(overlay.typed ? [] : [[{ text: `y ${overlay.op}   n/Esc cancel`, tone: 'muted' as const }]]),
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
