import { Box } from 'ink';
import { truncateDisplay } from '../../util/escape.js';
import { Line } from '../components/Line.js';
import type { ConsoleEvent, EventLevel } from '../events.js';
import { formatClock, plural } from '../format.js';
import { type ListRow, searchText } from '../lists.js';
import { wrapText } from '../table.js';
import type { Tone } from '../theme.js';
import { filterSegments, type PaneFrame } from './frame.js';

/** One screen line of an event: long messages continue on indented lines. */
export interface EventRow extends ListRow {
  event: ConsoleEvent;
  text: string;
  first: boolean;
}

const LEVELS: Record<EventLevel, { word: string; tone: Tone }> = {
  info: { word: 'INFO ', tone: 'muted' },
  ok: { word: 'OK   ', tone: 'ok' },
  warn: { word: 'WARN ', tone: 'warn' },
  error: { word: 'ERROR', tone: 'crit' },
};

/** `HH:MM:SS LEVEL ` in front of the message. */
const PREFIX_WIDTH = 15;
/** A huge error (a stack trace in one line) should not push every other event off the screen. */
const MAX_LINES_PER_EVENT = 4;

export function eventRows(events: readonly ConsoleEvent[], width: number): EventRow[] {
  const textWidth = Math.max(10, width - PREFIX_WIDTH);
  return events.flatMap((event) => {
    const search = searchText(LEVELS[event.level].word, event.text);
    const lines = wrapText(event.text, textWidth);
    const shown = lines.slice(0, MAX_LINES_PER_EVENT);
    if (lines.length > MAX_LINES_PER_EVENT) {
      shown[shown.length - 1] = truncateDisplay(
        `${shown[shown.length - 1]}${lines[MAX_LINES_PER_EVENT]}`,
        textWidth,
      );
    }
    return shown.map((text, i) => ({ key: `${event.seq}:${i}`, search, event, text, first: i === 0 }));
  });
}

export function EventsPane(props: {
  frame: PaneFrame;
  rows: readonly EventRow[];
  total: number;
  following: boolean;
}) {
  const { frame, rows, total, following } = props;
  return (
    <Box flexDirection="column">
      <Line
        segments={[
          ...filterSegments(frame),
          { text: 'EVENTS', bold: true },
          {
            text: `  ${plural(total, 'event')}, newest last${following ? '' : ' · G: follow'}`,
            tone: 'muted',
          },
        ]}
        color={frame.color}
      />
      {rows.length === 0 ? (
        <Line segments={[{ text: 'no events yet', tone: 'muted' }]} color={frame.color} />
      ) : null}
      {rows.map(({ key, event, text, first }) => {
        const level = LEVELS[event.level];
        return (
          <Line
            key={key}
            segments={
              first
                ? [
                    { text: `${formatClock(event.atMs)} ` },
                    { text: level.word, tone: level.tone },
                    { text: ` ${text}` },
                  ]
                : [{ text: `${' '.repeat(PREFIX_WIDTH)}${text}` }]
            }
            color={frame.color}
          />
        );
      })}
    </Box>
  );
}
