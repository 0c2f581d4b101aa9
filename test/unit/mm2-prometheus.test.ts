import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractMm2Metrics, isMm2SampleName } from '../../source/mm2/mm2-metrics.js';
import {
  MetricsFormatError,
  type ParseOptions,
  PrometheusParser,
  parseMetricValue,
  parsePrometheusText,
} from '../../source/mm2/prometheus.js';
import { fixture } from '../helpers/fixtures.js';

function only(text: string) {
  const families = [...parsePrometheusText(text).families.values()];
  assert.equal(families.length, 1);
  return families[0]!;
}

function formatError(text: string): MetricsFormatError {
  try {
    parsePrometheusText(text);
  } catch (e) {
    assert.ok(e instanceof MetricsFormatError, `expected MetricsFormatError, got ${String(e)}`);
    assert.ok(!e.message.includes('\n'), 'message is one line');
    return e;
  }
  assert.fail('expected a MetricsFormatError');
}

describe('parsePrometheusText', () => {
  it('reads HELP, TYPE and samples with labels', () => {
    const f = only(
      [
        '# HELP kafka_x_total Records, with a \\\\ backslash\\nand a newline',
        '# TYPE kafka_x_total counter',
        'kafka_x_total{topic="orders",partition="0"} 42',
      ].join('\n'),
    );
    assert.equal(f.name, 'kafka_x_total');
    assert.equal(f.type, 'counter');
    assert.equal(f.help, 'Records, with a \\ backslash\nand a newline');
    assert.deepEqual(f.samples, [
      { name: 'kafka_x_total', labels: { topic: 'orders', partition: '0' }, value: 42 },
    ]);
  });

  it('returns no families for an empty scrape or one made of blank lines and comments', () => {
    assert.equal(parsePrometheusText('').families.size, 0);
    assert.equal(parsePrometheusText('\n\n   \n# just a comment\n').families.size, 0);
  });

  it('unescapes \\\\, \\" and \\n in label values and keeps unknown escapes as written', () => {
    const f = only('m{a="x\\\\y",b="say \\"hi\\"",c="l1\\nl2",d="C:\\temp",e=""} 1');
    assert.deepEqual(f.samples[0]!.labels, { a: 'x\\y', b: 'say "hi"', c: 'l1\nl2', d: 'C:\\temp', e: '' });
  });

  it('keeps the quotes Kafka puts around connector names inside the label value', () => {
    const f = only(
      'kafka_connect_connector_status{connector="\\"A->B.MirrorSourceConnector\\"",status="running"} 1.0',
    );
    assert.equal(f.samples[0]!.labels.connector, '"A->B.MirrorSourceConnector"');
  });

  it('accepts the trailing comma of old exporters, blanks around tokens and CRLF', () => {
    const f = only('m { a = "1" , b="2", } 3\r\nm{a="2",} 4 \r\n');
    assert.deepEqual(
      f.samples.map((s) => [s.labels, s.value]),
      [
        [{ a: '1', b: '2' }, 3],
        [{ a: '2' }, 4],
      ],
    );
  });

  it('accepts an empty label set', () => {
    assert.deepEqual(only('m{} 7').samples[0]!.labels, {});
  });

  it('parses NaN, +Inf, -Inf, Java exponents and optional timestamps', () => {
    const f = only(
      [
        'm{k="a"} NaN',
        'm{k="b"} +Inf',
        'm{k="c"} -Inf',
        'm{k="d"} 1.2345678E7 1732530000000',
        'm{k="e"} -3e-2',
      ].join('\n'),
    );
    const v = f.samples.map((s) => s.value);
    assert.ok(Number.isNaN(v[0]));
    assert.equal(v[1], Number.POSITIVE_INFINITY);
    assert.equal(v[2], Number.NEGATIVE_INFINITY);
    assert.equal(v[3], 12345678);
    assert.equal(f.samples[3]!.timestampMs, 1732530000000);
    assert.equal(f.samples[0]!.timestampMs, undefined);
    assert.ok(!('timestampMs' in f.samples[0]!));
    assert.equal(v[4], -0.03);
  });

  it('groups _total and _created under a counter family, and summary parts under theirs', () => {
    const parsed = parsePrometheusText(
      [
        '# TYPE requests counter',
        'requests_total 10',
        'requests_created 1.7e9',
        '# TYPE gc_seconds summary',
        'gc_seconds_count{gc="young"} 79',
        'gc_seconds_sum{gc="young"} 1.2',
        '# TYPE other_total counter',
        'other_total 5',
        'other_created 1.7e9',
      ].join('\n'),
    );
    assert.deepEqual([...parsed.families.keys()], ['requests', 'gc_seconds', 'other_total']);
    assert.deepEqual(
      parsed.families.get('requests')!.samples.map((s) => s.name),
      ['requests_total', 'requests_created'],
    );
    assert.equal(parsed.families.get('gc_seconds')!.samples.length, 2);
    assert.equal(parsed.families.get('other_total')!.samples.length, 2);
  });

  it('does not fold a sample of another name into an untyped family', () => {
    const parsed = parsePrometheusText('# TYPE foo untyped\nfoo 1\nfoo_total 2\n');
    assert.deepEqual([...parsed.families.keys()], ['foo', 'foo_total']);
  });

  it('makes families for samples without HELP/TYPE', () => {
    const parsed = parsePrometheusText('a 1\nb{x="y"} 2\na 3\n');
    assert.deepEqual([...parsed.families.keys()], ['a', 'b']);
    assert.deepEqual(
      parsed.families.get('a')!.samples.map((s) => s.value),
      [1, 3],
    );
    assert.equal(parsed.families.get('a')!.type, undefined);
  });

  it('stores a label named __proto__ as data', () => {
    const labels = only('m{__proto__="x"} 1').samples[0]!.labels;
    assert.equal(Object.getPrototypeOf(labels), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(labels, '__proto__')?.value, 'x');
  });

  it('parses the Strimzi, default-export, old-exporter and lab fixtures', () => {
    for (const name of [
      'metrics-strimzi.txt',
      'metrics-default-export.txt',
      'metrics-old-exporter.txt',
      'metrics-lab-connect-4.3.1.txt',
    ]) {
      const parsed = parsePrometheusText(fixture(name));
      assert.ok(parsed.families.size > 3, name);
    }
    const old = parsePrometheusText(fixture('metrics-old-exporter.txt'));
    const count = old.families.get('kafka_connect_mirror_source_connector_records_count_total')!;
    assert.equal(count.type, 'counter');
    assert.deepEqual(count.samples[0], {
      name: 'kafka_connect_mirror_source_connector_records_count_total',
      labels: { target: 'B', topic: 'A.orders', partition: '0' },
      value: 12345678,
      timestampMs: 1732530000000,
    });
    const lab = parsePrometheusText(fixture('metrics-lab-connect-4.3.1.txt'));
    assert.equal(lab.families.get('jvm_gc_collection_seconds')!.type, 'summary');
    assert.equal(lab.families.get('jvm_gc_collection_seconds')!.samples.length, 4);
  });

  it('parses a 5 MB scrape, every sample (its speed is measured by npm run simulate, not here)', () => {
    const lines: string[] = ['# TYPE kafka_connect_mirror_mirrorsourceconnector_record_count gauge'];
    let size = 0;
    for (let i = 0; size < 5 * 1024 * 1024; i++) {
      const line = `kafka_connect_mirror_mirrorsourceconnector_record_count{partition="${i % 64}",source="A",target="B",topic="A.topic-${i >> 6}",} ${i}.0`;
      lines.push(line);
      size += line.length + 1;
    }
    const text = lines.join('\n');
    const parsed = parsePrometheusText(text);
    assert.equal(
      parsed.families.get('kafka_connect_mirror_mirrorsourceconnector_record_count')!.samples.length,
      lines.length - 1,
    );
  });
});

