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
const NEWLINE = 0x0a;

const SAME_NAME = 0;
const OTHER_NAME = 1;
const NOT_A_SAMPLE = 2;
type LineName = typeof SAME_NAME | typeof OTHER_NAME | typeof NOT_A_SAMPLE;

function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 0x30 && c <= 0x39);
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB || c === CR;
}

const INTEGER = /^[+-]?\d+$/;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * Whether `token` is a decimal, `[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?`, scanned without a regular
 * expression (a scrape has one value per line, tens of thousands of lines).
 */
function isDecimal(token: string): boolean {
  const n = token.length;
  let i = 0;
  let c = token.charCodeAt(0);
  if (c === 0x2b || c === 0x2d) c = token.charCodeAt(++i);
  let digits = 0;
  while (i < n && isDigit(token.charCodeAt(i))) {
    i++;
    digits++;
  }
  if (i < n && token.charCodeAt(i) === 0x2e) {
    i++;
    while (i < n && isDigit(token.charCodeAt(i))) {
      i++;
      digits++;
    }
  }
  if (digits === 0) return false;
  if (i < n && (token.charCodeAt(i) | 0x20) === 0x65) {
    i++;
    c = token.charCodeAt(i);
    if (c === 0x2b || c === 0x2d) i++;
    const exponentStart = i;
    while (i < n && isDigit(token.charCodeAt(i))) i++;
    if (i === exponentStart) return false;
  }
  return i === n;
}

