const REGEX_SPECIALS = /[.*+?^${}()|[\]\\/-]/g;

/** Java's `\Q...\E` quoting, which JavaScript lacks. */
function expandQuotes(pattern: string): string {
  return pattern.replace(/\\Q([\s\S]*?)(?:\\E|$)/g, (_match, literal: string) =>
    literal.replace(REGEX_SPECIALS, '\\$&'),
  );
}

/**
 * Compiles a list of Java regexes the way MM2's MirrorUtils does: joined with `|` and matched against the
 * whole name. An empty list compiles to undefined, which matches nothing (MM2: "a blank config matches nothing").
 * Throws SyntaxError for patterns JavaScript cannot compile.
 */
export function compilePatternList(patterns: readonly string[]): RegExp | undefined {
  if (patterns.length === 0) return undefined;
  let joined = expandQuotes(patterns.join('|'));
  let flags = '';
  if (joined.startsWith('(?i)')) {
    joined = joined.slice(4);
    flags = 'i';
  }
  return new RegExp(`^(?:${joined})$`, flags);
}

/** Kafka's ConfigDef LIST parsing: comma separated, surrounding whitespace trimmed, blanks dropped. */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