describe('parsePrometheusText rejects what is not Prometheus text', () => {
  it('an HTML page (a proxy login page), saying so', () => {
    const e = formatError(fixture('metrics-malformed-html.txt'));
    assert.equal(e.line, 1);
    assert.match(e.message, /^metrics line 1: .*HTML/);
  });

  it('JSON, saying so', () => {
    assert.match(formatError('\n{"status":"UP"}').message, /^metrics line 2: .*JSON/);
    assert.match(formatError('[1,2]').message, /JSON/);
  });

  it('a scrape cut off inside a label value, naming the line', () => {
    const e = formatError(fixture('metrics-malformed-truncated.txt'));
    assert.equal(e.line, 4);
    assert.equal(e.message, 'metrics line 4: unterminated value of label topic');
  });

  it('a sample with labels but no value', () => {
    const text = `${'ok 1\n'.repeat(36)}m{a="b"}\n`;
    assert.equal(formatError(text).message, 'metrics line 37: expected a value after the labels');
  });

  it('a sample with no value at all', () => {
    assert.equal(formatError('ok 1\nm\n').message, 'metrics line 2: expected a value after the metric name');
  });

  it('plain text and garbage', () => {
    assert.match(
      formatError('404 page not found').message,
      /^metrics line 1: expected a metric name, found '4'/,
    );
    assert.match(formatError('Service Unavailable').message, /invalid sample value "Unavailable"/);
    assert.match(
      formatError('ok 1\n\x00\x01\x02').message,
      /^metrics line 2: expected a metric name, found byte 0x00/,
    );
  });

  it('bad values, timestamps, label syntax', () => {
    assert.match(formatError('m 1.2.3').message, /invalid sample value "1.2.3"/);
    assert.match(formatError('m 0x10').message, /invalid sample value/);
    assert.match(formatError('m 1 12:00').message, /invalid timestamp "12:00"/);
    assert.match(formatError('m 1 2 3').message, /unexpected text after the timestamp/);
    assert.match(formatError('m{a=b} 1').message, /expected '"' to open the value of label a/);
    assert.match(formatError('m{a"b"} 1').message, /expected '=' after label a/);
    assert.match(formatError('m{a="b" c="d"} 1').message, /expected ',' or '}'/);
    assert.match(formatError('m{a="b",').message, /unterminated label set/);
    assert.match(formatError('m{1="b"} 1').message, /expected a label name, found '1'/);
  });
});

