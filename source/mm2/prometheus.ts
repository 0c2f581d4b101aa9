/**
 * Parser for the Prometheus text exposition format 0.0.4 (what the JMX exporter serves).
 *
 * Single pass over the text with charCodeAt: no per-character regular expressions, no line splitting
 * of the whole scrape, so a 5 MB scrape parses in tens of milliseconds.
 *
 * Leniency (real exporters do all of these): a trailing comma in a label set (jmx_exporter 0.x), CRLF
 * line endings, blanks around `{`, `=`, `,` and `}`, Java's exponent form `1.2345678E7`, `Inf`/`+Inf`/
 * `-Inf`/`NaN` in any case, unknown backslash escapes in label values (kept as written), a duplicated
 * label name (the last one wins). Anything else that is not the format throws a one-line
 * {@link MetricsFormatError} naming the line.
 */

export interface Sample {
  /** The sample's own name, e.g. `foo_total` or `foo_bucket` inside family `foo`. */
  name: string;
  labels: Record<string, string>;
  value: number;
  timestampMs?: number;
}

export interface MetricFamily {
  name: string;
  /** As declared by `# TYPE` (counter, gauge, histogram, summary, untyped, ...); absent if undeclared. */
  type?: string;
  help?: string;
  samples: Sample[];
}

export interface ParsedMetrics {
  /** Families in order of first appearance. */
  families: Map<string, MetricFamily>;
}

/** The text is not Prometheus exposition format. The message is one line and names the line. */
export class MetricsFormatError extends Error {
  override name = 'MetricsFormatError';
  constructor(
    readonly line: number,
    detail: string,
  ) {
    super(`metrics line ${line}: ${detail}`);
  }
}

const SUFFIXES_BY_TYPE: Record<string, readonly string[]> = {
  counter: ['_total', '_created'],
  histogram: ['_bucket', '_sum', '_count', '_created'],
  gaugehistogram: ['_bucket', '_gsum', '_gcount'],
  summary: ['_sum', '_count', '_created'],
};

const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const HASH = 0x23;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const EQUALS = 0x3d;
const COMMA = 0x2c;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 0x30 && c <= 0x39);
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB || c === CR;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

/** Parses a sample value token; undefined when it is not a number. */
export function parseMetricValue(token: string): number | undefined {
  if (DECIMAL.test(token)) return Number(token);
  switch (token.toLowerCase()) {
    case 'nan':
      return Number.NaN;
    case 'inf':
    case '+inf':
    case 'infinity':
    case '+infinity':
      return Number.POSITIVE_INFINITY;
    case '-inf':
    case '-infinity':
      return Number.NEGATIVE_INFINITY;
    default:
      return undefined;
  }
}

function describe(c: number): string {
  if (Number.isNaN(c)) return 'end of line';
  if (c < 0x20 || c === 0x7f) return `byte 0x${c.toString(16).padStart(2, '0')}`;
  return `'${String.fromCharCode(c)}'`;
}

