import { Text } from 'ink';
import type { Tone } from '../theme.js';
import { toneColor } from '../theme.js';

export interface Segment {
  text: string;
  tone?: Tone;
  bold?: boolean;
}

/** A run of text drawn one way: its colour (none when colour is off) and weight. */
export interface Run {
  text: string;
  color: string | undefined;
  bold: boolean;
}

/**
 * The segments as runs, neighbours drawn alike joined. A table row is two segments per column (the
 * gap, the cell) but a handful of colours, and each Text is a React element, an Ink node and a Yoga
 * node on every frame: on the scaled lab a Topics row went from 25 Texts to about 6.
 */
export function runsOf(segments: readonly Segment[], color: boolean): Run[] {
  const runs: Run[] = [];
  let last: Run | undefined;
  for (const s of segments) {
    const runColor = toneColor(s.tone, color);
    const bold = s.bold === true;
    if (last !== undefined && last.color === runColor && last.bold === bold) {
      last.text += s.text;
    } else {
      last = { text: s.text, color: runColor, bold };
      runs.push(last);
    }
  }
  return runs;
}

/** One terminal line: never wraps (cut at the pane's width), coloured only when `color` is on. */
export function Line(props: { segments: readonly Segment[]; color: boolean; inverse?: boolean }) {
  const { segments, color, inverse } = props;
  if (segments.length === 0) return <Text> </Text>;
  return (
    <Text wrap="truncate" inverse={inverse}>
      {runsOf(segments, color).map((run, i) => (
        // runs are positional and rebuilt every render: the index is their identity
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <Text key={i} color={run.color} bold={run.bold}>
          {run.text}
        </Text>
      ))}
    </Text>
  );
}