describe('parseMetricValue', () => {
  it('accepts the forms exporters write and nothing else', () => {
    assert.equal(parseMetricValue('1500.0'), 1500);
    assert.equal(parseMetricValue('1.2345678E7'), 12345678);
    assert.equal(parseMetricValue('.5'), 0.5);
    assert.equal(parseMetricValue('inf'), Number.POSITIVE_INFINITY);
    assert.ok(Number.isNaN(parseMetricValue('NaN')!));
    for (const bad of ['', ' ', '0x1F', '1e', 'one', '--1', 'Infinityx'])
      assert.equal(parseMetricValue(bad), undefined, bad);
  });

  it('reads decimals as the format defines them, scanned without a regular expression', () => {
    const good: Array<[string, number]> = [
      ['0', 0],
      ['-0.0', -0],
      ['+1', 1],
      ['1.', 1],
      ['-.5e-3', -0.0005],
      ['7E+2', 700],
      ['12345678901234567890', 1.2345678901234567e19],
    ];
    for (const [token, value] of good) assert.equal(parseMetricValue(token), value, token);
    for (const bad of ['.', '+', '-', 'e5', '.e5', '1e+', '1.2.3', '1_000', '1 ', ' 1', '1e5.0', '0b1', '١'])
      assert.equal(parseMetricValue(bad), undefined, bad);
  });
});

