import { Line, type Segment } from './components/Line.js';
import type { EventLevel } from './events.js';
import type { Glyphs } from './glyphs.js';
import type { Overlay, PaneId } from './keymap.js';
import type { Tone } from './theme.js';

export interface Notice {
  level: EventLevel;
  text: string;
  atMs: number;
}

/** How long an action's message stays in the footer before the keys come back. */
export const NOTICE_MS = 5000;

const NOTICE_TONES: Record<EventLevel, Tone> = { info: 'info', ok: 'ok', warn: 'warn', error: 'crit' };

export interface FooterProps {
  pane: PaneId;
  drilled: boolean;
  overlay: Overlay | null;
  /** The filter in force on the list the filter prompt edits ('' for none). */
  currentFilter: string;
  /** The order the pane's list is sorted in, for lists that have several. */
  sortOrder: string | null;
  readOnly: boolean;
  checkRunning: boolean;
  notice: Notice | null;
  nowMs: number;
  color: boolean;
  glyphs: Glyphs;
}

function keyHints(props: FooterProps): string {
  const hints = ['? help', 'Tab/1-6 pane', 'j/k move'];
  if (props.pane === 'topics' || props.pane === 'groups')
    hints.push(props.drilled ? 'Esc back' : 'Enter open');
  if (props.pane === 'check' && props.checkRunning) hints.push('Esc stop check');
  hints.push('/ filter');
  if (props.sortOrder) hints.push(`o sort: ${props.sortOrder}`);
  hints.push('r refresh', 'p pause');
  if (props.pane === 'topics') hints.push('C check');
  if (!props.readOnly) hints.push('T create', 'S stop', 'R resume');
  hints.push('q quit');
  return hints.join('  ');
}

function overlayHints(overlay: Overlay): string {
  switch (overlay.kind) {
    case 'help':
      return 'Esc/q/? close  j/k scroll';
    case 'create-topics':
      return overlay.status === 'ready' && overlay.plan.length > 0
        ? 'y create  n/Esc cancel  j/k scroll'
        : 'Esc close';
    case 'mirror':
      return overlay.typed
        ? `type ${overlay.typed.flow} then Enter to stop anyway  Esc cancel`
        : `y ${overlay.op}  n/Esc cancel`;
    case 'check-cluster':
      return 's source  t target  Esc cancel';
    default:
      return '';
  }
}

export function Footer(props: FooterProps) {
  const { overlay, readOnly, notice, nowMs, color, glyphs } = props;
  const lead: Segment[] = readOnly ? [{ text: 'READ-ONLY', tone: 'warn', bold: true }, { text: '  ' }] : [];
  if (overlay?.kind === 'filter') {
    return (
      <Line
        segments={[
          { text: '/', tone: 'info', bold: true },
          { text: `${overlay.buffer}${glyphs.cursor}` },
          ...(props.currentFilter !== ''
            ? [{ text: `   filter now: ${props.currentFilter}`, tone: 'info' as const }]
            : []),
          { text: '   Enter apply  Esc clear', tone: 'muted' },
        ]}
        color={color}
      />
    );
  }
  if (overlay)
    return <Line segments={[...lead, { text: overlayHints(overlay), tone: 'muted' }]} color={color} />;
  if (notice && nowMs - notice.atMs < NOTICE_MS) {
    return (
      <Line segments={[...lead, { text: notice.text, tone: NOTICE_TONES[notice.level] }]} color={color} />
    );
  }
  return <Line segments={[...lead, { text: keyHints(props), tone: 'muted' }]} color={color} />;
}
