import { ConfigError } from './errors.js';

/** A .properties file that java.util.Properties itself would reject. */
export class PropertiesError extends ConfigError {
  override name = 'PropertiesError';

  constructor(
    readonly fileName: string,
    readonly line: number,
    problem: string,
  ) {
    super(`${fileName} line ${line}: ${problem}`);
  }
}

/** Where each natural line starts inside a logical line, to report errors on the right line. */
interface Segment {
  offset: number;
  line: number;
}

interface LogicalLine {
  text: string;
  segments: Segment[];
}

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\f';

function stripLeadingBlanks(line: string): string {
  return line.replace(/^[ \t\f]+/, '');
}

function endsWithOddBackslashes(line: string): boolean {
  let count = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) count++;
  return count % 2 === 1;
}

function* logicalLines(text: string): Generator<LogicalLine> {
  const natural = text.split(/\r\n|\r|\n/);
  let next = 0;
  while (next < natural.length) {
    const lineNumber = next + 1;
    let chunk = stripLeadingBlanks(natural[next++]!);
    if (chunk === '' || chunk.startsWith('#') || chunk.startsWith('!')) continue;
    let text = '';
    const segments: Segment[] = [{ offset: 0, line: lineNumber }];
    while (endsWithOddBackslashes(chunk)) {
      text += chunk.slice(0, -1);
      // At end of input Java drops the dangling backslash; a continuation onto a blank line ends the value.
      if (next >= natural.length) {
        chunk = '';
        break;
      }
      segments.push({ offset: text.length, line: next + 1 });
      chunk = stripLeadingBlanks(natural[next++]!);
    }
    yield { text: text + chunk, segments };
  }
}

function lineAt(segments: Segment[], offset: number): number {
  let line = segments[0]!.line;
  for (const segment of segments) if (segment.offset <= offset) line = segment.line;
  return line;
}

const ESCAPES: Record<string, string> = { t: '\t', n: '\n', r: '\r', f: '\f' };

function decodeEscapes(logical: LogicalLine, from: number, to: number, fileName: string): string {
  const { text } = logical;
  let out = '';
  let i = from;
  while (i < to) {
    const c = text[i]!;
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const escaped = text[i + 1];
    if (escaped === undefined || i + 1 >= to) break;
    if (escaped === 'u') {
      const hex = text.slice(i + 2, i + 6);
      if (i + 6 > to || !/^[0-9a-fA-F]{4}$/.test(hex)) {
        throw new PropertiesError(fileName, lineAt(logical.segments, i), 'malformed \\uXXXX escape');
      }
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 6;
    } else {
      out += ESCAPES[escaped] ?? escaped;
      i += 2;
    }
  }
  return out;
}

/** Splits a logical line into key and value exactly like java.util.Properties#load0. */
function splitKeyValue(logical: LogicalLine, fileName: string): [string, string] {
  const { text } = logical;
  let keyEnd = 0;
  let valueStart = text.length;
  let hasSeparator = false;
  let precedingBackslash = false;
  while (keyEnd < text.length) {
    const c = text[keyEnd];
    if ((c === '=' || c === ':') && !precedingBackslash) {
      valueStart = keyEnd + 1;
      hasSeparator = true;
      break;
    }
    if (isBlank(c) && !precedingBackslash) {
      valueStart = keyEnd + 1;
      break;
    }
    precedingBackslash = c === '\\' ? !precedingBackslash : false;
    keyEnd++;
  }
  while (valueStart < text.length) {
    const c = text[valueStart];
    if (!isBlank(c)) {
      if (hasSeparator || (c !== '=' && c !== ':')) break;
      hasSeparator = true;
    }
    valueStart++;
  }
  return [
    decodeEscapes(logical, 0, keyEnd, fileName),
    decodeEscapes(logical, valueStart, text.length, fileName),
  ];
}

/**
 * Parses Java .properties text with the semantics of java.util.Properties#load(Reader):
 * comments, `=`/`:`/whitespace separators, backslash continuations and escapes. Later keys win.
 */
export function parseProperties(text: string, fileName = 'properties'): Map<string, string> {
  const properties = new Map<string, string>();
  for (const logical of logicalLines(text)) {
    const [key, value] = splitKeyValue(logical, fileName);
    properties.set(key, value);
  }
  return properties;
}