describe('PrometheusParser: streamed in chunks, keeping only the samples asked for', () => {
  const PAGES = [
    'metrics-strimzi.txt',
    'metrics-default-export.txt',
    'metrics-old-exporter.txt',
    'metrics-lab-connect-4.3.1.txt',
  ];

  function chunked(text: string, size: number, options: ParseOptions = {}) {
    const parser = new PrometheusParser(options);
    for (let i = 0; i < text.length; i += size) parser.push(text.slice(i, i + size));
    return parser.end();
  }

  it('gives what one whole-text parse gives, whatever the chunk boundaries (lines and CRLF split)', () => {
    for (const name of PAGES) {
      const text = fixture(name);
      const whole = parsePrometheusText(text);
      for (const size of [1, 7, 64, 1000, 65_536])
        assert.deepEqual(chunked(text, size), whole, `${name} in chunks of ${size}`);
    }
    const crlf = 'a{x="1"} 1\r\nb 2\r\n';
    assert.deepEqual(chunked(crlf, 11), parsePrometheusText(crlf));
  });

  it('takes nothing from the line before (name, label names, values) where the lines differ', () => {
    const text = [
      'm{topic="orders",partition="0",source="a"} 1',
      'm{topic="orders",partition="10",source="a"} 2',
      'm{topic="orders2",partition="1",source="a"} 3',
      'm{topic="order",partition="1",source="a"} 4',
      'm{partition="1",topic="order",source="a"} 5',
      'm{topic="o\\"rders",partition="1"} 6',
      'mm{topic="orders",partition="1"} 7',
      'm 8',
      '',
    ].join('\n');
    for (const size of [1, 5, 17, text.length]) {
      const parsed = chunked(text, size);
      // by family, then in order
      const samples = [...parsed.families.values()].flatMap((f) => f.samples);
      assert.deepEqual(
        samples.map((x) => [x.name, { ...x.labels }, x.value]),
        [
          ['m', { topic: 'orders', partition: '0', source: 'a' }, 1],
          ['m', { topic: 'orders', partition: '10', source: 'a' }, 2],
          ['m', { topic: 'orders2', partition: '1', source: 'a' }, 3],
          ['m', { topic: 'order', partition: '1', source: 'a' }, 4],
          ['m', { partition: '1', topic: 'order', source: 'a' }, 5],
          ['m', { topic: 'o"rders', partition: '1' }, 6],
          ['m', {}, 8],
          ['mm', { topic: 'orders', partition: '1' }, 7],
        ],
        `in chunks of ${size}`,
      );
    }
  });

  it('a page without a final newline still gives its last sample', () => {
    assert.equal(chunked('a 1\nb 2', 3).families.get('b')?.samples[0]?.value, 2);
  });

  it('skips the samples not kept, lists their families, and reads the kept ones the same', () => {
    const text = fixture('metrics-lab-connect-4.3.1.txt');
    const kept = chunked(text, 4096, { keepSample: isMm2SampleName });
    const all = parsePrometheusText(text);
    assert.deepEqual([...kept.families.keys()].sort(), [...all.families.keys()].sort());
    assert.equal(kept.families.get('jvm_gc_collection_seconds')?.samples.length, 0);
    assert.deepEqual(extractMm2Metrics(kept), extractMm2Metrics(all));
    for (const name of PAGES)
      assert.deepEqual(
        extractMm2Metrics(parsePrometheusText(fixture(name), { keepSample: isMm2SampleName })),
        extractMm2Metrics(parsePrometheusText(fixture(name))),
        name,
      );
  });

  function bytesChunked(bytes: Buffer, size: number, options: ParseOptions = {}) {
    const parser = new PrometheusParser(options);
    for (let i = 0; i < bytes.length; i += size) parser.pushBytes(bytes.subarray(i, i + size));
    return parser.end();
  }

  it('reads the page’s bytes as it reads its text, whatever the chunk boundaries, keeping all or some', () => {
    const keep = { keepSample: isMm2SampleName };
    for (const name of PAGES) {
      const text = fixture(name);
      const bytes = Buffer.from(text);
      const whole = parsePrometheusText(text);
      const kept = parsePrometheusText(text, keep);
      for (const size of [1, 2, 3, 7, 64, 1000, 65_536]) {
        assert.deepEqual(bytesChunked(bytes, size), whole, `${name} in chunks of ${size} bytes`);
        assert.deepEqual(bytesChunked(bytes, size, keep), kept, `${name} kept, in chunks of ${size} bytes`);
      }
    }
  });

  it('decodes UTF-8 split between chunks, drops a byte order mark, and keeps CRLF and a last line', () => {
    const text = 'a{t="é😀x"} 1\r\nm{t="ü"} 2\n# HELP m ½\nm 3';
    const expected = parsePrometheusText(text);
    for (const page of [
      Buffer.from(text),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
    ])
      for (const size of [1, 2, 3, 4, 5, page.length])
        assert.deepEqual(bytesChunked(page, size), expected, `${page.length} bytes in chunks of ${size}`);
  });

  it('passes over the samples not kept without reading them, and still counts their lines', () => {
    // The skipped lines are not read: a skipped name followed by junk is still skipped, as `push` skips it.
    const page = 'jvm_x 1\njvm_x{a="1"} 2\njvm_x{{{ junk\njvm_xy 3\n';
    const keep = { keepSample: isMm2SampleName };
    for (const size of [1, 4, page.length])
      assert.deepEqual(
        bytesChunked(Buffer.from(page), size, keep),
        parsePrometheusText(page, keep),
        `chunks of ${size}`,
      );
    // A skipped sample ends the family a comment opened, as in the text (keep_c_total is a family of its own).
    const interleaved = 'skip_x 1\n# TYPE keep_c counter\nskip_x 2\nkeep_c_total 3\n';
    const keepC = { keepSample: (name: string) => name.startsWith('keep') };
    assert.deepEqual(
      bytesChunked(Buffer.from(interleaved), 64, keepC),
      parsePrometheusText(interleaved, keepC),
    );
    const bad = 'jvm_x 1\njvm_x 2\njvm_x 3\nkafka_connect_mirror_source_connector_record_count{topic="t" 3\n';
    for (const size of [1, 5, bad.length])
      assert.throws(() => bytesChunked(Buffer.from(bad), size, keep), /metrics line 4: expected ',' or '}'/);
    assert.throws(() => bytesChunked(Buffer.from(fixture('metrics-malformed-html.txt')), 16, keep), /HTML/);
  });

  it('still names the line of a malformed sample it keeps, and sniffs HTML at the start', () => {
    const keep = { keepSample: isMm2SampleName };
    assert.throws(
      () => chunked('jvm_x 1\nkafka_connect_mirror_source_connector_record_count{topic="t" 3\n', 5, keep),
      /metrics line 2: expected ',' or '}'/,
    );
    assert.throws(() => chunked(fixture('metrics-malformed-html.txt'), 16, keep), /HTML/);
  });
});
