import { Text } from 'ink';
import type { Tone } from '../theme.js';
import { toneColor } from '../theme.js';

export interface Segment {
  text: string;
  tone?: Tone;
  bold?: boolean;
}

/** One terminal line: never wraps (cut at the pane's width), coloured only when `color` is on. */
export function Line(props: { segments: readonly Segment[]; color: boolean; inverse?: boolean }) {
  const { segments, color, inverse } = props;
  if (segments.length === 0) return <Text> </Text>;
  return (
    <Text wrap="truncate" inverse={inverse}>
      {segments.map((s, i) => (
        // segments are positional and rebuilt every render: the index is their identity
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <Text key={i} color={toneColor(s.tone, color)} bold={s.bold}>
          {s.text}
        </Text>
      ))}
    </Text>
  );
}
