/** What a piece of text means; the colour is chosen here and only when colour is on. */
export type Tone = 'plain' | 'ok' | 'warn' | 'crit' | 'info' | 'muted' | 'accent';

const COLORS: Record<Tone, string | undefined> = {
  plain: undefined,
  ok: 'green',
  warn: 'yellow',
  crit: 'red',
  info: 'cyan',
  muted: 'gray',
  accent: 'magenta',
};

export function toneColor(tone: Tone | undefined, color: boolean): string | undefined {
  return color && tone ? COLORS[tone] : undefined;
}