function setLabel(labels: Record<string, string>, name: string, value: string): void {
  if (name === '__proto__') {
    Object.defineProperty(labels, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    labels[name] = value;
  }
}

/** Says what the text looks like when the very first content line is not Prometheus text. */
function sniff(text: string, start: number): string | undefined {
  const head = text
    .slice(start, start + 64)
    .trimStart()
    .toLowerCase();
  if (head.startsWith('<')) return 'this looks like an HTML/XML page, not Prometheus text format';
  if (head.startsWith('{') || head.startsWith('[')) return 'this looks like JSON, not Prometheus text format';
  return undefined;
}

export function parsePrometheusText(text: string): ParsedMetrics {
  const families = new Map<string, MetricFamily>();
  let current: MetricFamily | undefined;
  let lineNo = 0;
  let lineStart = 0;
  const fail = (detail: string): never => {
    const hint = !sawContent ? sniff(text, lineStart) : undefined;
    throw new MetricsFormatError(lineNo, hint ?? detail);
  };
  let pos = 0;
  const len = text.length;
  let sawContent = false;

  const familyFor = (name: string): MetricFamily => {
    let f = families.get(name);
    if (!f) {
      f = { name, samples: [] };
      families.set(name, f);
    }
    return f;
  };

  while (pos < len) {
    lineNo++;
    let end = text.indexOf('\n', pos);
    if (end < 0) end = len;
    lineStart = pos;
    pos = end + 1;

    let i = lineStart;
    while (i < end && isBlank(text.charCodeAt(i))) i++;
    if (i >= end) continue;
    const first = text.charCodeAt(i);

    if (first === HASH) {
      sawContent = true;
      parseComment(text, i + 1, end);
      continue;
    }

    // metric name
    if (!isNameStart(first)) fail(`expected a metric name, found ${describe(first)}`);
    const nameStart = i;
    while (i < end && isNameChar(text.charCodeAt(i))) i++;
    const name = text.slice(nameStart, i);
    while (i < end && isBlank(text.charCodeAt(i))) i++;

    // labels
    const labels: Record<string, string> = {};
    const hasLabels = i < end && text.charCodeAt(i) === LBRACE;
    if (hasLabels) {
      i++;
      for (;;) {
        while (i < end && isBlank(text.charCodeAt(i))) i++;
        if (i >= end) fail('unterminated label set (missing "}")');
        let c = text.charCodeAt(i);
        if (c === RBRACE) {
          i++;
          break;
        }
        if (!isNameStart(c) || c === 0x3a) fail(`expected a label name, found ${describe(c)}`);
        const ls = i;
        while (i < end && isNameChar(text.charCodeAt(i)) && text.charCodeAt(i) !== 0x3a) i++;
        const labelName = text.slice(ls, i);
        while (i < end && isBlank(text.charCodeAt(i))) i++;
        if (text.charCodeAt(i) !== EQUALS || i >= end) {
          fail(
            `expected '=' after label ${labelName}, found ${describe(i < end ? text.charCodeAt(i) : Number.NaN)}`,
          );
        }
        i++;
        while (i < end && isBlank(text.charCodeAt(i))) i++;
        if (i >= end || text.charCodeAt(i) !== QUOTE) {
          fail(`expected '"' to open the value of label ${labelName}`);
        }
        i++;
        // label value: fast path copies runs without escapes
        let value = '';
        let runStart = i;
        for (;;) {
          if (i >= end) fail(`unterminated value of label ${labelName}`);
          c = text.charCodeAt(i);
          if (c === QUOTE) {
            value += text.slice(runStart, i);
            i++;
            break;
          }
          if (c === BACKSLASH) {
            value += text.slice(runStart, i);
            const n = i + 1 < end ? text.charCodeAt(i + 1) : Number.NaN;
            if (n === BACKSLASH) value += '\\';
            else if (n === QUOTE) value += '"';
            else if (n === 0x6e) value += '\n';
            else if (Number.isNaN(n)) fail(`unterminated value of label ${labelName}`);
            else value += `\\${String.fromCharCode(n)}`;
            i += 2;
            runStart = i;
            continue;
          }
          i++;
        }
        setLabel(labels, labelName, value);
        while (i < end && isBlank(text.charCodeAt(i))) i++;
        c = i < end ? text.charCodeAt(i) : Number.NaN;
        if (c === COMMA) {
          i++;
          continue;
        }
        if (c === RBRACE) {
          i++;
          break;
        }
        fail(`expected ',' or '}' after the value of label ${labelName}, found ${describe(c)}`);
      }
      while (i < end && isBlank(text.charCodeAt(i))) i++;
    }

    // value
    const vs = i;
    while (i < end && !isBlank(text.charCodeAt(i))) i++;
    if (vs === i)
      fail(hasLabels ? 'expected a value after the labels' : 'expected a value after the metric name');
    const valueToken = text.slice(vs, i);
    const value = parseMetricValue(valueToken);
    if (value === undefined) fail(`invalid sample value ${JSON.stringify(valueToken.slice(0, 40))}`);

    // optional timestamp
    while (i < end && isBlank(text.charCodeAt(i))) i++;
    let timestampMs: number | undefined;
    if (i < end) {
      const ts = i;
      while (i < end && !isBlank(text.charCodeAt(i))) i++;
      const tsToken = text.slice(ts, i);
      if (!INTEGER.test(tsToken)) fail(`invalid timestamp ${JSON.stringify(tsToken.slice(0, 40))}`);
      timestampMs = Number(tsToken);
      while (i < end && isBlank(text.charCodeAt(i))) i++;
      if (i < end) fail(`unexpected text after the timestamp: ${describe(text.charCodeAt(i))}`);
    }

    sawContent = true;
    const sample: Sample = { name, labels, value: value as number };
    if (timestampMs !== undefined) sample.timestampMs = timestampMs;

    let family: MetricFamily;
    if (current && belongsTo(current, name)) family = current;
    else {
      family = familyFor(name);
      current = family;
    }
    family.samples.push(sample);
  }

  return { families };

  function parseComment(t: string, from: number, end: number): void {
    let i = from;
    while (i < end && isBlank(t.charCodeAt(i))) i++;
    const ks = i;
    while (i < end && !isBlank(t.charCodeAt(i))) i++;
    const keyword = t.slice(ks, i);
    if (keyword !== 'HELP' && keyword !== 'TYPE') return; // plain comment
    while (i < end && isBlank(t.charCodeAt(i))) i++;
    const ns = i;
    while (i < end && !isBlank(t.charCodeAt(i))) i++;
    const name = t.slice(ns, i);
    if (name === '' || !isNameStart(name.charCodeAt(0))) return; // malformed comment: a comment all the same
    if (i < end) i++; // exactly one separator: HELP text keeps the rest verbatim
    let rest = t.slice(i, end);
    if (rest.endsWith('\r')) rest = rest.slice(0, -1);
    const family = familyFor(name);
    if (keyword === 'HELP') {
      if (family.help === undefined) family.help = unescapeHelp(rest);
    } else {
      const type = rest.trim().toLowerCase();
      if (type !== '' && family.type === undefined) family.type = type;
    }
    current = family;
  }
}

function belongsTo(family: MetricFamily, sampleName: string): boolean {
  if (sampleName === family.name) return true;
  const allowed = SUFFIXES_BY_TYPE[family.type ?? ''];
  if (!allowed) return false;
  if (family.type === 'counter' && family.name.endsWith('_total')) {
    // `# TYPE foo_total counter` followed by `foo_created`
    return sampleName === `${family.name.slice(0, -'_total'.length)}_created`;
  }
  if (!sampleName.startsWith(family.name)) return false;
  return allowed.includes(sampleName.slice(family.name.length));
}

function unescapeHelp(s: string): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length) {
      const n = s[i + 1];
      if (n === '\\') {
        out += '\\';
        i++;
        continue;
      }
      if (n === 'n') {
        out += '\n';
        i++;
        continue;
      }
    }
    out += c;
  }
  return out;
}