/** Parses a sample value token; undefined when it is not a number. */
export function parseMetricValue(token: string): number | undefined {
  if (isDecimal(token)) return Number(token);
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

export interface ParseOptions {
  /**
   * Which samples to keep, by sample name. Others are skipped after their name is read: a scrape of
   * thousands of partitions costs only the samples a caller uses. Their families are still listed.
   */
  keepSample?: (name: string) => boolean;
}

/**
 * An incremental parser: `push` chunks as they arrive (a line may span chunks), `end` for the result.
 * Only the unfinished last line is held between chunks, never the whole page.
 */
export class PrometheusParser {
  private readonly families = new Map<string, MetricFamily>();
  private current: MetricFamily | undefined;
  private lineNo = 0;
  private sawContent = false;
  private rest = '';
  /** pushBytes: the bytes of a line not ended yet. */
  private restBytes: Buffer | null = null;
  private sawBytes = false;
  private readonly keepSample: ((name: string) => boolean) | undefined;
  /**
   * The previous sample line's name (and whether it is kept), label names and values: an exporter writes
   * a family's samples one after the other, each with the labels of the one before in the same order and
   * mostly the same values, so a line is compared with them before anything is cut out of the text.
   */
  private lastName = '';
  private lastKept = false;
  private readonly lastLabelNames: string[] = [];
  private readonly lastLabelValues: string[] = [];

  constructor(options: ParseOptions = {}) {
    this.keepSample = options.keepSample;
  }

  push(chunk: string): void {
    // Lines are read in the chunk itself: only a line split between chunks is joined (scanning a joined
    // string, a rope in V8, character by character costs several times a flat chunk).
    let pos = 0;
    if (this.rest !== '') {
      const newline = chunk.indexOf('\n');
      if (newline < 0) {
        this.rest += chunk;
        return;
      }
      const joined = this.rest + chunk.slice(0, newline);
      this.rest = '';
      this.line(joined, 0, joined.length);
      pos = newline + 1;
    }
    const last = chunk.lastIndexOf('\n');
    while (pos <= last) {
      const end = chunk.indexOf('\n', pos);
      this.line(chunk, pos, end);
      pos = end + 1;
    }
    this.rest = chunk.slice(pos);
  }

  /**
   * `push` for the page's bytes as they arrive (UTF-8), instead of its text: a sample line whose name is
   * the skipped name of the line before is passed over in the bytes, never decoded. On the scaled lab's
   * 12 MB page (MM2's checkpoint metrics of 1,000 groups) decoding the page was a fifth of what the
   * console allocated. A page is read by `push` or by `pushBytes`, not both.
   */
  pushBytes(chunk: Uint8Array): void {
    let bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let pos = 0;
    if (this.restBytes) {
      // Only the line split between chunks is joined.
      const newline = bytes.indexOf(NEWLINE);
      if (newline < 0) {
        this.restBytes = Buffer.concat([this.restBytes, bytes]);
        return;
      }
      const joined = Buffer.concat([this.restBytes, bytes.subarray(0, newline + 1)]);
      this.restBytes = null;
      this.lines(joined, this.skipByteOrderMark(joined));
      pos = newline + 1;
    } else if (!this.sawBytes) {
      if (bytes.length < 3) {
        if (bytes.length > 0) this.restBytes = Buffer.from(bytes); // too short to tell a byte order mark
        return;
      }
      pos = this.skipByteOrderMark(bytes);
    }
    bytes = bytes.subarray(pos);
    const stopped = this.lines(bytes, 0);
    if (stopped < bytes.length) this.restBytes = Buffer.from(bytes.subarray(stopped));
  }

  /** Where the page starts: after a UTF-8 byte order mark, as TextDecoder drops it. */
  private skipByteOrderMark(bytes: Buffer): number {
    if (this.sawBytes) return 0;
    this.sawBytes = true;
    return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  }

  /**
   * The whole lines of bytes from `pos`; returns where the last one ended. Lines to decode are gathered
   * into runs, each decoded at once. A line with a name other than the line before ends its run, so that
   * the name it sets is the one the next lines are compared with.
   */
  private lines(bytes: Buffer, from: number): number {
    let pos = from;
    let runStart = pos;
    for (;;) {
      const newline = bytes.indexOf(NEWLINE, pos);
      if (newline < 0) break;
      const same = this.sameName(bytes, pos, newline);
      if (same === SAME_NAME && !this.lastKept) {
        if (runStart < pos) this.push(bytes.toString('utf8', runStart, pos));
        this.lineNo++;
        // As `line` does for a sample it does not keep.
        if (!(this.current && belongsTo(this.current, this.lastName)))
          this.current = this.familyFor(this.lastName);
        runStart = newline + 1;
      } else if (same === OTHER_NAME) {
        this.push(bytes.toString('utf8', runStart, newline + 1));
        runStart = newline + 1;
      }
      pos = newline + 1;
    }
    if (runStart < pos) this.push(bytes.toString('utf8', runStart, pos));
    return pos;
  }

  /** Whether bytes[start, end) is a sample line of the name of the line before, of another, or no sample. */
  private sameName(bytes: Buffer, start: number, end: number): LineName {
    let i = start;
    while (i < end && (bytes[i] === SPACE || bytes[i] === TAB)) i++;
    if (i >= end || bytes[i] === HASH || bytes[i] === CR) return NOT_A_SAMPLE;
    const name = this.lastName;
    const after = i + name.length;
    if (name === '' || after > end) return OTHER_NAME;
    for (let k = 0; k < name.length; k++) if (bytes[i + k] !== name.charCodeAt(k)) return OTHER_NAME;
    return after < end && isNameChar(bytes[after] as number) ? OTHER_NAME : SAME_NAME;
  }

  end(): ParsedMetrics {
    if (this.restBytes) {
      const rest = this.restBytes;
      this.restBytes = null;
      this.push(rest.toString('utf8', this.skipByteOrderMark(rest)));
    }
    if (this.rest !== '') this.line(this.rest, 0, this.rest.length);
    this.rest = '';
    return { families: this.families };
  }

  private familyFor(name: string): MetricFamily {
    let f = this.families.get(name);
    if (!f) {
      f = { name, samples: [] };
      this.families.set(name, f);
    }
    return f;
  }

  private fail(text: string, lineStart: number, detail: string): never {
    const hint = !this.sawContent ? sniff(text, lineStart) : undefined;
    throw new MetricsFormatError(this.lineNo, hint ?? detail);
  }

  private line(text: string, lineStart: number, end: number): void {
    this.lineNo++;
    let i = lineStart;
    while (i < end && isBlank(text.charCodeAt(i))) i++;
    if (i >= end) return;
    const first = text.charCodeAt(i);

    if (first === HASH) {
      this.sawContent = true;
      this.comment(text, i + 1, end);
      return;
    }

    // metric name
    if (!isNameStart(first)) this.fail(text, lineStart, `expected a metric name, found ${describe(first)}`);
    const nameStart = i;
    while (i < end && isNameChar(text.charCodeAt(i))) i++;
    let name = this.lastName;
    let kept = this.lastKept;
    if (!sameText(text, nameStart, i, name)) {
      name = text.slice(nameStart, i);
      kept = this.keepSample ? this.keepSample(name) : true;
      this.lastName = name;
      this.lastKept = kept;
    }
    if (!kept) {
      // Not parsed further; its family is still listed (by name, without samples).
      this.sawContent = true;
      if (!(this.current && belongsTo(this.current, name))) this.current = this.familyFor(name);
      return;
    }
    while (i < end && isBlank(text.charCodeAt(i))) i++;

    // labels
    const labels: Record<string, string> = {};
    const hasLabels = i < end && text.charCodeAt(i) === LBRACE;
    let labelIndex = 0;
    if (hasLabels) {
      i++;
      for (;;) {
        while (i < end && isBlank(text.charCodeAt(i))) i++;
        if (i >= end) this.fail(text, lineStart, 'unterminated label set (missing "}")');
        let c = text.charCodeAt(i);
        if (c === RBRACE) {
          i++;
          break;
        }
        if (!isNameStart(c) || c === 0x3a)
          this.fail(text, lineStart, `expected a label name, found ${describe(c)}`);
        const ls = i;
        while (i < end && isNameChar(text.charCodeAt(i)) && text.charCodeAt(i) !== 0x3a) i++;
        const labelName = internAt(this.lastLabelNames, labelIndex, text, ls, i);
        while (i < end && isBlank(text.charCodeAt(i))) i++;
        if (text.charCodeAt(i) !== EQUALS || i >= end) {
          this.fail(
            text,
            lineStart,
            `expected '=' after label ${labelName}, found ${describe(i < end ? text.charCodeAt(i) : Number.NaN)}`,
          );
        }
        i++;
        while (i < end && isBlank(text.charCodeAt(i))) i++;
        if (i >= end || text.charCodeAt(i) !== QUOTE) {
          this.fail(text, lineStart, `expected '"' to open the value of label ${labelName}`);
        }
        i++;
        const valueStart = i;
        // label value: fast path copies runs without escapes, and takes the previous line's value when equal
        let value = '';
        let runStart = i;
        for (;;) {
          if (i >= end) this.fail(text, lineStart, `unterminated value of label ${labelName}`);
          c = text.charCodeAt(i);
          if (c === QUOTE) {
            value =
              runStart === valueStart
                ? internAt(this.lastLabelValues, labelIndex, text, runStart, i)
                : value + text.slice(runStart, i);
            i++;
            break;
          }
          if (c === BACKSLASH) {
            value += text.slice(runStart, i);
            const n = i + 1 < end ? text.charCodeAt(i + 1) : Number.NaN;
            if (n === BACKSLASH) value += '\\';
            else if (n === QUOTE) value += '"';
            else if (n === 0x6e) value += '\n';
            else if (Number.isNaN(n)) this.fail(text, lineStart, `unterminated value of label ${labelName}`);
            else value += `\\${String.fromCharCode(n)}`;
            i += 2;
            runStart = i;
            continue;
          }
          i++;
        }
        setLabel(labels, labelName, value);
        labelIndex++;
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
        this.fail(
          text,
          lineStart,
          `expected ',' or '}' after the value of label ${labelName}, found ${describe(c)}`,
        );
      }
      while (i < end && isBlank(text.charCodeAt(i))) i++;
    }

    // value
    const vs = i;
    while (i < end && !isBlank(text.charCodeAt(i))) i++;
    if (vs === i)
      this.fail(
        text,
        lineStart,
        hasLabels ? 'expected a value after the labels' : 'expected a value after the metric name',
      );
    const valueToken = text.slice(vs, i);
    const value = parseMetricValue(valueToken);
    if (value === undefined)
      this.fail(text, lineStart, `invalid sample value ${JSON.stringify(valueToken.slice(0, 40))}`);

    // optional timestamp
    while (i < end && isBlank(text.charCodeAt(i))) i++;
    let timestampMs: number | undefined;
    if (i < end) {
      const ts = i;
      while (i < end && !isBlank(text.charCodeAt(i))) i++;
      const tsToken = text.slice(ts, i);
      if (!INTEGER.test(tsToken))
        this.fail(text, lineStart, `invalid timestamp ${JSON.stringify(tsToken.slice(0, 40))}`);
      timestampMs = Number(tsToken);
      while (i < end && isBlank(text.charCodeAt(i))) i++;
      if (i < end)
        this.fail(text, lineStart, `unexpected text after the timestamp: ${describe(text.charCodeAt(i))}`);
    }

    this.sawContent = true;
    const sample: Sample = { name, labels, value: value as number };
    if (timestampMs !== undefined) sample.timestampMs = timestampMs;

    let family: MetricFamily;
    if (this.current && belongsTo(this.current, name)) family = this.current;
    else {
      family = this.familyFor(name);
      this.current = family;
    }
    family.samples.push(sample);
  }

  private comment(t: string, from: number, end: number): void {
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
    const family = this.familyFor(name);
    if (keyword === 'HELP') {
      if (family.help === undefined) family.help = unescapeHelp(rest);
    } else {
      const type = rest.trim().toLowerCase();
      if (type !== '' && family.type === undefined) family.type = type;
    }
    this.current = family;
  }
}

export function parsePrometheusText(text: string, options: ParseOptions = {}): ParsedMetrics {
  const parser = new PrometheusParser(options);
  parser.push(text);
  return parser.end();
}

/** Whether text[start, end) is `candidate`, compared in place. */
function sameText(text: string, start: number, end: number, candidate: string): boolean {
  return end - start === candidate.length && text.startsWith(candidate, start);
}

/** text[start, end), as the string kept at `slot` when equal, else cut out and kept there. */
function internAt(slots: string[], slot: number, text: string, start: number, end: number): string {
  const kept = slots[slot];
  if (kept !== undefined && sameText(text, start, end, kept)) return kept;
  const cut = text.slice(start, end);
  slots[slot] = cut;
  return cut;
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
